// GEMM on WebGPU (Dawn over Vulkan; lavapipe on CPU-only machines) against the CPU backend, the
// definition of the op. Tolerance: float32 sums in another order, so ~k·2⁻²⁴ of the entries' size.
import { describe, expect, it } from 'vitest';
import { Tensor, map, matmul } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { GemmKernel, splitKChunks } from '../../engine/webgpu/kernels/gemm';
import { NaiveGemm } from '../../bench/gemm-naive';
import { gaussian, gpuAvailable, withGpu } from './gpu';
import { gemmMatmul, gemmTimeDispatches } from '../../bench/gemm-host';

let gpu: GpuContext;
let kernel: GemmKernel;

withGpu((g) => {
  gpu = g;
  kernel = new GemmKernel(gpu);
});

describe.skipIf(!gpuAvailable)('WebGPU GEMM', () => {
  it('the untiled reference product (the benchmark\'s baseline) equals the CPU and the tiled kernel', async () => {
    const naive = new NaiveGemm(gpu);
    for (const [m, k, n] of [[1, 1, 1], [37, 70, 19], [128, 64, 96]] as const) {
      const a = gaussian([m, k], m);
      const b = gaussian([k, n], n);
      const want = matmul(a, b);
      const scale = Math.max(...want.data.map(Math.abs), 1);
      const { c, ms } = await naive.run(a, b, 2);
      expect(ms).toBeGreaterThan(0);
      expect(Math.max(...c.data.map((v, i) => Math.abs(v - want.data[i]!))) / scale).toBeLessThan(1e-5);
      const tiled = await gemmMatmul(kernel, a, b);
      expect(Math.max(...c.data.map((v, i) => Math.abs(v - tiled.data[i]!))) / scale).toBeLessThan(1e-5);
    }
  });

  it('reports its adapter', () => {
    expect(gpu.adapter.length).toBeGreaterThan(0);
    expect(gpu.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [64, 64, 16],
    [65, 63, 17],
    [100, 1, 50],
    [1, 130, 33],
    [200, 150, 129],
  ])('%i×%i · %i×… matches the CPU, with every transpose combination', async (m, k, n) => {
    for (const transA of [false, true])
      for (const transB of [false, true]) {
        const a = gaussian(transA ? [k, m] : [m, k], m + k);
        const b = gaussian(transB ? [n, k] : [k, n], k + n + 1);
        const want = matmul(a, b, { transA, transB });
        const got = await gemmMatmul(kernel, a, b, { transA, transB });
        expect(got.shape).toEqual([m, n]);
        // Float32 summation error bound: k·2⁻²⁴·Σ|a||b| per entry (Higham, Accuracy and Stability, §3.1).
        const bound = matmul(map(a, Math.abs), map(b, Math.abs), { transA, transB });
        for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i]! - want.data[i]!)).toBeLessThanOrEqual(k * 2 ** -24 * bound.data[i]! + 1e-30);
      }
  });

  it.each([
    [20, 20000, 20],
    [70, 9000, 3],
    [1, 12289, 65],
  ])('split-K (%i×%i · …×%i: few output tiles, long K, a remainder) matches the CPU with every transpose combination', async (m, k, n) => {
    expect(splitKChunks(m, n, k)).toBeGreaterThan(1);
    for (const transA of [false, true])
      for (const transB of [false, true]) {
        const a = gaussian(transA ? [k, m] : [m, k], m + 3);
        const b = gaussian(transB ? [n, k] : [k, n], n + 5);
        const want = matmul(a, b, { transA, transB });
        const got = await gemmMatmul(kernel, a, b, { transA, transB, alpha: 0.5 });
        const bound = matmul(map(a, Math.abs), map(b, Math.abs), { transA, transB });
        for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i]! - 0.5 * want.data[i]!)).toBeLessThanOrEqual(0.5 * k * 2 ** -24 * bound.data[i]!);
      }
  });

  it.each([16, 32])('the tile is the binder\'s (WGSL override): tile %i gives the product within the same bound, in more workgroups', async (tile) => {
    const small = new GemmKernel(gpu, undefined, tile);
    const a = gaussian([97, 45], 11);
    const b = gaussian([45, 70], 12);
    const want = matmul(a, b);
    const bound = matmul(map(a, Math.abs), map(b, Math.abs));
    const got = await gemmMatmul(small, a, b);
    for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i]! - want.data[i]!)).toBeLessThanOrEqual(45 * 2 ** -24 * bound.data[i]! + 1e-30);
    // Splitting K is decided by output tiles of the kernel's size: smaller tiles, more of them.
    expect(splitKChunks(60, 60, 200000, tile)).toBeLessThan(splitKChunks(60, 60, 200000));
    expect(() => new GemmKernel(gpu, undefined, 30)).toThrow(/GEMM tile 30: a multiple of 4/);
  });

  it('reuses its buffers: a second product of the same sizes allocates nothing', async () => {
    const a = gaussian([40, 30], 3);
    const b = gaussian([30, 20], 4);
    await gemmMatmul(kernel, a, b);
    const created = kernel.pool.stats.created;
    const again = await gemmMatmul(kernel, a, b);
    expect(kernel.pool.stats.created).toBe(created);
    expect(kernel.pool.stats.reused).toBeGreaterThanOrEqual(5);
    // Reused (stale) buffers do not leak into the result: the same product, bit for bit.
    const third = await gemmMatmul(kernel, a, b);
    expect([...third.data]).toEqual([...again.data]);
  });

  it('times products on device-resident operands', async () => {
    const { wallMs, gpuMs } = await gemmTimeDispatches(kernel, gaussian([64, 64], 1), gaussian([64, 64], 2), 4);
    expect(wallMs).toBeGreaterThan(0);
    expect(Number.isFinite(wallMs)).toBe(true);
    // Timestamp queries where the device has them: kernel time, within the wall time around it.
    expect(gpuMs === null).toBe(!gpu.features.timestamps);
    if (gpuMs !== null) {
      expect(gpuMs).toBeGreaterThan(0);
      expect(gpuMs).toBeLessThanOrEqual(wallMs * 1.05);
    }
  });

  it('multiplies operands above the storage binding limit a window at a time (rows, K blocks, batches)', async () => {
    // An artificial 8 KiB binding limit: A and C below are larger and are bound in windows.
    const small = new GemmKernel({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 8192 } });
    const a = gaussian([300, 20], 1);
    const b = gaussian([20, 8], 2);
    const rows = await gemmMatmul(small, a, b);
    expect([...rows.data]).toEqual([...(await gemmMatmul(kernel, a, b)).data]); // same sums, bit for bit
    const at = gaussian([500, 9], 3); // A stored K × M with K = 500 rows: K blocks, C accumulated
    const bt = gaussian([500, 6], 4);
    const want = matmul(at, bt, { transA: true });
    const bound = matmul(map(at, Math.abs), map(bt, Math.abs), { transA: true });
    const got = await gemmMatmul(small, at, bt, { transA: true });
    for (let i = 0; i < want.size; i++) expect(Math.abs(got.data[i]! - want.data[i]!)).toBeLessThanOrEqual(500 * 2 ** -24 * bound.data[i]!);
  });

  it('refuses mismatched shapes, and operands above the buffer size limit', async () => {
    await expect(gemmMatmul(kernel, Tensor.zeros([2, 3]), Tensor.zeros([4, 2]))).rejects.toThrow(/inner sizes differ \(2×3 · 4×2\)/);
    const tiny = new GemmKernel({ ...gpu, limits: { ...gpu.limits, maxBufferSize: 64 } });
    await expect(gemmMatmul(tiny, Tensor.zeros([8, 8]), Tensor.zeros([8, 8]))).rejects.toThrow(/A needs 256 bytes, above this device's buffer size limit of 64 bytes/);
  });
});
