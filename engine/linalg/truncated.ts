// Truncation of an SVD and rank selection by count, energy or error. (The randomized SVD is written
// once over a backend's ops: engine/decomp/svd.ts.)
import type { RandomSource } from '../random';
import { leadingColumns } from './mat';
import type { Svd } from './svd';

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
