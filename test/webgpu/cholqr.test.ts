// CholeskyQR2 on the GPU: Q orthonormal to float32 precision, Q·R = A, R equal to the host's
// Householder R (both with a positive diagonal), and the shifted pass on an ill-conditioned A.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, matmul, mat, qr } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { cholQR } from '../../engine/webgpu/cholqr';
import { GpuOps } from '../../engine/webgpu/ops';
import { gpuAvailable, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
});

/** A = U·diag(σ)·Vᵀ with σ from 1 down to 1/κ (log-spaced), m × n. */
function conditioned(m: number, n: number, kappa: number, seed: number): Tensor {
  const rnd = new RandomSource(seed);
  const u = qr(mat(m, n, Float64Array.from({ length: m * n }, () => rnd.normal()))).q;
  const v = qr(mat(n, n, Float64Array.from({ length: n * n }, () => rnd.normal()))).q;
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += u.data[i * n + k]! * kappa ** (-k / (n - 1)) * v.data[j * n + k]!;
      a[i * n + j] = s;
    }
  return new Tensor([m, n], Float32Array.from(a));
}

function check(a: Tensor, q: Tensor, r: { data: Float64Array }) {
  const [m, n] = a.shape as [number, number];
  const qtq = matmul(q, q, { transA: true });
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(qtq.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(2e-5);
  const qr32 = matmul(q, new Tensor([n, n], Float32Array.from(r.data)));
  let err = 0;
  let norm = 0;
  for (let i = 0; i < m * n; i++) {
    err += (qr32.data[i]! - a.data[i]!) ** 2;
    norm += a.data[i]! ** 2;
  }
  expect(Math.sqrt(err / norm)).toBeLessThan(1e-5);
}

describe.skipIf(!gpuAvailable)('CholeskyQR2 on WebGPU', () => {
  it('orthonormalises a well-conditioned tall matrix and agrees with Householder R', async () => {
    const a = conditioned(300, 20, 10, 1);
    const { q, r, shifted } = await cholQR(ops, ops.upload(a));
    expect(shifted).toBe(false);
    check(a, await ops.read(q), r);
    const host = qr(mat(300, 20, Float64Array.from(a.data))).r;
    for (let i = 0; i < 400; i++) expect(Math.abs(r.data[i]! - host.data[i]!)).toBeLessThan(1e-4);
  });

  it('takes shifted passes when κ(A)² exceeds float32 (κ = 1e5)', async () => {
    const a = conditioned(400, 16, 1e5, 2);
    const { q, r, shifted } = await cholQR(ops, ops.upload(a));
    expect(shifted).toBe(true);
    check(a, await ops.read(q), r);
  });

  it('refuses a wide matrix', async () => {
    await expect(cholQR(ops, ops.upload(Tensor.zeros([3, 5])))).rejects.toThrow(/tall matrix \(m ≥ n\), got \[3×5\]/);
  });
});
