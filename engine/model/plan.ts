// Which rank each layer gets: fixed ranks by name, a ratio of its params kept, or an energy
// threshold on its spectrum; and which layers take part (name patterns in and out).
import type { Layer } from './layers';

/** A pattern with * for any run of characters, matched against the whole layer name. */
export function patternMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** How a layer is rewritten: two matrices (MatMul, Gemm, 1×1 conv), Tucker-2 or CP (larger convs). */
export type RewriteForm = 'matrix' | 'tucker2' | 'cp';

/** The form a layer takes by default: Tucker-2 for a conv larger than 1×1, else two matrices. */
export const defaultForm = (l: Layer): RewriteForm => (l.op === 'Conv' && l.shape.length === 4 && l.shape[2]! * l.shape[3]! > 1 ? 'tucker2' : 'matrix');

/** Params of a layer's rewrite at these ranks: two matrices r·(m + n); Tucker-2 r_i·I + r_o·r_i·kh·kw + O·r_o;
 * CP R·(I + kh + kw + O). */
export function rewriteParams(l: Layer, rank: readonly number[], form: RewriteForm = defaultForm(l)): number {
  if (form === 'matrix') return rank[0]! * (l.rows + l.cols);
  const [o, i, kh, kw] = l.shape as [number, number, number, number];
  if (form === 'cp') return rank[0]! * (i + kh + kw + o);
  const [ro, ri] = rank as [number, number];
  return ri * i + ro * ri * kh * kw + o * ro;
}

/** The ranks that keep about `ratio` of the layer's params (at least 1 each). */
export function ranksForRatio(l: Layer, ratio: number, form: RewriteForm = defaultForm(l)): number[] {
  const target = ratio * l.rows * l.cols;
  if (form === 'tucker2') {
    // The same fraction a of both channel modes: the largest a whose rewrite fits the target.
    const [o, i] = l.shape as [number, number];
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 50; k++) {
      const a = (lo + hi) / 2;
      if (rewriteParams(l, [Math.max(1, Math.round(a * o)), Math.max(1, Math.round(a * i))], form) <= target) lo = a;
      else hi = a;
    }
    return [Math.max(1, Math.round(lo * o)), Math.max(1, Math.round(lo * i))];
  }
  if (form === 'cp') return [Math.max(1, Math.floor(target / rewriteParams(l, [1], 'cp')))];
  return [Math.max(1, Math.min(Math.min(l.rows, l.cols), Math.floor(target / (l.rows + l.cols))))];
}

/** The smallest rank whose leading singular values hold `energy` of Σσ². */
export function rankForEnergy(s: ArrayLike<number>, energy: number): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i]! ** 2;
  let acc = 0;
  for (let i = 0; i < s.length; i++) if ((acc += s[i]! ** 2) >= energy * total) return i + 1;
  return Math.max(1, s.length);
}

/** A layer as the budget sees it: its params, and for each of its rank modes (one for an SVD, two
 * for Tucker-2) the share of ‖W‖² left out at each rank (tails[m][r − 1], decreasing to 0). */
export interface BudgetLayer {
  params: number;
  tails: Float64Array[];
  /** Params of its rewrite at these ranks. */
  paramsAt(rank: readonly number[]): number;
}

/** The part of ‖W‖² left out at each rank 1 … n: Σ_{k ≥ r} σ_k² / Σ σ². */
export function tailShares(s: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i]! ** 2;
  const out = new Float64Array(s.length);
  let left = total;
  for (let r = 1; r <= s.length; r++) {
    left -= s[r - 1]! ** 2;
    out[r - 1] = total === 0 ? 0 : Math.max(0, left / total);
  }
  return out;
}

/**
 * Ranks for the layers within `available` params in all: every layer starts at rank 1 in each mode;
 * then, greedily, the step with the largest drop in relative error (the share of ‖W‖² left out; for
 * Tucker-2 the sum over its two modes, HOSVD's bound) per param added is taken while it fits, a layer
 * being kept whole (null: exact, its own params) once that beats growing its rank further. Throws when
 * rank 1 everywhere does not fit.
 */
export function allocateBudget(layers: readonly BudgetLayer[], available: number): (number[] | null)[] {
  const ranks = layers.map((l) => l.tails.map(() => 1));
  const whole = layers.map(() => false);
  const cost = (i: number) => (whole[i] ? layers[i]!.params : layers[i]!.paramsAt(ranks[i]!));
  const err = (i: number, r: readonly number[]) => layers[i]!.tails.reduce((e, t, m) => e + t[r[m]! - 1]!, 0);
  let used = layers.reduce((n, _, i) => n + cost(i), 0);
  if (used > available) throw new Error(`rank 1 in every layer already keeps ${Math.round(used)} params, above the ${Math.round(available)} allowed`);
  for (;;) {
    let best: { i: number; rank: number[] | null; gain: number; extra: number } | null = null;
    layers.forEach((l, i) => {
      if (whole[i]) return;
      const here = cost(i);
      const e0 = err(i, ranks[i]!);
      const options: (number[] | null)[] = l.tails.map((t, m) => (ranks[i]![m]! < t.length ? ranks[i]!.map((r, k) => (k === m ? r + 1 : r)) : null)).filter((r) => r !== null);
      options.push(null); // keep it whole
      for (const rank of options) {
        const extra = (rank ? l.paramsAt(rank) : l.params) - here;
        if (extra <= 0 || used + extra > available) continue;
        if (rank && l.paramsAt(rank) >= l.params) continue; // never store more than the layer itself
        const gain = (e0 - (rank ? err(i, rank) : 0)) / extra;
        if (gain > 0 && (!best || gain > best.gain)) best = { i, rank, gain, extra };
      }
    });
    if (!best) break;
    const b = best as { i: number; rank: number[] | null; extra: number };
    if (b.rank) ranks[b.i] = b.rank;
    else whole[b.i] = true;
    used += b.extra;
  }
  return layers.map((_, i) => (whole[i] ? null : ranks[i]!));
}
