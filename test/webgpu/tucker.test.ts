// Tucker on the WebGPU device (Dawn; lavapipe without a GPU) against TensorLy's results in
// test/refs and against the CPU backend, the definition of the op. Tolerances: the decomposition
// issue's (errors within 1e-4 of TensorLy's, the same sweep counts within ±2 where the error
// settles above 1e-3), and float32 agreement with the CPU's float64 sweeps.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, matmul, syntheticTensor, tucker, type TuckerOptions } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { tuckerGpu } from '../../engine/webgpu/tucker';
import { gpuAvailable, refExpected as expected, refInput as input, relMax, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
});

const opts = (over: Partial<TuckerOptions>): TuckerOptions => ({ method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(1), ...over });

/** max |QᵀQ − I| of a factor. */
function orthogonalityError(u: Tensor): number {
  const g = matmul(u, u, { transA: true });
  const r = u.shape[1]!;
  let worst = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) worst = Math.max(worst, Math.abs(g.data[i * r + j]! - (i === j ? 1 : 0)));
  return worst;
}

describe.skipIf(!gpuAvailable)('Tucker on WebGPU against TensorLy (test/refs)', () => {
  for (const name of ['tucker_lowrank_36x44x52', 'tucker_smooth_24cube', 'tucker_conv_48x24x3x3']) {
    for (const r of expected(name).results as { rank: number[]; hooi_relative_error: number; hosvd_relative_error: number; hooi_iterations: number }[]) {
      it(`${name} ranks (${r.rank.join(',')}): HOOI and HOSVD errors within 1e-4, sweep counts, orthonormal factors`, async () => {
        const x = input(name);
        const hooi = await tuckerGpu(ops, x, opts({ ranks: r.rank }));
        const hosvd = await tuckerGpu(ops, x, opts({ ranks: r.rank, method: 'hosvd' }));
        expect(Math.abs(hooi.relError - r.hooi_relative_error)).toBeLessThan(1e-4);
        expect(Math.abs(hosvd.relError - r.hosvd_relative_error)).toBeLessThan(1e-4);
        expect(hooi.relError).toBeLessThanOrEqual(hosvd.relError + 1e-6);
        expect(hooi.core.shape).toEqual(r.rank);
        hooi.factors.forEach((f, m) => {
          expect(f.shape).toEqual([x.shape[m], r.rank[m]]);
          expect(orthogonalityError(f)).toBeLessThan(1e-5);
        });
        if (r.hooi_iterations < 100 && r.hooi_relative_error > 1e-3) expect(Math.abs(hooi.iterations - r.hooi_iterations)).toBeLessThanOrEqual(2);
      });
    }
  }

  it('eps picks the refs ranks (chosen in float64) and meets the target', async () => {
    for (const name of ['tucker_lowrank_36x44x52', 'tucker_smooth_24cube']) {
      for (const e of expected(name).eps_hosvd as { tol: number; ranks: number[]; hosvd_relative_error_at_ranks: number }[]) {
        const r = await tuckerGpu(ops, input(name), opts({ eps: e.tol, method: 'hosvd' }));
        expect(r.ranks).toEqual(e.ranks);
        expect(Math.abs(r.relError - e.hosvd_relative_error_at_ranks)).toBeLessThan(1e-4);
      }
    }
  });

  it('Tucker-2 on modes 0, 1 of the conv kernel equals TensorLy partial_tucker', async () => {
    const t2 = expected('tucker_conv_48x24x3x3').tucker2_modes_0_1;
    const r = await tuckerGpu(ops, input('tucker_conv_48x24x3x3'), opts({ ranks: [12, 6], modes: [0, 1] }));
    expect(r.core.shape).toEqual(t2.core_shape);
    expect(Math.abs(r.relError - t2.hooi_relative_error)).toBeLessThan(1e-4);
    expect(r.factors[2]!.shape).toEqual([3, 3]);
  });
});

describe.skipIf(!gpuAvailable)('Tucker on WebGPU against the CPU backend', () => {
  it('the same subspaces and errors as the CPU on a noisy low-rank 4-D tensor with a size-1 mode', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [17, 1, 70, 9], ranks: [3, 1, 4, 2], noise: 0.02 }, new RandomSource(5)).tensor;
    for (const init of ['svd', 'random'] as const) {
      const cpu = tucker(x, opts({ ranks: [3, 1, 4, 2], init, random: new RandomSource(9) }));
      const gpuR = await tuckerGpu(ops, x, opts({ ranks: [3, 1, 4, 2], init, random: new RandomSource(9) }));
      expect(Math.abs(gpuR.relError - cpu.relError)).toBeLessThan(1e-6);
      // Subspaces agree: the projector difference ‖UUᵀ − VVᵀ‖ is tiny (factors may differ by rotation).
      gpuR.factors.forEach((u, m) => {
        const v = cpu.factors[m]!;
        const pu = matmul(u, u, { transB: true });
        const pv = matmul(v, v, { transB: true });
        let d = 0;
        for (let i = 0; i < pu.size; i++) d = Math.max(d, Math.abs(pu.data[i]! - pv.data[i]!));
        expect(d).toBeLessThan(1e-4);
      });
      expect(gpuR.trace.length).toBeGreaterThan(0);
    }
  });

  it('reconstructs exactly at full ranks', async () => {
    const x = new Tensor([6, 5, 7]);
    new RandomSource(3).fillNormal(x.data);
    const r = await tuckerGpu(ops, x, opts({ ranks: [6, 5, 7] }));
    expect(r.relError).toBeLessThan(1e-6);
  });

  it('decomposes a tensor above the storage binding limit in windows, with the same result', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [30, 26, 22], ranks: [3, 4, 2], noise: 0.01 }, new RandomSource(8)).tensor; // 68.6 KB
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 16384 } });
    const want = await tuckerGpu(ops, x, opts({ ranks: [3, 4, 2] }));
    const got = await tuckerGpu(small, x, opts({ ranks: [3, 4, 2] }));
    expect(got.iterations).toBe(want.iterations);
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-7);
    expect(relMax(got.core, want.core)).toBeLessThan(1e-5);
  });

  it('refuses a tensor above the device\'s buffer size limit, naming the sizes', async () => {
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxBufferSize: 1024 } });
    await expect(tuckerGpu(small, new Tensor([10, 10, 10]), opts({ ranks: [2, 2, 2] }))).rejects.toThrow(/tucker input \[10×10×10\] needs 4000 bytes in one buffer, above this device's buffer size limit of 1024 bytes/);
  });
});
