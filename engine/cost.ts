// What a node will cost before it runs: seconds on one core of the reference machine (the 2-core
// Linux box the project is tested on), estimated from its input shapes and params. Validation
// refuses a node above the ceiling (ten minutes unless raised: `corespace run --max-minutes`, the
// editor's run panel), so a shared graph cannot start hours of work unasked; the estimate also
// seeds the ETA shown while the node runs. The rates are measured by bench/cost.ts, which prints
// each estimate beside the time it took; iterative methods are counted at their maxIter (they may
// stop sooner at their tol).
import { entriesOf, formatCount, type Shape } from './tensor';

/** Operations per second on one core of the reference machine (bench/cost.ts measures them). */
export const RATES = {
  /** Multiply-adds in large dense products (GEMM, Gram matrices): WebAssembly SIMD, float64. */
  gemm: 2.5e9,
  /** Multiply-adds in tensor contractions (MTTKRP, TTM chains), whose operands are reshaped first. */
  tensor: 1.2e9,
  /** Multiply-adds in scalar loops: Householder QR, eigh. */
  scalar: 2.5e8,
  /** Operations of a source.function expression, per grid point (plus three per point for the grid). */
  expression: 8e7,
} as const;

/** Nodes expected to take at least this long show their estimate and what is left (the CLI's bars
 * and lines, the editor's nodes). */
export const SHOW_ETA_FROM_SECONDS = 10;

/** The ceiling unless the user raises it. */
export const DEFAULT_MAX_SECONDS = 600;

export interface CostEstimate {
  /** Estimated seconds on one core of the reference machine. */
  seconds: number;
  /** How it was counted, in words, e.g. "rank 64 × 3 modes × 262 144 entries × up to 500 sweeps". */
  what: string;
  /** The param that drives the cost most, and what to do with it. */
  fix: { param: string; hint: string };
}

/** "3.2 s", "14 min", "2.5 h", "3.1 days". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toFixed(seconds < 36000 ? 1 : 0)} h`;
  if (seconds < 86400 * 365 * 2) return `${(seconds / 86400).toFixed(1)} days`;
  return `${(seconds / (86400 * 365)).toExponential(1).replace('e+', 'e')} years`;
}

/**
 * Seconds left of a running node: from its progress once it has some (elapsed × what is left / what
 * is done), else from its estimate; undefined when neither tells. Iterative nodes report against
 * their maxIter, so for them it is the most that is left.
 */
export function remainingSeconds(elapsed: number, value: number, max: number, estimate?: number): number | undefined {
  if (max > 0 && value > 0 && elapsed >= 1) return Math.max(0, (elapsed * (max - value)) / value);
  if (estimate !== undefined) return Math.max(0, estimate - elapsed);
  return undefined;
}

/** The message for a node above the ceiling: the estimate, how it was counted, the ceiling and
 * both ways out. */
export function costMessage(est: CostEstimate, maxSeconds: number): string {
  return `estimated ${formatDuration(est.seconds)} on one CPU core (${est.what}), above the ceiling of ${formatDuration(maxSeconds)}; ${est.fix.hint}, or raise the ceiling (corespace run --max-minutes ${Math.ceil((est.seconds * 1.5) / 60)}; in the editor, the toolbar's time ceiling)`;
}

const count = (n: number) => formatCount(n);

/** Seconds for an exact SVD of an m × n matrix (engine/linalg/svd.ts): a tall one (big ≥ 5/3·small)
 * through CholeskyQR2 and Q·U (5·big·small² multiply-adds), then the bidiagonalisation, divide and
 * conquer and the back-transformation of the square (4·small³), or of the whole matrix
 * (4·big·small²), counted at the GEMM rate (half of the bidiagonalisation is matrix–vector products
 * at memory speed, which the count absorbs; fitted to bench/cost.ts). */
export function exactSvdSeconds(m: number, n: number): number {
  const big = Math.max(m, n);
  const small = Math.min(m, n);
  const work = 3 * big >= 5 * small ? 5 * big * small * small + 4 * small ** 3 : 4 * big * small * small;
  return work / RATES.gemm;
}

