// Randomized SVD with the large products on the GPU (Halko, Martinsson & Tropp 2011, Alg. 4.4):
// Y = A·Ω, q power iterations Z = Aᵀ·Q, Y = A·Z, each re-orthonormalised by CholeskyQR2 on the
// device; B = Qᵀ·A, the small SVD of B on the host (float64 Jacobi), U = Q·U_B on the device.
import { mat, svd } from '../linalg';
import type { RandomSource } from '../random';
import { Tensor, formatShape } from '../tensor';
import { cholQR } from './cholqr';
import type { GemmKernel } from './gemm';

export interface GpuRsvdOptions {
  rank: number;
  oversample: number;
  powerIters: number;
  random: RandomSource;
}

export async function randomizedSvdGpu(gemm: GemmKernel, a: Tensor, opts: GpuRsvdOptions): Promise<{ u: Tensor; s: Float64Array; v: Tensor }> {
  if (a.ndim !== 2) throw new Error(`randomized SVD needs a matrix, got ${formatShape(a.shape)}`);
  const [m, n] = a.shape as [number, number];
  const k = Math.min(opts.rank, m, n);
  const l = Math.min(k + opts.oversample, m, n);
  const omega = new Tensor([n, l]);
  opts.random.fillNormal(omega.data);
  let q = (await cholQR(gemm, await gemm.matmul(a, omega))).q; // m × l
  for (let i = 0; i < opts.powerIters; i++) {
    const z = (await cholQR(gemm, await gemm.matmul(a, q, { transA: true }))).q; // n × l
    q = (await cholQR(gemm, await gemm.matmul(a, z))).q;
  }
  // Bᵀ = Aᵀ·Q (n × l, tall): its SVD gives B = U_B·S·Vᵀ with U_B = V_{Bᵀ}, V = U_{Bᵀ}.
  const bt = await gemm.matmul(a, q, { transA: true });
  const small = svd(mat(n, l, Float64Array.from(bt.data)));
  const ub = new Tensor([l, k]);
  const v = new Tensor([n, k]);
  for (let i = 0; i < l; i++) for (let j = 0; j < k; j++) ub.data[i * k + j] = small.v.data[i * small.v.cols + j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) v.data[i * k + j] = small.u.data[i * small.u.cols + j]!;
  const u = await gemm.matmul(q, ub);
  return { u, s: small.s.slice(0, k), v };
}
