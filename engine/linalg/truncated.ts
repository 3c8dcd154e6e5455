// Truncated SVD: exact (Jacobi, svd.ts) or randomized (Halko, Martinsson & Tropp 2011, Alg. 4.4:
// randomized range finder with q power iterations, re-orthonormalising after every product so the
// small singular directions are not lost to rounding), and rank selection by count, energy or error.
import type { RandomSource } from '../random';
import { leadingColumns, mat, mul, transpose, type Mat } from './mat';
import { qr } from './qr';
import { svd, type Svd } from './svd';

export interface RankChoice {
  /** Keep exactly this many (capped at min(m, n)). */
  rank?: number;
  /** Keep the smallest k with Σ_{i<k} s_i² ≥ energy·Σ s_i² (0 < energy ≤ 1). */
  energy?: number;
  /** Keep the smallest k with ‖A − A_k‖F ≤ tol·‖A‖F. */
  tol?: number;
}

/** The rank a choice selects from singular values s (descending). Tails are summed from the small
 * end, so they keep their relative accuracy. */
export function chooseRank(s: ArrayLike<number>, choice: RankChoice): number {
  const n = s.length;
  if (choice.rank !== undefined) return Math.max(0, Math.min(choice.rank, n));
  const tails = new Float64Array(n + 1); // tails[k] = Σ_{i≥k} s_i²
  for (let i = n - 1; i >= 0; i--) tails[i] = tails[i + 1]! + s[i]! * s[i]!;
  const total = tails[0]!;
  if (total === 0) return Math.min(1, n);
  if (choice.energy !== undefined) {
    for (let k = 1; k <= n; k++) if (total - tails[k]! >= choice.energy * total) return k;
    return n;
  }
  if (choice.tol !== undefined) {
    const bound = choice.tol * choice.tol * total;
    for (let k = 1; k <= n; k++) if (tails[k]! <= bound) return k;
    return n;
  }
  return n;
}

export function truncate(d: Svd, k: number): Svd {
  return { u: leadingColumns(d.u, k), s: d.s.slice(0, k), v: leadingColumns(d.v, k) };
}

export interface RandomizedOptions {
  /** Called after each power iteration (it may throw to cancel). */
  onIteration?: (iteration: number, of: number) => void;
  rank: number;
  oversample: number;
  powerIters: number;
  random: RandomSource;
}

/** Rank-k SVD of A through an l = k + p dimensional random range (Halko et al. 2011). */
export function randomizedSvd(a: Mat, opts: RandomizedOptions): Svd {
  const { rows: m, cols: n } = a;
  const k = Math.min(opts.rank, m, n);
  const l = Math.min(k + opts.oversample, m, n);
  const omega = mat(n, l);
  opts.random.fillNormal(omega.data);
  // Both A and Aᵀ are multiplied from the left; the products read them by rows (mat.ts mul), so
  // keep one transposed copy instead of transposing on every power iteration.
  const at = transpose(a);
  let q = qr(mul(a, omega)).q; // m × l
  for (let i = 0; i < opts.powerIters; i++) {
    const z = qr(mul(at, q)).q; // n × l
    q = qr(mul(a, z)).q;
    opts.onIteration?.(i, opts.powerIters);
  }
  const b = transpose(mul(at, q)); // Qᵀ·A, l × n
  const small = svd(b);
  return truncate({ u: mul(q, small.u), s: small.s, v: small.v }, k);
}
