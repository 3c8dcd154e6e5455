// Truncated SVD of a matrix, or of an N-D tensor's mode-n unfolding, with the rank given directly,
// by energy, or by error; exact (bidiagonal, float64) or randomized (Halko et al.). The node-facing
// function.
import { chooseRank, leadingColumns, mat, mul, svd as exactSvd, truncate, type Mat, type RandomizedOptions, type Svd } from '../linalg';
import type { RandomSource } from '../random';
import { Tensor, checkFinite, finiteSumSquares, formatShape, normShift, scaleUp, scaledDown, unfold } from '../tensor';
import type { SvdValue } from '../values';
import { errorRatio, matTo32, relError64 } from './dense64';
import { cpuDenseOps, resident, type DenseOps } from './ops';

export interface SvdOptions {
  rank?: number;
  energy?: number;
  tol?: number;
  method: 'exact' | 'randomized';
  oversample: number;
  powerIters: number;
  /** Unfold an N-D tensor along this mode first; required for non-matrices. */
  mode?: number;
  random: RandomSource;
  /** Progress of the exact SVD (singular values converged) / each power iteration; may throw to cancel. */
  onProgress?: (message: string) => void;
}

export interface SvdResult {
  value: SvdValue;
  /** Every singular value computed (all of them for exact, k + oversample for randomized). */
  spectrum: Float64Array;
  rank: number;
  /** Σ_{i<k} s_i² / Σ s_i² (of the computed spectrum). */
  energyKept: number;
  /** ‖A − U·S·Vᵀ‖F/‖A‖F, computed from the factors in float64. */
  relError: number;
}

/** decompose.svd on the CPU. */
export const truncatedSvd = (x: Tensor, opts: SvdOptions): Promise<SvdResult> => truncatedSvdWith(cpuDenseOps, x, opts);

/**
 * decompose.svd over a backend's dense ops: the randomized method there (the products where the
 * matrix is kept, the small SVD on the host in float64), the exact one (engine/linalg/svd.ts, in
 * float64, which float32 kernels cannot match) on the host. The truncation error ‖A − U·S·Vᵀ‖F is
 * formed by the ops in one product written as A − U·S·Vᵀ.
 */
export async function truncatedSvdWith<H, F>(ops: DenseOps<H, F>, x: Tensor, opts: SvdOptions): Promise<SvdResult> {
  // A deferred input is read back for the exact method and for a host unfolding.
  if (opts.method !== 'randomized' || opts.mode !== undefined) await x.materialize();
  let a2 = await finiteSumSquares(x);
  let a = svdMatrix(x, opts);
  const [m, n] = a.shape as [number, number];
  if (opts.method !== 'randomized') {
    const full = exactSvd(mat(m, n, Float64Array.from(a.data)), { onProgress: (k, of) => opts.onProgress?.(`${k} of ${of} singular values`) });
    const r = truncateSvd(full, opts);
    const us = mat(m, r.rank, r.truncated.u.data.map((v, i) => v * r.truncated.s[i % r.rank]!));
    return { ...r.result, relError: relError64(a.data, mul(us, r.truncated.v, { transB: true }).data) };
  }
  // A device's float32 products and Gram matrices square the entries: outside [2⁻²⁰, 2²⁰] of norm
  // the matrix is scaled by a power of two (exact) and the singular values scaled back.
  const shift = normShift(a2);
  if (shift !== 0) {
    a = await scaledDown(a, shift);
    a2 = await a.sumSquares();
  }
  const aH: H = await ops.input(a, 'svd input');
  const uploaded: F[] = [];
  try {
    const scaled = await randomizedSvdWith(ops, aH, {
      rank: opts.rank!,
      oversample: opts.oversample,
      powerIters: opts.powerIters,
      random: opts.random,
      onIteration: (i, of) => opts.onProgress?.(`power iteration ${i + 1} of ${of}`),
    });
    const { truncated: t, rank: k, result } = truncateSvd({ ...scaled, s: scaled.s.map((v) => scaleUp(v, shift)) }, opts);
    // The residual against the (scaled) matrix the ops hold, so U·S is scaled the same way.
    const us = mat(m, k, t.u.data.map((v, i) => v * scaled.s[i % k]!));
    uploaded.push(ops.factor(us, 'U·S'), ops.factor(t.v, 'V'));
    const res = ops.matmul(ops.asTensor(uploaded[0]!), ops.asTensor(uploaded[1]!), { transB: true, from: aH });
    const r2 = await ops.sumSquares(res);
    ops.release(res);
    return { ...result, relError: errorRatio(Math.sqrt(r2), Math.sqrt(a2)) };
  } finally {
    ops.release(aH, ...uploaded);
    ops.done();
  }
}

