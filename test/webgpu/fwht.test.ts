// The WebGPU FWHT against the CPU transform (the definition) and the refs' arrays (scipy's
// hadamard(n)/√n, and the sequency order), at the refs' tolerance of 1e-5 × max|coefficient|.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, wht } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { FwhtKernel } from '../../engine/webgpu/kernels/fwht';
import { GpuOps } from '../../engine/webgpu/ops';
import { whtGpu } from '../../engine/webgpu/transforms';
import { gaussian, gpuAvailable, refNpy, withGpu } from './gpu';

let gpu: GpuContext;
let kernel: FwhtKernel;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  kernel = new FwhtKernel(gpu);
  ops = new GpuOps(gpu);
});

const refs = (f: string, c = 'wht_1d_512') => refNpy(c, f);
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const peak = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe.skipIf(!gpuAvailable)('WebGPU FWHT', () => {
  it('matches scipy on wht_1d_512, natural and sequency order', async () => {
    const x = refs('input.npy');
    for (const [order, file] of [['natural', 'expected.npy'], ['sequency', 'expected_sequency.npy']] as const) {
      const want = refs(file);
      expect(maxDiff(await kernel.transformLastAxis(x, order), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it.each([
    [[7, 64]],
    [[3, 4096]],
    [[5, 1]],
    [[2, 3, 8]],
  ])('equals the CPU transform along the last axis of %j', async (shape) => {
    const x = new Tensor(shape);
    new RandomSource(shape.length).fillNormal(x.data);
    const want = (await wht(x, { axes: [-1] }));
    expect(maxDiff(await kernel.transformLastAxis(x), want)).toBeLessThanOrEqual(1e-5 * Math.max(1e-30, peak(want)));
    const seq = (await wht(x, { axes: [-1], order: 'sequency' }));
    expect(maxDiff(await kernel.transformLastAxis(x, 'sequency'), seq)).toBeLessThanOrEqual(1e-5 * Math.max(1e-30, peak(seq)));
  });

  it('matches scipy on wht_2d_32x64 over both axes (natural and sequency) and inverts', async () => {
    const x = refs('input.npy', 'wht_2d_32x64');
    for (const [order, file] of [['natural', 'expected.npy'], ['sequency', 'expected_sequency.npy']] as const) {
      const want = refs(file, 'wht_2d_32x64');
      const got = await whtGpu(ops, kernel, x, { order });
      expect(maxDiff(got, want)).toBeLessThanOrEqual(1e-5 * peak(want));
      expect(maxDiff(await whtGpu(ops, kernel, got, { order, inverse: true }), x)).toBeLessThanOrEqual(1e-5 * peak(x));
    }
  });

  it('equals the CPU along inner axes and on lines longer than one pass (16384 = 4 × 4096)', async () => {
    for (const [shape, axes] of [[[4, 8, 2], [1]], [[2, 16, 4], [0, 1]], [[3, 16384], [1]]] as const) {
      const x = gaussian([...shape], 7);
      const want = (await wht(x, { axes: [...axes] }));
      expect(maxDiff(await whtGpu(ops, kernel, x, { axes: [...axes] }), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it('tensors above the storage binding limit: lines, inner axes and axis 0 in windows equal the CPU', async () => {
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 40960 } });
    const smallKernel = new FwhtKernel({ ...gpu, limits: small.ctx.limits }, small.pool);
    const x = gaussian([8, 32, 64], 11); // 64 KB
    for (const opts of [{ axes: [2] }, { axes: [1], order: 'sequency' as const }, { axes: [2], inverse: true, order: 'sequency' as const }]) {
      const want = (await wht(x, opts));
      expect(maxDiff(await whtGpu(small, smallKernel, x, opts), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
    const long = gaussian([2, 8192], 12); // two passes, the transposes windowed over axis 0
    expect(maxDiff(await whtGpu(small, smallKernel, long, { axes: [1] }), (await wht(long, { axes: [1] })))).toBeLessThanOrEqual(1e-5 * peak((await wht(long, { axes: [1] }))));
    // Along axis 0 the transposes that move it go through their windowed passes.
    for (const opts of [{ axes: [0] }, { axes: [0, 2], order: 'sequency' as const }]) {
      const want = (await wht(x, opts));
      expect(maxDiff(await whtGpu(small, smallKernel, x, opts), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it('refuses lengths that are not powers of two (naming the pad), and sequency order beyond one pass', async () => {
    await expect(kernel.transformLastAxis(Tensor.zeros([2, 12]))).rejects.toThrow(/power-of-two last axis, but \[2×12\] ends in 12/);
    await expect(whtGpu(ops, kernel, Tensor.zeros([2, 12]), {})).rejects.toThrow(/axis 1 of \[2×12\] has 12; pad it to 16 with a tensor.pad node first/);
    await expect(whtGpu(ops, kernel, Tensor.zeros([8192]), { order: 'sequency' })).rejects.toThrow(/sequency order on lines of up to 4096, got 8192/);
  });
});
