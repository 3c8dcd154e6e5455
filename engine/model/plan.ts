// Which rank each layer gets: fixed ranks by name, a ratio of its params kept, or an energy
// threshold on its spectrum; and which layers take part (name patterns in and out).
import type { Layer } from './layers';

/** A pattern with * for any run of characters, matched against the whole layer name. */
export function patternMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** Params of a layer's rewrite at these ranks: MatMul and 1×1 conv r·(m + n); Tucker-2 r_i·I + r_o·r_i·kh·kw + O·r_o. */
export function rewriteParams(l: Layer, rank: readonly number[]): number {
  if (l.op === 'Conv' && l.shape.length === 4 && l.shape[2]! * l.shape[3]! > 1) {
    const [o, i, kh, kw] = l.shape as [number, number, number, number];
    const [ro, ri] = rank as [number, number];
    return ri * i + ro * ri * kh * kw + o * ro;
  }
  return rank[0]! * (l.rows + l.cols);
}

/** The ranks that keep about `ratio` of the layer's params (at least 1 each). */
export function ranksForRatio(l: Layer, ratio: number): number[] {
  const target = ratio * l.rows * l.cols;
  if (l.op === 'Conv' && l.shape.length === 4 && l.shape[2]! * l.shape[3]! > 1) {
    // The same fraction a of both channel modes: the largest a whose rewrite fits the target.
    const [o, i] = l.shape as [number, number];
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 50; k++) {
      const a = (lo + hi) / 2;
      if (rewriteParams(l, [Math.max(1, Math.round(a * o)), Math.max(1, Math.round(a * i))]) <= target) lo = a;
      else hi = a;
    }
    return [Math.max(1, Math.round(lo * o)), Math.max(1, Math.round(lo * i))];
  }
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