/** The randomized SVD of a host matrix on the CPU (copied once into the product kernel's memory). */
export async function randomizedSvd(a: Mat, opts: RandomizedOptions): Promise<Svd> {
  const h = resident([a.rows, a.cols], a.data);
  try {
    return await randomizedSvdWith(cpuDenseOps, h, opts);
  } finally {
    cpuDenseOps.release(h);
  }
}

/**
 * The leading `rank` singular triplets of a matrix the ops hold (Halko, Martinsson & Tropp 2011,
 * Alg. 4.4): Y = A·Ω, q power iterations Z = Aᵀ·Q, Y = A·Z, each orthonormalised (so the small
 * singular directions are not lost to rounding); Bᵀ = Aᵀ·Q comes to the host, where its SVD is
 * taken in float64, and U = Q·U_B. Ω is drawn on the host from the node's stream, so every backend
 * starts from the same test matrix.
 */
export async function randomizedSvdWith<H, F>(ops: DenseOps<H, F>, a: H, opts: RandomizedOptions): Promise<Svd> {
  const [m, n] = ops.shapeOf(a) as [number, number];
  const k = Math.min(opts.rank, m, n);
  const l = Math.min(k + opts.oversample, m, n);
  const omega = mat(n, l);
  opts.random.fillNormal(omega.data);
  const omegaF = ops.factor(omega, 'Ω');
  let q = await ops.orthonormalize(ops.matmul(a, ops.asTensor(omegaF))); // m × l
  ops.release(omegaF);
  for (let i = 0; i < opts.powerIters; i++) {
    const z = await ops.orthonormalize(ops.matmul(a, q, { transA: true })); // n × l
    ops.release(q);
    q = await ops.orthonormalize(ops.matmul(a, z));
    ops.release(z);
    opts.onIteration?.(i, opts.powerIters);
  }
  // Bᵀ = Aᵀ·Q (n × l, tall): its SVD gives B = U_B·S·Vᵀ with U_B = V_{Bᵀ}, V = U_{Bᵀ}.
  const btH = ops.matmul(a, q, { transA: true });
  const bt = await ops.hostMatrix(btH);
  ops.release(btH);
  const small = exactSvd(bt);
  const ubF = ops.factor(leadingColumns(small.v, k), 'U_B');
  const uH = ops.matmul(q, ops.asTensor(ubF));
  const u = await ops.hostMatrix(uH);
  ops.release(q, ubF, uH);
  return { u: mat(m, k, Float64Array.from(u.data)), s: small.s.slice(0, k), v: leadingColumns(small.u, k) };
}

/** The matrix an SVD node decomposes (the input, or its unfolding along `mode`), checked against
 * the options: finite, a matrix unless `mode` is set, rank ≤ min(m, n), randomized only with a rank. */
export function svdMatrix(x: Tensor, opts: SvdOptions): Tensor {
  checkFinite(x);
  let a: Tensor;
  if (opts.mode !== undefined) {
    if (!Number.isInteger(opts.mode) || opts.mode < 0 || opts.mode >= x.ndim) throw new Error(`mode ${opts.mode} is out of range for a ${x.ndim}-D input ${formatShape(x.shape)} (modes 0…${x.ndim - 1})`);
    a = unfold(x, opts.mode);
  } else if (x.ndim === 2) a = x;
  else throw new Error(`needs a matrix, but the input is ${x.ndim}-D ${formatShape(x.shape)}; set 'mode' to unfold it along one mode`);
  const [m, n] = a.shape as [number, number];
  if (opts.rank !== undefined && opts.rank > Math.min(m, n)) throw new Error(`rank ${opts.rank} exceeds min(${m}, ${n}) = ${Math.min(m, n)}, the most a ${m}×${n} matrix has`);
  if (opts.method === 'randomized' && opts.rank === undefined) throw new Error(`method 'randomized' needs an integer 'rank' (energy and tol need the whole spectrum: use method 'exact')`);
  return a;
}

/** Chooses the rank from the computed spectrum and truncates; everything of the result but the
 * error of the truncation, which the caller computes on its backend. */
export function truncateSvd(full: Svd, opts: SvdOptions): { truncated: Svd; rank: number; result: Omit<SvdResult, 'relError'> } {
  const k = Math.max(1, chooseRank(full.s, { ...(opts.rank !== undefined ? { rank: opts.rank } : {}), ...(opts.energy !== undefined ? { energy: opts.energy } : {}), ...(opts.tol !== undefined ? { tol: opts.tol } : {}) }));
  const t = truncate(full, k);
  const total = full.s.reduce((acc, v) => acc + v * v, 0);
  const kept = t.s.reduce((acc, v) => acc + v * v, 0);
  return {
    truncated: t,
    rank: k,
    result: {
      value: { kind: 'svd', u: matTo32(t.u), s: new Tensor([k], Float32Array.from(t.s)), v: matTo32(t.v) },
      spectrum: full.s,
      rank: k,
      energyKept: total === 0 ? 1 : kept / total,
    },
  };
}
