// Randomized SVD on the GPU against LAPACK's singular values (test/refs svd_decay_240x180) and
// the identities of an SVD (orthonormal factors, reconstruction of the rank-k part).
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, matmul, syntheticTensor, truncatedSvd, type Mat } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { randomizedSvdGpu, truncatedSvdGpu } from '../../engine/webgpu/rsvd';
import { gpuAvailable, refExpected, refInput, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
});

describe.skipIf(!gpuAvailable)('randomized SVD on WebGPU', () => {
  it('finds the top-20 singular values of svd_decay_240x180 to float32 accuracy', async () => {
    const a = refInput('svd_decay_240x180');
    const want = refExpected('svd_decay_240x180').top_singular_values as number[];
    const { u, s, v } = await randomizedSvdGpu(ops, ops.upload(a), { rank: 20, oversample: 10, powerIters: 4, random: new RandomSource(3) });
    want.forEach((x, i) => expect(Math.abs(s[i]! - x) / x).toBeLessThan(1e-4));
    for (const f of [u, v].map(toTensor)) {
      const g = matmul(f, f, { transA: true });
      for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) expect(Math.abs(g.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(1e-4);
    }
    expect([u.rows, u.cols]).toEqual([240, 20]);
    expect([v.rows, v.cols]).toEqual([180, 20]);
  });

  it('decompose.svd randomized: the same rank choice, spectrum and truncation error as the CPU backend', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [300, 70, 2], ranks: [6, 6, 2], noise: 0.01 }, new RandomSource(4)).tensor;
    const opts = { rank: 6, method: 'randomized' as const, oversample: 8, powerIters: 3, mode: 1 };
    const cpu = truncatedSvd(x, { ...opts, random: new RandomSource(11) });
    const got = await truncatedSvdGpu(ops, x, { ...opts, random: new RandomSource(11) });
    expect(got.rank).toBe(6);
    expect(got.value.u.shape).toEqual([70, 6]);
    expect(got.value.v.shape).toEqual([600, 6]);
    for (let i = 0; i < 6; i++) expect(Math.abs(got.spectrum[i]! - cpu.spectrum[i]!) / cpu.spectrum[0]!).toBeLessThan(1e-5);
    expect(Math.abs(got.relError - cpu.relError)).toBeLessThan(1e-5);
    expect(got.relError).toBeGreaterThan(0.005);
  });

  it('a matrix above an artificially small storage binding limit: the same factorization, in windows', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [200, 90], ranks: [5, 5], noise: 0.01 }, new RandomSource(6)).tensor; // 72 KB
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 16384 } });
    const opts = { rank: 5, method: 'randomized' as const, oversample: 5, powerIters: 2 };
    const want = await truncatedSvdGpu(ops, x, { ...opts, random: new RandomSource(2) });
    const got = await truncatedSvdGpu(small, x, { ...opts, random: new RandomSource(2) });
    for (let i = 0; i < 5; i++) expect(Math.abs(got.spectrum[i]! - want.spectrum[i]!) / want.spectrum[0]!).toBeLessThan(1e-5);
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-6);
  });

  it.each([1e30, 3e-30])('entries of magnitude %s: the spectrum of the input at magnitude 1, scaled, and the same error', async (scale) => {
    // CholeskyQR squares the sketch: float32 overflows above ~1e19 and underflows below ~1e-19.
    const x = syntheticTensor({ kind: 'tucker', shape: [60, 40], ranks: [4, 4], noise: 0.01 }, new RandomSource(8)).tensor;
    const opts = { rank: 4, method: 'randomized' as const, oversample: 6, powerIters: 2 };
    const unit = await truncatedSvdGpu(ops, x, { ...opts, random: new RandomSource(5) });
    const big = await truncatedSvdGpu(ops, new Tensor(x.shape, x.data.map((v) => v * scale)), { ...opts, random: new RandomSource(5) });
    for (let i = 0; i < 4; i++) expect(big.spectrum[i]! / scale / unit.spectrum[i]!).toBeCloseTo(1, 4);
    expect(big.value.s.data.every(Number.isFinite)).toBe(true);
    expect(Math.abs(big.relError - unit.relError)).toBeLessThan(1e-4);
  });

  it('decompose.svd exact on the WebGPU backend is the CPU Jacobi SVD', async () => {
    const x = syntheticTensor({ kind: 'gaussian', shape: [30, 20], ranks: [], noise: 0 }, new RandomSource(5)).tensor;
    const opts = { rank: 5, method: 'exact' as const, oversample: 0, powerIters: 0, random: new RandomSource(1) };
    expect((await truncatedSvdGpu(ops, x, opts)).spectrum).toEqual(truncatedSvd(x, opts).spectrum);
  });
});

const toTensor = (m: Mat) => new Tensor([m.rows, m.cols], Float32Array.from(m.data));
