import { describe, expect, it } from 'vitest';
import { refExpected as expected, refInput as input } from '../../test/refs/refs';
import { RandomSource } from '../random';
import { Tensor } from '../tensor';
import { tt, ttReconstruct } from './tt';

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
