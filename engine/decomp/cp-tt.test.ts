import { describe, expect, it } from 'vitest';
import { refExpected as expected, refInput as input } from '../../test/refs/refs';
import { RandomSource } from '../random';
import { syntheticTensor } from '../synthetic';
import { Tensor } from '../tensor';
import { cp, type CpOptions } from './cp';
import { tt, ttReconstruct } from './tt';

const cpOpts = (over: Partial<CpOptions>): CpOptions => ({ rank: 4, init: 'svd', maxIter: 500, tol: 1e-10, normalize: false, random: new RandomSource(1), ...over });

describe('CP-ALS against TensorLy (cp_rank4_25x35x45)', () => {
  const x = input('cp_rank4_25x35x45');
  const ref = expected('cp_rank4_25x35x45');

  it.each([4, 2])('rank %i: the best of svd init and 5 random restarts reaches the refs best error', (rank) => {
    const r = (ref.results as { rank: number; best_relative_error: number }[]).find((e) => e.rank === rank)!;
    const floor = ref.noise_floor_relative_error as number;
    const runs = [cp(x, cpOpts({ rank })), ...[1, 2, 3, 4, 5].map((s) => cp(x, cpOpts({ rank, init: 'random', random: new RandomSource(s) })))];
    const best = Math.min(...runs.map((run) => run.relError));
    expect(best).toBeLessThanOrEqual(Math.max(r.best_relative_error, rank === 4 ? floor : 0) * (1 + 1e-3));
    expect(best).toBeGreaterThanOrEqual(r.best_relative_error * (1 - 1e-3));
  });

  it('svd init at rank 4 converges like TensorLy (10 sweeps) and its trace ends at the direct error', () => {
    const run = cp(x, cpOpts({}));
    const svdRun = (ref.results[0].runs as { init: string; iterations: number; relative_error: number }[]).find((r) => r.init === 'svd')!;
    expect(Math.abs(run.iterations - svdRun.iterations)).toBeLessThanOrEqual(2);
    expect(Math.abs(run.trace.at(-1)! - run.relError)).toBeLessThan(1e-6);
    expect(run.factors.map((f) => f.shape)).toEqual([[25, 4], [35, 4], [45, 4]]);
  });

  it('recovers an exact CP tensor, normalized or not', () => {
    const clean = syntheticTensor({ kind: 'cp', shape: [6, 7, 8], ranks: [3], noise: 0 }, new RandomSource(4)).tensor;
    for (const normalize of [false, true]) {
      const best = Math.min(...[1, 2, 3].map((s) => cp(clean, cpOpts({ rank: 3, init: 'random', normalize, random: new RandomSource(s) })).relError));
      expect(best).toBeLessThan(1e-5);
    }
  });

  it('refuses rank 0, order-1 tensors and non-finite input', () => {
    expect(() => cp(x, cpOpts({ rank: 0 }))).toThrow(/rank must be a positive integer, got 0/);
    expect(() => cp(Tensor.from([3], [1, 2, 3]), cpOpts({}))).toThrow(/order ≥ 2/);
    const bad = x.clone();
    bad.data[bad.size - 1] = Infinity;
    expect(() => cp(bad, cpOpts({}))).toThrow(/holds Infinity at index \[24, 34, 44\]/);
  });
});

describe('TT-SVD against TensorLy and Oseledets (test/refs)', () => {
  for (const name of ['tt_sincos_6x6x6x6x6', 'tt_random_rank1-2-3-2-1_8x9x10x11']) {
    const ref = expected(name);
    it(`${name}: fixed ranks give TensorLy's ranks and errors within 1e-6`, () => {
      for (const e of ref.tensorly_tensor_train as { rank_arg: number | number[]; tt_ranks: number[]; relative_error: number; core_shapes: number[][] }[]) {
        const r = tt(input(name), { maxRank: e.rank_arg });
        expect(r.ranks).toEqual(e.tt_ranks);
        expect(r.cores.map((c) => c.shape)).toEqual(e.core_shapes);
        expect(Math.abs(r.relError - e.relative_error)).toBeLessThan(1e-6);
      }
    });
    it(`${name}: eps gives exactly the refs ranks and error ≤ eps`, () => {
      for (const e of ref.eps_tt_svd as { eps: number; tt_ranks: number[] }[]) {
        const r = tt(input(name), { eps: e.eps });
        expect(r.ranks).toEqual(e.tt_ranks);
        expect(r.relError).toBeLessThanOrEqual(e.eps);
      }
    });
  }

  it('reconstructs exactly at full ranks and refuses bad ranks', () => {
    const x = new Tensor([3, 4, 5]);
    new RandomSource(2).fillNormal(x.data);
    const r = tt(x, { maxRank: 100 });
    expect(r.ranks).toEqual([1, 3, 12, 1].map((v, i) => (i === 2 ? 5 : v)));
    expect(Math.max(...ttReconstruct(r.cores).map((v, i) => Math.abs(v - x.data[i]!)))).toBeLessThan(1e-5);
    expect(() => tt(x, { maxRank: [2, 2, 2] })).toThrow(/one number, 2 inner ranks, or 4 ranks/);
    expect(() => tt(x, { eps: -1 })).toThrow(/eps must be > 0/);
    expect(() => tt(x, { maxRank: 0 })).toThrow(/positive integers, got 0/);
  });
});

describe('MTTKRP', () => {
  it('equals the explicit sum Σ_{j,k} X[i,j,k]·B[j,r]·C[k,r] (mode 0) and its analogues', async () => {
    const { mat } = await import('../linalg');
    const { unfold } = await import('../tensor');
    const { mttkrp } = await import('./cp');
    const rnd = new RandomSource(12);
    const x = new Tensor([3, 4, 5]);
    rnd.fillNormal(x.data);
    const fs = [3, 4, 5].map((n) => {
      const f = mat(n, 2);
      rnd.fillNormal(f.data);
      return f;
    });
    for (let mode = 0; mode < 3; mode++) {
      const m = mttkrp(unfold(x, mode), fs, mode);
      for (let i = 0; i < x.shape[mode]!; i++)
        for (let r = 0; r < 2; r++) {
          let s = 0;
          for (let a = 0; a < 3; a++)
            for (let b = 0; b < 4; b++)
              for (let c = 0; c < 5; c++) {
                const idx = [a, b, c];
                if (idx[mode] !== i) continue;
                const w = [0, 1, 2].filter((k) => k !== mode).reduce((p, k) => p * fs[k]!.data[idx[k]! * 2 + r]!, 1);
                s += x.get(a, b, c) * w;
              }
          expect(m.data[i * 2 + r]).toBeCloseTo(s, 10);
        }
    }
  });
});
