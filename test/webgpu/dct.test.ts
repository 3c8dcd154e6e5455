// The GPU DCT (a product with the cosine matrix) against scipy's dctn (test/refs dct_2d_13x22 and
// dct_3d_12x20x18, odd sizes) and the CPU transform on other axes, at the refs' 1e-5 × max|c|.
import { describe, expect, it, vi } from 'vitest';
import { Tensor, dct } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { DctFftKernel } from '../../engine/webgpu/kernels/dct-fft';
import { bluesteinTables } from '../../engine/webgpu/kernels/dct-four-step';
import { dctGpu } from '../../engine/webgpu/transforms';
import { gaussian, gpuAvailable, refNpy as npy, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
let fft: DctFftKernel;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
  fft = new DctFftKernel(gpu, ops);
});

const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const peak = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe.skipIf(!gpuAvailable)('WebGPU DCT', () => {
  it.each(['dct_2d_13x22', 'dct_3d_12x20x18'])('matches scipy.fft.dctn(norm="ortho") on %s over all axes, and inverts', async (c) => {
    const x = npy(c, 'input.npy');
    const want = npy(c, 'expected.npy');
    const got = await dctGpu(ops, x, {});
    expect(got.shape).toEqual(x.shape);
    expect(maxDiff(got, want)).toBeLessThanOrEqual(1e-5 * peak(want));
    const back = await dctGpu(ops, got, { inverse: true });
    expect(maxDiff(back, x) / peak(x)).toBeLessThan(1e-5);
  });

  it.each([[[5, 7, 3], [1]], [[4, 1, 6], [0, 2]], [[9, 2], [-2]]])('equals the CPU on %j along axes %j', async (shape, axes) => {
    const x = gaussian(shape, 3);
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes, inverse }));
      expect(maxDiff(await dctGpu(ops, x, { axes, inverse }), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it.each([[[3, 2]], [[5, 8]], [[2, 512]], [[3, 2048]]])('the FFT route (Makhoul) on %j equals the CPU and the cosine-matrix route, and inverts', async (shape) => {
    const x = gaussian(shape, shape[1]!);
    const spy = vi.spyOn(fft, 'transformLastAxis');
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes: [1], inverse }));
      const viaFft = await dctGpu(ops, x, { axes: [1], inverse }, fft, 0);
      expect(maxDiff(viaFft, want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
    const y = await dctGpu(ops, x, { axes: [1] }, fft, 0);
    expect(maxDiff(await dctGpu(ops, y, { axes: [1], inverse: true }, fft, 0), x)).toBeLessThanOrEqual(1e-5 * peak(x));
    expect(spy).toHaveBeenCalledTimes(4); // every transform above took the FFT route
    spy.mockRestore();
  });

  it('the FFT route on inner axes of 1024 and 300 (Bluestein), the matrix route on 2 and 200 (DCT_FFT_ABOVE = 256)', async () => {
    const x = gaussian([4, 1024, 3], 9);
    const want = (await dct(x, { axes: [1] }));
    const spy = vi.spyOn(fft, 'transformLastAxis');
    expect(maxDiff(await dctGpu(ops, x, { axes: [1] }, fft), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    expect(spy).toHaveBeenCalledTimes(1);
    const odd = gaussian([2, 300], 10);
    expect(maxDiff(await dctGpu(ops, odd, {}, fft), (await dct(odd)))).toBeLessThanOrEqual(1e-5 * peak((await dct(odd))));
    expect(spy).toHaveBeenCalledTimes(2); // 300 by FFT, 2 by the cosine matrix
    const short = gaussian([3, 200], 11);
    expect(maxDiff(await dctGpu(ops, short, { axes: [1] }, fft), (await dct(short, { axes: [1] })))).toBeLessThanOrEqual(1e-5 * peak((await dct(short, { axes: [1] }))));
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  // Lengths that are not powers of two: Bluestein's convolution by FFTs of N = 8 (n = 3), 16 (5, 6,
  // 7), 2048 (1000, 1001) — all in one workgroup per line — and 4096 (1500: 64·64), 8192 (3000:
  // 128·64) in four steps; odd and even n (Makhoul's permutation for odd n).
  it.each([3, 5, 6, 7, 1000, 1001, 1500, 3000])('Bluestein\'s FFT route for lines of %i equals the CPU both ways and inverts', async (n) => {
    const x = gaussian([3, n], n);
    const spy = vi.spyOn(fft, 'transformLastAxis');
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes: [1], inverse }));
      expect(maxDiff(await dctGpu(ops, x, { axes: [1], inverse }, fft, 0), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
    const y = await dctGpu(ops, x, { axes: [1] }, fft, 0);
    expect(maxDiff(await dctGpu(ops, y, { axes: [1], inverse: true }, fft, 0), x)).toBeLessThanOrEqual(1e-5 * peak(x));
    expect(spy).toHaveBeenCalledTimes(4);
    spy.mockRestore();
  });

  it('Bluestein\'s tables: the chirp and its FFT against the direct DFT in float64', () => {
    const n = 5;
    const big = 16;
    const { chirp, chirpFft } = bluesteinTables(n, big);
    for (let j = 0; j < n; j++) expect([chirp[2 * j]!, chirp[2 * j + 1]!].map((v) => +v.toFixed(12))).toEqual([Math.cos((Math.PI * j * j) / n), Math.sin((Math.PI * j * j) / n)].map((v) => +v.toFixed(12)));
    for (let k = 0; k < big; k++) {
      let re = 0;
      let im = 0;
      for (let j = -(n - 1); j < n; j++) {
        const [cr, ci] = [Math.cos((Math.PI * j * j) / n), Math.sin((Math.PI * j * j) / n)];
        const a = (-2 * Math.PI * (((j % big) + big) % big) * k) / big;
        re += cr * Math.cos(a) - ci * Math.sin(a);
        im += cr * Math.sin(a) + ci * Math.cos(a);
      }
      expect(Math.abs(chirpFft[2 * k]! - re) + Math.abs(chirpFft[2 * k + 1]! - im)).toBeLessThan(1e-12);
    }
  });

  it.each([[[2, 4096]], [[3, 8192]]])('the four-step FFT route on %j (lines beyond one workgroup) equals the CPU and inverts', async (shape) => {
    const x = gaussian(shape, shape[1]! + 1);
    const spy = vi.spyOn(fft, 'transformLastAxis');
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes: [1], inverse }));
      expect(maxDiff(await dctGpu(ops, x, { axes: [1], inverse }, fft), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
    const y = await dctGpu(ops, x, { axes: [1] }, fft);
    expect(maxDiff(await dctGpu(ops, y, { axes: [1], inverse: true }, fft), x)).toBeLessThanOrEqual(1e-5 * peak(x));
    expect(spy).toHaveBeenCalledTimes(4);
    spy.mockRestore();
  });

  it('the four-step route on a line of 2²⁰: a DCT-II basis vector transforms to √(n/2)·e_k (closed form) and back', async () => {
    const n = 2 ** 20;
    const k0 = 12345;
    // x_j = cos(πk0(2j+1)/2n) (in float64, rounded): orthonormal DCT-II gives y = √(n/2)·e_k0.
    const x = new Tensor([1, n], Float32Array.from({ length: n }, (_, j) => Math.cos((Math.PI * k0 * (2 * j + 1)) / (2 * n))));
    const y = await (await dctGpu(ops, x, { axes: [1] }, fft)).materialize();
    const peakY = Math.sqrt(n / 2);
    expect(Math.abs(y.data[k0]! - peakY)).toBeLessThanOrEqual(1e-5 * peakY);
    let off = 0;
    for (let k = 0; k < n; k++) if (k !== k0) off = Math.max(off, Math.abs(y.data[k]!));
    expect(off).toBeLessThanOrEqual(1e-5 * peakY);
    expect(maxDiff(await dctGpu(ops, y, { axes: [1], inverse: true }, fft), x)).toBeLessThanOrEqual(1e-5);
  });

  it('Bluestein\'s route a window of 16 lines of 300 at a time (windows start on 256-byte boundaries)', async () => {
    // N = 1024: 8 KiB of scratch per line; 160 KiB holds 20 lines, rounded down to 16 for alignment.
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 160 * 1024 } });
    const smallFft = new DctFftKernel(small.ctx, small);
    const x = gaussian([40, 300], 22);
    expect(smallFft.handles(300)).toBe(true);
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes: [1], inverse }));
      expect(maxDiff(await dctGpu(small, x, { axes: [1], inverse }, smallFft, 0), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it('the four-step route a window of lines at a time; lines whose complex form exceeds one binding are not taken', async () => {
    // 40 KiB: one complex line of 4096 (32 KiB) fits, the three lines (48 KiB real) do not.
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 40960 } });
    const smallFft = new DctFftKernel(small.ctx, small);
    const x = gaussian([3, 4096], 21);
    expect(smallFft.handles(4096)).toBe(true);
    expect(smallFft.handles(8192)).toBe(false); // 64 KiB per complex line
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes: [1], inverse }));
      expect(maxDiff(await dctGpu(small, x, { axes: [1], inverse }, smallFft), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it('the FFT route on a tensor above the storage binding limit, a window of lines at a time', async () => {
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 8192 } });
    const smallFft = new DctFftKernel(small.ctx, small);
    const x = gaussian([3, 9, 512], 13); // 55 KB, lines of 2 KB
    for (const inverse of [false, true]) {
      const want = (await dct(x, { axes: [2], inverse }));
      expect(maxDiff(await dctGpu(small, x, { axes: [2], inverse }, smallFft), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
    // Along every axis (the matrix route for 3 and 9, axis 0 moved by windowed transposes).
    const all = (await dct(x, {}));
    expect(maxDiff(await dctGpu(small, x, {}, smallFft), all)).toBeLessThanOrEqual(1e-5 * peak(all));
  });

  it('an axis with neither an FFT route nor a cosine matrix that fits a buffer is refused with the fix, before the host builds the matrix', async () => {
    // 64 KiB buffers: no 300×300 matrix (352 KiB), and no route by FFT (no kernel given).
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxBufferSize: 65536 } });
    await expect(dctGpu(small, gaussian([2, 300], 1), { axes: [1] })).rejects.toThrow(/the DCT along an axis of 300 has no FFT route on this device .* its 300×300 cosine matrix \(0\.3 MiB\) exceeds the largest buffer \(0\.1 MiB\); crop or pad the axis \(tensor\.slice, tensor\.pad\)/);
  });

  it('refuses an axis out of range, as the CPU does', async () => {
    await expect(dctGpu(ops, Tensor.zeros([3, 2]), { axes: [2] })).rejects.toThrow(/axis 2 is out of range for a 2-D input/);
  });
});
