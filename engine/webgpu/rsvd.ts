// Randomized SVD with the large products on the GPU (Halko, Martinsson & Tropp 2011, Alg. 4.4):
// Y = A·Ω, q power iterations Z = Aᵀ·Q, Y = A·Z, each re-orthonormalised by CholeskyQR2 on the
// device; Bᵀ = Aᵀ·Q is read back and its small SVD taken on the host (float64 Jacobi), U = Q·U_B on
// the device. A is uploaded once and stays resident for all 2q + 2 products; Ω is drawn on the
// host from the node's stream, so the CPU and GPU runs start from the same test matrix.
import { mat, qr, svd as exactSvd, type Svd } from '../linalg';
import { svdMatrix, truncateSvd, truncatedSvd, type SvdOptions, type SvdResult } from '../decomp/svd';
import { errorRatio } from '../decomp/dense64';
import type { RandomSource } from '../random';
import { Tensor, finiteSumSquares, formatShape, normShift, scaleUp, scaledDown } from '../tensor';
import { RankDeficientError, cholQR } from './cholqr';
import type { GpuOps, GpuTensor } from './ops';

export interface GpuRsvdOptions {
  rank: number;
  oversample: number;
  powerIters: number;
  random: RandomSource;
  onIteration?: (i: number, of: number) => void;
}

/** The leading `rank` singular triplets of a resident matrix; factors in float64 on the host. */
export async function randomizedSvdGpu(ops: GpuOps, a: GpuTensor, opts: GpuRsvdOptions): Promise<Svd> {
  if (a.shape.length !== 2) throw new Error(`randomized SVD needs a matrix, got ${formatShape(a.shape)}`);
  const [m, n] = a.shape as [number, number];
  const k = Math.min(opts.rank, m, n);
  const l = Math.min(k + opts.oversample, m, n);
  const omega = new Tensor([n, l]);
  opts.random.fillNormal(omega.data);
  const omegaGpu = ops.upload(omega, 'Ω');
  // A sketch of a matrix of rank < l is rank deficient (a zero or rank-one A, a rank above A's):
  // CholeskyQR cannot factor its Gram, so that pass takes a Householder QR of the m × l sketch in
  // float64 on the host, whose Q is orthonormal whatever the rank.
  const orth = async (y: GpuTensor) => {
    try {
      const { q } = await cholQR(ops, y);
      return q;
    } catch (e) {
      if (!(e instanceof RankDeficientError)) throw e;
      const host = await ops.read(y);
      const { q } = qr(mat(y.shape[0]!, y.shape[1]!, Float64Array.from(host.data)));
      return ops.upload(new Tensor([q.rows, q.cols], Float32Array.from(q.data)), 'Q (Householder)');
    } finally {
      ops.release(y);
    }
  };
  let q = await orth(ops.matmul(a, omegaGpu)); // m × l
  ops.release(omegaGpu);
  for (let i = 0; i < opts.powerIters; i++) {
    const z = await orth(ops.matmul(a, q, { transA: true })); // n × l
    ops.release(q);
    q = await orth(ops.matmul(a, z));
    ops.release(z);
    opts.onIteration?.(i, opts.powerIters);
  }
  // Bᵀ = Aᵀ·Q (n × l, tall): its SVD gives B = U_B·S·Vᵀ with U_B = V_{Bᵀ}, V = U_{Bᵀ}.
  const btGpu = ops.matmul(a, q, { transA: true });
  const bt = await ops.read(btGpu);
  ops.release(btGpu);
  const small = exactSvd(mat(n, l, Float64Array.from(bt.data)));
  const ub = new Tensor([l, k]);
  const v = mat(n, k);
  for (let i = 0; i < l; i++) for (let j = 0; j < k; j++) ub.data[i * k + j] = small.v.data[i * small.v.cols + j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) v.data[i * k + j] = small.u.data[i * small.u.cols + j]!;
  const ubGpu = ops.upload(ub, 'U_B');
  const uGpu = ops.matmul(q, ubGpu);
  const u = await ops.read(uGpu);
  ops.release(q, ubGpu, uGpu);
  return { u: mat(m, k, Float64Array.from(u.data)), s: small.s.slice(0, k), v };
}

/** decompose.svd on the GPU: the randomized method runs there; the exact one (one-sided Jacobi in
 * float64, which float32 kernels cannot match) runs on the CPU. The truncation error
 * ‖A − U·S·Vᵀ‖F is formed on the device in one product written into a copy of A. */
export async function truncatedSvdGpu(ops: GpuOps, x: Tensor, opts: SvdOptions): Promise<SvdResult> {
  // A deferred input is read back for the exact method (the CPU's) and for a host unfolding.
  if (opts.method !== 'randomized' || opts.mode !== undefined) await x.materialize();
  if (opts.method !== 'randomized') return truncatedSvd(x, opts);
  let a2 = await finiteSumSquares(x);
  let a = svdMatrix(x, opts);
  // The Gram of the sketch (CholeskyQR) squares the entries, so float32 overflows for a norm above
  // ~1e19 and underflows below ~1e-19 (finite 3e38 entries read as Infinity). Out of [2⁻²⁰, 2²⁰]
  // the matrix is scaled on the host by a power of two (exact) and the values scaled back after.
  const shift = normShift(a2);
  if (shift !== 0) {
    a = await scaledDown(a, shift);
    a2 = await a.sumSquares();
  }
  const aGpu = await ops.input(a, 'svd input');
  try {
    const scaled = await randomizedSvdGpu(ops, aGpu, {
      rank: opts.rank!,
      oversample: opts.oversample,
      powerIters: opts.powerIters,
      random: opts.random,
      onIteration: (i, of) => opts.onProgress?.(`power iteration ${i + 1} of ${of}`),
    });
    const { truncated: t, rank: k, result } = truncateSvd({ ...scaled, s: scaled.s.map((v) => scaleUp(v, shift)) }, opts);
    // The residual is formed against the scaled copy on the device, so U·S is scaled the same way.
    const us = new Tensor([t.u.rows, k], Float32Array.from(t.u.data, (v, i) => v * scaled.s[i % k]!));
    const usGpu = ops.upload(us, 'U·S');
    const vGpu = ops.upload(result.value.v, 'V');
    const residual = ops.matmul(usGpu, vGpu, { transB: true, alpha: -1, beta: 1, into: ops.copy(aGpu) });
    const r2 = await ops.sumSquares(residual);
    ops.release(usGpu, vGpu, residual);
    return { ...result, relError: errorRatio(Math.sqrt(r2), Math.sqrt(a2)) };
  } finally {
    ops.release(aGpu);
    ops.flush();
  }
}