/** decompose.svd. */
export function svdCost(m: number, n: number, p: { method: 'exact' | 'randomized'; rank?: number; oversample: number; powerIters: number }): CostEstimate {
  if (p.method === 'exact') {
    return {
      seconds: exactSvdSeconds(m, n),
      what: `an exact SVD of ${m}×${n}`,
      fix: { param: 'method', hint: `use method 'randomized' with a rank (seconds at 4096²)` },
    };
  }
  const l = Math.min((p.rank ?? 1) + p.oversample, m, n);
  const passes = 2 * p.powerIters + 2;
  const seconds = (passes * m * n * l + (p.powerIters + 1) * 2 * (m + n) * l * l) / RATES.gemm + exactSvdSeconds(Math.max(m, n), l);
  return {
    seconds,
    what: `${passes} products of ${m}×${n} with ${l} columns (rank ${p.rank} + oversample ${p.oversample}) and an SVD of ${Math.max(m, n)}×${l}`,
    fix: { param: p.oversample > (p.rank ?? 0) ? 'oversample' : 'rank', hint: 'use a smaller rank or oversample' },
  };
}

/** decompose.cp: per ALS sweep, each mode's MTTKRP (R × the entries) and its R × R solve. */
export function cpCost(shape: Shape, p: { rank: number; maxIter: number; restarts: number; init: 'svd' | 'random' }): CostEstimate {
  const entries = entriesOf(shape);
  const d = shape.length;
  const sweep = d * p.rank * entries + d * p.rank * p.rank * shape.reduce((s, n) => s + n, 0) + d * p.rank ** 3;
  const init = p.init === 'svd' ? shape.reduce((s, n) => s + n * entries, 0) : 0;
  return {
    seconds: (p.restarts * p.maxIter * sweep) / RATES.tensor + init / RATES.gemm,
    what: `rank ${p.rank} × ${d} modes × ${count(entries)} entries × up to ${count(p.maxIter)} sweeps${p.restarts > 1 ? ` × ${p.restarts} restarts` : ''}`,
    fix: { param: 'maxIter', hint: `lower maxIter (or the rank${p.restarts > 1 ? ', or restarts' : ''}), or set a tol` },
  };
}

/** decompose.tucker: the HOSVD's Gram matrices, then per HOOI sweep each mode's projections (the
 * entries × the largest other rank) and its Gram. Ranks not known before the run (eps) count as
 * the largest each mode can have. */
export function tuckerCost(shape: Shape, p: { ranks: readonly number[]; method: 'hooi' | 'hosvd'; maxIter: number; modes?: readonly number[] }): CostEstimate {
  const entries = entriesOf(shape);
  const modes = p.modes ?? shape.map((_, i) => i);
  const hosvd = modes.reduce((s, m) => s + shape[m]! * entries, 0);
  let sweep = 0;
  for (const m of modes) {
    const others = modes.filter((k) => k !== m);
    const largest = Math.max(1, ...others.map((k) => p.ranks[k]!));
    const projected = (entries / entriesOf(others.map((k) => shape[k]!))) * entriesOf(others.map((k) => p.ranks[k]!));
    sweep += entries * largest + shape[m]! * projected;
  }
  const iterations = p.method === 'hooi' ? p.maxIter : 0;
  return {
    seconds: hosvd / RATES.gemm + (iterations * sweep) / RATES.tensor,
    what: `${count(entries)} entries, ranks [${p.ranks.join(', ')}]${iterations ? `, up to ${count(iterations)} HOOI sweeps` : ', one HOSVD'}`,
    fix: { param: iterations ? 'maxIter' : 'ranks', hint: iterations ? 'lower maxIter, or set a tol' : 'use smaller ranks' },
  };
}

/** decompose.tt: one step per unfolding (r_{k−1}·n_k) × (the rest): with fixed ranks and a wide
 * unfolding, the leading vectors of its Gram matrix; otherwise an exact SVD. Bond ranks are the
 * largest the shape allows unless maxRank caps them. */
export function ttCost(shape: Shape, p: { maxRank: number; eps?: number }): CostEstimate {
  let seconds = 0;
  let r = 1;
  let rest = entriesOf(shape);
  for (let k = 0; k < shape.length - 1; k++) {
    const rows = r * shape[k]!;
    rest /= shape[k]!;
    seconds += p.eps === undefined && rows < rest ? (rows * rows * rest) / RATES.gemm + (4 * rows ** 3) / RATES.scalar : exactSvdSeconds(rows, rest);
    r = Math.min(rows, rest, p.maxRank);
  }
  return { seconds, what: `${shape.length - 1} steps over the unfoldings of [${shape.join('×')}]`, fix: { param: 'maxRank', hint: 'set a smaller maxRank, or reshape to more, smaller modes' } };
}

/** source.function: the expression's operations at every grid point. */
export function functionCost(shape: Shape, operations: number): CostEstimate {
  const points = entriesOf(shape);
  return {
    seconds: (points * (operations + 3)) / RATES.expression,
    what: `${count(points)} points × ${operations} operations`,
    fix: { param: 'shape', hint: 'use fewer points or a shorter expression' },
  };
}
