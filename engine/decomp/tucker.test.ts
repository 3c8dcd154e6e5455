import { describe, expect, it } from 'vitest';
import { refExpected as expected, refInput as input } from '../../test/refs/refs';
import { RandomSource } from '../random';
import { Tensor, matmul, multiModeProduct } from '../tensor';
import { syntheticTensor } from '../synthetic';
import { tucker, type TuckerOptions } from './tucker';

const opts = (over: Partial<TuckerOptions>): TuckerOptions => ({ method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(1), ...over });

describe('Tucker against TensorLy (test/refs)', () => {
  for (const name of ['tucker_lowrank_36x44x52', 'tucker_smooth_24cube', 'tucker_conv_48x24x3x3']) {
    const ref = expected(name);
    for (const r of ref.results as { rank: number[]; hooi_relative_error: number; hosvd_relative_error: number; hooi_iterations: number }[]) {
      it(`${name} ranks (${r.rank.join(',')}): HOOI and HOSVD errors within 1e-4, HOOI ≤ HOSVD`, () => {
        const x = input(name);
        const hooi = tucker(x, opts({ ranks: r.rank }));
        const hosvd = tucker(x, opts({ ranks: r.rank, method: 'hosvd' }));
        expect(Math.abs(hooi.relError - r.hooi_relative_error)).toBeLessThan(1e-4);
        expect(Math.abs(hosvd.relError - r.hosvd_relative_error)).toBeLessThan(1e-4);
        expect(hooi.relError).toBeLessThanOrEqual(hosvd.relError + 1e-7);
        expect(hooi.core.shape).toEqual(r.rank);
        hooi.factors.forEach((f, m) => expect(f.shape).toEqual([x.shape[m], r.rank[m]]));
        // TensorLy stopped after the same number of sweeps where the error settles well above tol.
        if (r.hooi_iterations < 100 && r.hooi_relative_error > 1e-3) expect(Math.abs(hooi.iterations - r.hooi_iterations)).toBeLessThanOrEqual(2);
      });
    }
  }

  it('eps picks the refs ranks and meets the target (tucker_lowrank, tucker_smooth)', () => {
    for (const name of ['tucker_lowrank_36x44x52', 'tucker_smooth_24cube']) {
      for (const e of expected(name).eps_hosvd as { tol: number; ranks: number[]; hosvd_relative_error_at_ranks: number }[]) {
        const r = tucker(input(name), opts({ eps: e.tol, method: 'hosvd' }));
        expect(r.ranks).toEqual(e.ranks);
        expect(r.relError).toBeLessThanOrEqual(e.tol);
        expect(Math.abs(r.relError - e.hosvd_relative_error_at_ranks)).toBeLessThan(1e-4);
      }
    }
  });

  it('Tucker-2 on modes 0, 1 of the conv kernel equals TensorLy partial_tucker', () => {
    const t2 = expected('tucker_conv_48x24x3x3').tucker2_modes_0_1;
    const r = tucker(input('tucker_conv_48x24x3x3'), opts({ ranks: [12, 6], modes: [0, 1] }));
    expect(r.core.shape).toEqual(t2.core_shape);
    expect(Math.abs(r.relError - t2.hooi_relative_error)).toBeLessThan(1e-4);
    expect(r.factors[2]!.shape).toEqual([3, 3]);
  });
});

describe('Tucker identities', () => {
  const x = (() => {
    const t = new Tensor([5, 6, 7]);
    new RandomSource(3).fillNormal(t.data);
    return t;
  })();

  it('reconstructs exactly at full ranks, with orthonormal factors', () => {
    const r = tucker(x, opts({ ranks: [5, 6, 7] }));
    expect(r.relError).toBeLessThan(1e-6);
    for (const f of r.factors) {
      const g = matmul(f, f, { transA: true });
      for (let i = 0; i < g.shape[0]!; i++) for (let j = 0; j < g.shape[1]!; j++) expect(Math.abs(g.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(1e-5);
    }
    expect(multiModeProduct(r.core, r.factors).shape).toEqual(x.shape);
  });

  it('recovers a noiseless Tucker-rank tensor from random init', () => {
    const rnd = new RandomSource(9);
    const core = new Tensor([2, 3, 2]);
    rnd.fillNormal(core.data);
    const fs = [[8, 2], [9, 3], [7, 2]].map((s) => {
      const f = new Tensor(s);
      rnd.fillNormal(f.data);
      return f;
    });
    const r = tucker(multiModeProduct(core, fs), opts({ ranks: [2, 3, 2], init: 'random' }));
    expect(r.relError).toBeLessThan(1e-5);
  });

  it('refuses ranks above a mode size, rank 0, eps ≤ 0, bad modes and NaN input', () => {
    expect(() => tucker(x, opts({ ranks: [6, 2, 2] }))).toThrow(/rank 6 on mode 0 exceeds that mode's size 5/);
    expect(() => tucker(x, opts({ ranks: [0, 2, 2] }))).toThrow(/rank 0 on mode 0 must be a positive integer/);
    expect(() => tucker(x, opts({ eps: 0 }))).toThrow(/eps must be > 0/);
    expect(() => tucker(x, opts({ ranks: [2, 2, 2], modes: [3] }))).toThrow(/mode 3 is out of range for a 3-D tensor/);
    const bad = x.clone();
    bad.data[8] = NaN;
    expect(() => tucker(bad, opts({ ranks: [2, 2, 2] }))).toThrow(/input holds NaN at index \[0, 1, 1\]/);
  });

  it('reports each sweep and can be stopped from the hook', () => {
    const seen: number[] = [];
    expect(() =>
      tucker(x, opts({ ranks: [2, 2, 2], tol: 0, onIteration: (i) => {
        seen.push(i);
        if (i === 3) throw new Error('stop');
      } })),
    ).toThrow('stop');
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});

describe('the HOOI trace', () => {
  // ‖X‖² − ‖G‖² cancels for near-exact fits: the trace said 1.4e-7 where the node said 4.0e-8.
  it.each([0, 1e-3, 0.1])('ends at the error the decomposition reports (noise %s)', (noise) => {
    const x = syntheticTensor({ kind: 'tucker', shape: [32, 32, 32], ranks: [4, 4, 4], noise }, new RandomSource(1)).tensor;
    const r = tucker(x, opts({ ranks: [4, 4, 4], tol: 1e-10 }));
    expect(r.trace.length).toBeGreaterThan(1);
    expect(Math.abs(r.trace.at(-1)! - r.relError)).toBeLessThan(1e-9 * r.relError + 1e-15);
  });
});
