// The WebGPU DWT against PyWavelets (test/refs: all 9 packed results, 1-D to 3-D, haar/db2/db4/
// sym4, several levels, a subset of axes) at the refs' 1e-5 × max|c|, its inverse, short lines
// (shorter than the filter), and the CPU transform.
import { describe, expect, it } from 'vitest';
import { Tensor, dwt, type Wavelet } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { DwtKernel } from '../../engine/webgpu/kernels/dwt';
import { dwtGpu } from '../../engine/webgpu/transforms';
import { GpuOps } from '../../engine/webgpu/ops';
import { gaussian, gpuAvailable, refExpected as expected, refNpy as npy, relMax, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
let kernel: DwtKernel;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
  kernel = new DwtKernel(gpu, ops.pool);
});


const cases: [string, string, Wavelet, number, number[] | undefined][] = [];
for (const c of ['dwt_1d_384', 'dwt_2d_64x96', 'dwt_3d_16x24x32']) {
  for (const [key, r] of Object.entries(expected(c).results as Record<string, { wavelet: Wavelet; level: number; axes: number[] }>)) cases.push([c, key, r.wavelet, r.level, r.axes]);
}

describe.skipIf(!gpuAvailable)('WebGPU DWT', () => {
  it.each(cases)('%s %s equals pywt (packed) and inverts', async (c, key, wavelet, levels, axes) => {
    const x = npy(c, 'input.npy');
    const opts = { wavelet, levels, ...(axes ? { axes } : {}) };
    const y = await dwtGpu(ops, kernel, x, opts);
    expect(relMax(y, npy(c, `expected_${key}_packed.npy`))).toBeLessThanOrEqual(1e-5);
    expect(relMax(await dwtGpu(ops, kernel, y, { ...opts, inverse: true }), x)).toBeLessThan(1e-5);
  });

  it('equals the CPU where lines get shorter than the filter (db4 on 16, 3 levels: lines of 4 and 2)', async () => {
    const x = gaussian([16, 3, 8], 2);
    for (const inverse of [false, true]) {
      const opts = { wavelet: 'db4' as const, levels: 3, axes: [0, 2], inverse };
      expect(relMax(await dwtGpu(ops, kernel, x, opts), (await dwt(x, opts)))).toBeLessThan(1e-5);
    }
  });

  it('takes tensors above an artificially small binding limit a window at a time, along every axis, equal to the CPU', async () => {
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 4096 } });
    const smallKernel = new DwtKernel({ ...gpu, limits: small.ctx.limits }, small.pool);
    const x = gaussian([16, 24, 8], 3); // 12 KB: windows of slabs; levels along axis 0 between transposes
    for (const opts of [
      { wavelet: 'db2' as const, levels: 2 },
      { wavelet: 'sym4' as const, levels: 1, axes: [0] },
      { wavelet: 'haar' as const, levels: 3, axes: [1, 2] },
    ]) {
      for (const inverse of [false, true]) {
        const o = { ...opts, inverse };
        const before = small.stats.dispatches;
        expect(relMax(await dwtGpu(small, smallKernel, x, o), (await dwt(x, o))), JSON.stringify(o)).toBeLessThan(1e-5);
        expect(small.stats.dispatches - before).toBeGreaterThan(2 * opts.levels);
      }
    }
    // A 1-D signal has no second axis to window over: refused with the sizes and the CPU backend.
    await expect(dwtGpu(small, smallKernel, gaussian([2048], 1), { wavelet: 'haar', levels: 1 })).rejects.toThrow(/the wavelet transform of a 1-D signal on the GPU reads all of \[2048\] \(8192 bytes\) at once, above this device's storage binding limit of 4096 bytes .*use --backend cpu for this node/);
  });

  it('refuses axes not divisible by 2^levels, naming the pad', async () => {
    await expect(dwtGpu(ops, kernel, Tensor.zeros([24, 20]), { wavelet: 'haar', levels: 3 })).rejects.toThrow(/3 levels of periodized DWT need axis 1 of \[24×20\] divisible by 8, but it has 20; pad it to 24/);
  });
});
