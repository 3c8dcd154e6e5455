// Randomized SVD on the GPU against LAPACK's singular values (shared/refs svd_decay_240x180) and
// the identities of an SVD (orthonormal factors, reconstruction of the rank-k part).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RandomSource, matmul, readNpy } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { GemmKernel } from '../../engine/webgpu/gemm';
import { randomizedSvdGpu } from '../../engine/webgpu/rsvd';
import { gpuOrNull } from './gpu';

let gpu: GpuContext | null = null;
let gemm: GemmKernel;
beforeAll(async () => {
  gpu = await gpuOrNull();
  if (gpu) gemm = new GemmKernel(gpu);
});
afterAll(() => gpu?.device.destroy());

const refs = new URL('../../../shared/refs/cases/svd_decay_240x180/', import.meta.url);

describe('randomized SVD on WebGPU', () => {
  it('finds the top-20 singular values of svd_decay_240x180 to float32 accuracy', async () => {
    if (!gpu) return;
    const a = readNpy(new Uint8Array(readFileSync(new URL('input.npy', refs))), 'input.npy');
    const want = JSON.parse(readFileSync(new URL('expected.json', refs), 'utf8')).top_singular_values as number[];
    const { u, s, v } = await randomizedSvdGpu(gemm, a, { rank: 20, oversample: 10, powerIters: 4, random: new RandomSource(3) });
    want.forEach((x, i) => expect(Math.abs(s[i]! - x) / x).toBeLessThan(1e-4));
    for (const f of [u, v]) {
      const g = matmul(f, f, { transA: true });
      for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) expect(Math.abs(g.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(1e-4);
    }
    expect(u.shape).toEqual([240, 20]);
    expect(v.shape).toEqual([180, 20]);
  });
});
