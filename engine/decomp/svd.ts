// Truncated SVD of a matrix, or of an N-D tensor's mode-n unfolding, with the rank given directly,
// by energy, or by error; exact (Jacobi) or randomized (Halko et al.). The node-facing function.
import { chooseRank, mat, mul, randomizedSvd, svd as exactSvd, truncate, type Svd } from '../linalg';
import type { RandomSource } from '../random';
import { Tensor, checkFinite, formatShape, unfold } from '../tensor';
import type { SvdValue } from '../values';
import { matTo32, relError64 } from './dense64';

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
  /** Progress after each Jacobi sweep / power iteration; may throw to cancel. */
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

export function truncatedSvd(x: Tensor, opts: SvdOptions): SvdResult {
  const a = svdMatrix(x, opts);
  const [m, n] = a.shape as [number, number];
  const A = mat(m, n, Float64Array.from(a.data));
  let full: Svd;
  if (opts.method === 'randomized') {
    full = randomizedSvd(A, {
      rank: opts.rank!,
      oversample: opts.oversample,
      powerIters: opts.powerIters,
      random: opts.random,
      onIteration: (i, of) => opts.onProgress?.(`power iteration ${i + 1} of ${of}`),
    });
  } else full = exactSvd(A, { onSweep: (s) => opts.onProgress?.(`Jacobi sweep ${s + 1}`) });
  const r = truncateSvd(full, opts);
  const us = mat(r.truncated.u.rows, r.rank, r.truncated.u.data.map((v, i) => v * r.truncated.s[i % r.rank]!));
  return { ...r.result, relError: relError64(a.data, mul(us, r.truncated.v, { transB: true }).data) };
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
      value: { u: matTo32(t.u), s: new Tensor([k], Float32Array.from(t.s)), v: matTo32(t.v) },
      spectrum: full.s,
      rank: k,
      energyKept: total === 0 ? 1 : kept / total,
    },
  };
}
