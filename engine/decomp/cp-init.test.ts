// CP-ALS initialisation above the multilinear rank: on a tensor of Tucker rank (4, 4, 4), the svd
// init's singular vectors past rank 4 span directions the tensor does not have; started there,
// components got zero updates and ranks 5…8 all ended at rank 4's error. They start random now
// (seeded), so the error falls with the rank for both inits, and rank 8 (≥ the generic rank 7 of a
// 4×4×4 core) fits exactly.
import { describe, expect, it } from 'vitest';
import { RandomSource } from '../random';
import { syntheticTensor } from '../synthetic';
import { cp } from './cp';

const x = syntheticTensor({ kind: 'tucker', shape: [32, 32, 32], ranks: [4, 4, 4], noise: 0 }, new RandomSource(7)).tensor;
const ranks = [4, 5, 6, 7, 8];
async function errors(init: 'svd' | 'random'): Promise<number[]> {
  const out: number[] = [];
  for (const rank of ranks) out.push((await cp(x, { rank, init, maxIter: 500, tol: 1e-10, normalize: false, random: new RandomSource(1) })).relError);
  return out;
}

describe('CP-ALS above the multilinear rank', () => {
  it.each(['svd', 'random'] as const)('%s init: the error falls with the rank, and rank 8 fits exactly', async (init) => {
    const e = await errors(init);
    for (let i = 1; i < e.length; i++) expect(e[i]!, `rank ${ranks[i]} vs rank ${ranks[i - 1]}: ${e.map((v) => v.toExponential(2)).join(', ')}`).toBeLessThan(e[i - 1]!);
    expect(e.at(-1)!).toBeLessThan(1e-5);
  });

  it('svd init: every rank above 4 does better than rank 4 by a wide margin (none left dead)', async () => {
    const [r4, ...above] = await errors('svd');
    for (const e of above) expect(e).toBeLessThan(0.75 * r4!);
  });
});
