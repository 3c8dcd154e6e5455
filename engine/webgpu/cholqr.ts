// Orthonormalisation on the GPU by CholeskyQR2 (Fukaya, Nakatsukasa, Yanagisawa & Yamamoto 2014):
// G = QᵀQ (GEMM on the device), G = RᵀR (Cholesky on the host, float64), Q ← Q·R⁻¹ (GEMM), twice.
// In float32 the Gram matrix cannot hold κ(A)² > 1/u; when a Cholesky then fails, that pass is
// shifted — G + s·I with s = 11(mn + n(n+1))·u·‖Q‖F² (shifted CholeskyQR3, Fukaya et al., SIAM J.
// Sci. Comput. 42(1), 2020) — and passes continue until two plain ones in a row succeed.
import { cholesky, identityMat, invertUpper, mat, mul, type Mat } from '../linalg';
import { Tensor, formatShape } from '../tensor';
import type { GpuOps, GpuTensor } from './ops';

const U32 = 2 ** -24;

/** The matrix is rank deficient (or holds a zero column) to float32 precision: CholeskyQR cannot
 * orthonormalise it; a Householder QR can (see randomizedSvdGpu). */
export class RankDeficientError extends Error {}

export interface CholQrResult {
  /** Q on the device, a new tensor (A is left as it was). */
  q: GpuTensor;
  /** R with A = Q·R, upper triangular, float64. */
  r: Mat;
  /** Whether the shifted first pass was needed. */
  shifted: boolean;
}

export async function cholQR(ops: GpuOps, a: GpuTensor): Promise<CholQrResult> {
  const [m, n] = a.shape as [number, number];
  if (a.shape.length !== 2 || m < n) throw new Error(`CholeskyQR needs a tall matrix (m ≥ n), got ${formatShape(a.shape)}`);
  let q = a;
  let rTotal = identityMat(n);
  let shifted = false;
  let plain = 0;
  // Each pass factors the Gram matrix of the current Q; when that fails (κ(Q)² beyond float32) the
  // pass is shifted, which divides κ(Q) by about ‖Q‖/√s. In float32 one shifted pass covers
  // κ(A) up to ~3e4; repeating it extends that, and two plain passes finish (CholeskyQR2).
  for (let pass = 0; plain < 2; pass++) {
    if (pass === MAX_PASSES) throw new RankDeficientError(`CholeskyQR: no convergence in ${MAX_PASSES} passes; A ${formatShape(a.shape)} is rank deficient to float32 precision`);
    const gram = ops.matmul(q, q, { transA: true });
    const g = mat(n, n, Float64Array.from((await ops.read(gram)).data));
    ops.release(gram);
    let r = cholesky(g);
    if (r) plain++;
    else {
      let trace = 0;
      for (let i = 0; i < n; i++) trace += g.data[i * n + i]!;
      const shift = 11 * (m * n + n * (n + 1)) * U32 * trace;
      for (let i = 0; i < n; i++) g.data[i * n + i]! += shift;
      r = cholesky(g);
      if (!r) throw new RankDeficientError(`CholeskyQR: even the shifted Gram matrix is not positive definite; A ${formatShape(a.shape)} holds a zero or non-finite column`);
      shifted = true;
      plain = 0;
    }
    const rInv = ops.upload(new Tensor([n, n], Float32Array.from(invertUpper(r).data)), 'R⁻¹');
    const next = ops.matmul(q, rInv);
    ops.release(rInv);
    if (q !== a) ops.release(q);
    q = next;
    rTotal = mul(r, rTotal);
  }
  return { q, r: rTotal, shifted };
}

const MAX_PASSES = 8;
