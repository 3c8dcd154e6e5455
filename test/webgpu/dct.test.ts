// The GPU DCT (a product with the cosine matrix) against the CPU transform and scipy's dctn
// reference (shared/refs dct_2d_13x22, odd sizes), at the refs' 1e-5 × max|coefficient|.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tensor, dct, permute, readNpy } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { dctLastAxisGpu } from '../../engine/webgpu/dct';
import { GemmKernel } from '../../engine/webgpu/gemm';
import { gpuOrNull } from './gpu';

let gpu: GpuContext | null = null;
let gemm: GemmKernel;
beforeAll(async () => {
  gpu = await gpuOrNull();
  if (gpu) gemm = new GemmKernel(gpu);
});
afterAll(() => gpu?.device.destroy());

const npy = (f: string) => readNpy(new Uint8Array(readFileSync(new URL(`../../../shared/refs/cases/dct_2d_13x22/${f}`, import.meta.url))), f);
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const peak = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('WebGPU DCT', () => {
  it('matches scipy.fft.dctn on dct_2d_13x22 (both axes, via a transpose) and inverts', async () => {
    if (!gpu) return;
    const x = npy('input.npy');
    const rows = await dctLastAxisGpu(gemm, x);
    const both = permute(await dctLastAxisGpu(gemm, permute(rows, [1, 0])), [1, 0]);
    const want = npy('expected.npy');
    expect(maxDiff(both, want)).toBeLessThanOrEqual(1e-5 * peak(want));
    expect(maxDiff(rows, dct(x, { axes: [1] }))).toBeLessThanOrEqual(1e-5 * peak(rows));
    const back = await dctLastAxisGpu(gemm, rows, true);
    expect(maxDiff(back, x) / peak(x)).toBeLessThan(1e-5);
  });

  it('refuses an empty last axis', async () => {
    if (!gpu) return;
    await expect(dctLastAxisGpu(gemm, Tensor.zeros([3, 0]))).rejects.toThrow(/non-empty last axis, got \[3×0\]/);
  });
});
