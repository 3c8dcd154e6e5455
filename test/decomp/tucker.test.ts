// Tucker (engine/decomp/tucker.ts, written once over the dense ops) on each backend: against
// TensorLy's results in test/refs (errors within 1e-4, sweep counts within ±2 where the error
// settles above 1e-3), the identities (exact at full rank, orthonormal factors, recovery of an exact
// Tucker tensor), refusals, the progress hook and the trace; then the two backends against each
// other, and what only a device has (binding windows, the buffer size limit).
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, matmul, multiModeProduct, syntheticTensor, type TuckerOptions } from '../../engine';
import { tuckerWith } from '../../engine/decomp/tucker';
import { denseBackends } from '../backends';
import { orthogonalityError } from './checks';
import { refExpected as expected, refInput as input } from '../refs/refs';
import { relMax } from '../webgpu/gpu';

const opts = (over: Partial<TuckerOptions>): TuckerOptions => ({ method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(1), ...over });


describe.each(denseBackends)('Tucker on $name', (backend) => {
  const tucker = (x: Tensor, o: TuckerOptions) => tuckerWith(backend.ops(), x, o);

  describe.skipIf(backend.skip)('against TensorLy (test/refs)', () => {
    for (const name of ['tucker_lowrank_36x44x52', 'tucker_smooth_24cube', 'tucker_conv_48x24x3x3']) {
      for (const r of expected(name).results as { rank: number[]; hooi_relative_error: number; hosvd_relative_error: number; hooi_iterations: number }[]) {
        it(`${name} ranks (${r.rank.join(',')}): HOOI and HOSVD errors within 1e-4, HOOI ≤ HOSVD, sweep counts, orthonormal factors`, async () => {
          const x = input(name);
          const hooi = await tucker(x, opts({ ranks: r.rank }));
          const hosvd = await tucker(x, opts({ ranks: r.rank, method: 'hosvd' }));
          expect(Math.abs(hooi.relError - r.hooi_relative_error)).toBeLessThan(1e-4);
          expect(Math.abs(hosvd.relError - r.hosvd_relative_error)).toBeLessThan(1e-4);
          expect(hooi.relError).toBeLessThanOrEqual(hosvd.relError + backend.tol.ordering);
          expect(hooi.core.shape).toEqual(r.rank);
          hooi.factors.forEach((f, m) => {
            expect(f.shape).toEqual([x.shape[m], r.rank[m]]);
            expect(orthogonalityError(f)).toBeLessThan(backend.tol.orthogonality);
          });
          // TensorLy stopped after the same number of sweeps where the error settles well above tol.
          if (r.hooi_iterations < 100 && r.hooi_relative_error > 1e-3) expect(Math.abs(hooi.iterations - r.hooi_iterations)).toBeLessThanOrEqual(2);
        });
      }
    }

    it('eps picks the refs ranks (chosen in float64) and meets the target (tucker_lowrank, tucker_smooth)', async () => {
      for (const name of ['tucker_lowrank_36x44x52', 'tucker_smooth_24cube']) {
        for (const e of expected(name).eps_hosvd as { tol: number; ranks: number[]; hosvd_relative_error_at_ranks: number }[]) {
          const r = await tucker(input(name), opts({ eps: e.tol, method: 'hosvd' }));
          expect(r.ranks).toEqual(e.ranks);
          expect(r.relError).toBeLessThanOrEqual(e.tol);
          expect(Math.abs(r.relError - e.hosvd_relative_error_at_ranks)).toBeLessThan(1e-4);
        }
      }
    });

    it('Tucker-2 on modes 0, 1 of the conv kernel equals TensorLy partial_tucker', async () => {
      const t2 = expected('tucker_conv_48x24x3x3').tucker2_modes_0_1;
      const r = await tucker(input('tucker_conv_48x24x3x3'), opts({ ranks: [12, 6], modes: [0, 1] }));
      expect(r.core.shape).toEqual(t2.core_shape);
      expect(Math.abs(r.relError - t2.hooi_relative_error)).toBeLessThan(1e-4);
      expect(r.factors[2]!.shape).toEqual([3, 3]);
    });
  });

  describe.skipIf(backend.skip)('identities', () => {
    const x = (() => {
      const t = new Tensor([5, 6, 7]);
      new RandomSource(3).fillNormal(t.data);
      return t;
    })();

    it('reconstructs exactly at full ranks, with orthonormal factors', async () => {
      const r = await tucker(x, opts({ ranks: [5, 6, 7] }));
      expect(r.relError).toBeLessThan(1e-6);
      for (const f of r.factors) expect(orthogonalityError(f)).toBeLessThan(backend.tol.orthogonality);
      expect(multiModeProduct(r.core, r.factors).shape).toEqual(x.shape);
    });

    it('recovers a noiseless Tucker-rank tensor from random init', async () => {
      const rnd = new RandomSource(9);
      const core = new Tensor([2, 3, 2]);
      rnd.fillNormal(core.data);
      const fs = [[8, 2], [9, 3], [7, 2]].map((s) => {
        const f = new Tensor(s);
        rnd.fillNormal(f.data);
        return f;
      });
      const r = await tucker(multiModeProduct(core, fs), opts({ ranks: [2, 3, 2], init: 'random' }));
      expect(r.relError).toBeLessThan(1e-5);
    });

    it('refuses ranks above a mode size, rank 0, eps ≤ 0, bad modes and NaN input', async () => {
      await expect(tucker(x, opts({ ranks: [6, 2, 2] }))).rejects.toThrow(/rank 6 on mode 0 exceeds that mode's size 5/);
      await expect(tucker(x, opts({ ranks: [0, 2, 2] }))).rejects.toThrow(/rank 0 on mode 0 must be a positive integer/);
      await expect(tucker(x, opts({ eps: 0 }))).rejects.toThrow(/eps must be > 0/);
      await expect(tucker(x, opts({ ranks: [2, 2, 2], modes: [3] }))).rejects.toThrow(/mode 3 is out of range for a 3-D tensor/);
      const bad = x.clone();
      bad.data[8] = NaN;
      await expect(tucker(bad, opts({ ranks: [2, 2, 2] }))).rejects.toThrow(/input holds NaN at index \[0, 1, 1\]/);
    });

    it('reports each sweep and can be stopped from the hook', async () => {
      const seen: number[] = [];
      const hook = (i: number) => {
        seen.push(i);
        if (i === 3) throw new Error('stop');
      };
      await expect(tucker(x, opts({ ranks: [2, 2, 2], tol: 0, onIteration: hook }))).rejects.toThrow('stop');
      expect(seen).toEqual([0, 1, 2, 3]);
    });

    // ‖X‖² − ‖G‖² cancels for near-exact fits: the trace said 1.4e-7 where the node said 4.0e-8.
    it.each([0, 1e-3, 0.1])('the HOOI trace ends at the error the decomposition reports (noise %s)', async (noise) => {
      const y = syntheticTensor({ kind: 'tucker', shape: [32, 32, 32], ranks: [4, 4, 4], noise }, new RandomSource(1)).tensor;
      const r = await tucker(y, opts({ ranks: [4, 4, 4], tol: 1e-10 }));
      expect(r.trace.length).toBeGreaterThan(1);
      expect(Math.abs(r.trace.at(-1)! - r.relError)).toBeLessThan(1e-9 * r.relError + 1e-15);
    });
  });
});

const [cpu, webgpu] = denseBackends as [(typeof denseBackends)[0], (typeof denseBackends)[0]];

describe.skipIf(webgpu.skip)('Tucker on WebGPU against the CPU', () => {
  it('the same subspaces and errors on a noisy low-rank 4-D tensor with a size-1 mode', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [17, 1, 70, 9], ranks: [3, 1, 4, 2], noise: 0.02 }, new RandomSource(5)).tensor;
    for (const init of ['svd', 'random'] as const) {
      const want = await tuckerWith(cpu.ops(), x, opts({ ranks: [3, 1, 4, 2], init, random: new RandomSource(9) }));
      const got = await tuckerWith(webgpu.ops(), x, opts({ ranks: [3, 1, 4, 2], init, random: new RandomSource(9) }));
      expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-6);
      // Subspaces agree: the projector difference ‖UUᵀ − VVᵀ‖ is tiny (factors may differ by rotation).
      got.factors.forEach((u, m) => {
        const v = want.factors[m]!;
        const pu = matmul(u, u, { transB: true });
        const pv = matmul(v, v, { transB: true });
        let d = 0;
        for (let i = 0; i < pu.size; i++) d = Math.max(d, Math.abs(pu.data[i]! - pv.data[i]!));
        expect(d).toBeLessThan(1e-4);
      });
      expect(got.trace.length).toBe(want.trace.length);
    }
  });

  it('decomposes a tensor above the storage binding limit in windows, with the same result', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [30, 26, 22], ranks: [3, 4, 2], noise: 0.01 }, new RandomSource(8)).tensor; // 68.6 KB
    const want = await tuckerWith(webgpu.ops(), x, opts({ ranks: [3, 4, 2] }));
    const got = await tuckerWith(webgpu.ops({ maxStorageBufferBindingSize: 16384 }), x, opts({ ranks: [3, 4, 2] }));
    expect(got.iterations).toBe(want.iterations);
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-7);
    expect(relMax(got.core, want.core)).toBeLessThan(1e-5);
  });

  it("refuses a tensor above the device's buffer size limit, naming the sizes", async () => {
    await expect(tuckerWith(webgpu.ops({ maxBufferSize: 1024 }), new Tensor([10, 10, 10]), opts({ ranks: [2, 2, 2] }))).rejects.toThrow(
      /tucker input \[10×10×10\] needs 4000 bytes in one buffer, above this device's buffer size limit of 1024 bytes/,
    );
  });
});
