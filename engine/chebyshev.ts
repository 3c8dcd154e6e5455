// Chebyshev interpolation on a box: samples at first-kind Chebyshev points, coefficients by a DCT
// along each axis, and mesh-free evaluation. Conventions of numpy.polynomial.chebyshev (checked
// against chebinterpolate in test/refs): nodes tᵢ = −cos(π(i+½)/n) ascending (chebpts1), and
// c_k = (2/n)·Σᵢ vᵢ T_k(tᵢ) with c₀ halved, which is the DCT-II route c_k = (−1)^k·D_k/n.
import { Tensor, entriesOf, formatCount } from './tensor';
import { forEachLine } from './transforms/lines';
import type { ChebyshevValue, TuckerValue } from './values';

/** First-kind Chebyshev points mapped to [lo, hi], ascending (numpy chebpts1). */
export function chebyshevNodes(n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (1 - Math.cos((Math.PI * (i + 0.5)) / n))) / 2);
}

/** Chebyshev points an interpolation may take: 2²⁶, so each float64 copy of the samples is 512 MiB. */
export const MAX_CHEBYSHEV_POINTS = 2 ** 26;
/** Multiply-adds the coefficient transform may take (points × Σ n): 2³⁵, about half a minute here. */
export const MAX_CHEBYSHEV_WORK = 2 ** 35;

/**
 * Why interpolating at this grid of Chebyshev points would take too much memory or time, or null.
 * The message says how many points per dimension fit (callers name the param).
 */
export function chebyshevSizeProblem(shape: readonly number[]): string | null {
  const points = entriesOf(shape);
  const work = points * shape.reduce((a, b) => a + b, 0);
  if (points <= MAX_CHEBYSHEV_POINTS && work <= MAX_CHEBYSHEV_WORK) return null;
  const d = shape.length;
  let m = 1;
  while ((m + 1) ** d <= MAX_CHEBYSHEV_POINTS && (m + 1) ** d * d * (m + 1) <= MAX_CHEBYSHEV_WORK) m++;
  const fix = `use fewer points per dimension (at most ${m} in each of ${d} dimension${d === 1 ? '' : 's'})`;
  if (points > MAX_CHEBYSHEV_POINTS) {
    return `[${shape.join('×')}] is ${formatCount(points)} Chebyshev points, above the limit of ${formatCount(MAX_CHEBYSHEV_POINTS)} (2²⁶: each float64 copy of the samples takes 512 MiB); ${fix}`;
  }
  return `[${shape.join('×')}] Chebyshev points take about ${formatCount(work)} multiply-adds to transform, above the limit of ${formatCount(MAX_CHEBYSHEV_WORK)} (2³⁵, about half a minute); ${fix}`;
}

/** Coefficient tensor of the interpolant through samples on the Chebyshev grid (float64). */
export function chebyshevCoefficients(samples: Float64Array, shape: readonly number[]): Float64Array {
  const data = Float64Array.from(samples);
  shape.forEach((n, axis) => {
    // T_k(tᵢ) = cos(k·θᵢ) with θᵢ = π − π(i+½)/n for the ascending nodes.
    const cos = new Float64Array(n * n);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) cos[k * n + i] = Math.cos(k * (Math.PI - (Math.PI * (i + 0.5)) / n));
    const out = new Float64Array(n);
    forEachLine(data, shape, axis, n, (line) => {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += cos[k * n + i]! * line[i]!;
        out[k] = ((k === 0 ? 1 : 2) / n) * s;
      }
      line.set(out);
    });
  });
  return data;
}

/** T₀(t) … T_{n−1}(t) by the three-term recurrence (stable on [−1, 1]). */
function chebyshevT(t: number, n: number, out: Float64Array): void {
  out[0] = 1;
  if (n > 1) out[1] = t;
  for (let k = 2; k < n; k++) out[k] = 2 * t * out[k - 1]! - out[k - 2]!;
}

/** The expansion at m points (points: m × d, row-major), in float64. */
/**
 * What an expansion holds, the same for every backend's evaluation: per dimension the number of
 * polynomials n_a and the core's size r_a (= n_a for dense coefficients), the core (the dense
 * coefficients themselves, or a Chebyshev-Tucker core), and the factor matrices U_a (n_a × r_a,
 * null when dense) mapping T(t) to w_a = U_aᵀ·T(t).
 */
export function expansionLayout(e: ChebyshevValue): { d: number; degrees: number[]; ranks: number[]; core: Tensor; factors: Tensor[] | null } {
  const c = e.coefficients;
  if (c instanceof Tensor) return { d: e.domain.length, degrees: [...c.shape], ranks: [...c.shape], core: c, factors: null };
  const tucker = c as TuckerValue;
  return { d: e.domain.length, degrees: tucker.factors.map((f) => f.shape[0]!), ranks: [...tucker.core.shape], core: tucker.core, factors: tucker.factors };
}

export function evaluateChebyshev(e: ChebyshevValue, points: Float64Array, m: number): Float64Array {
  const { d, degrees, ranks, core, factors } = expansionLayout(e);
  const out = new Float64Array(m);
  const t = degrees.map((n) => new Float64Array(n));
  const w = ranks.map((r) => new Float64Array(r));
  for (let p = 0; p < m; p++) {
    for (let a = 0; a < d; a++) {
      const [lo, hi] = e.domain[a]!;
      chebyshevT((2 * (points[p * d + a]! - lo)) / (hi - lo) - 1, degrees[a]!, t[a]!);
      if (factors) {
        // w_a = U_aᵀ·T(t_a): the factor's column polynomials at this coordinate.
        const f = factors[a]!;
        const r = ranks[a]!;
        w[a]!.fill(0);
        for (let k = 0; k < degrees[a]!; k++) for (let j = 0; j < r; j++) w[a]![j]! += f.data[k * r + j]! * t[a]![k]!;
      } else w[a]!.set(t[a]!);
    }
    out[p] = contract(core.data, ranks, w);
  }
  return out;
}

/** Σ core[i₀, i₁, …]·w₀[i₀]·w₁[i₁]… by folding the last mode first. */
function contract(core: Float32Array, shape: readonly number[], w: readonly Float64Array[]): number {
  let cur = Float64Array.from(core);
  for (let a = shape.length - 1; a >= 0; a--) {
    const n = shape[a]!;
    const next = new Float64Array(cur.length / n);
    for (let i = 0; i < next.length; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += cur[i * n + k]! * w[a]![k]!;
      next[i] = s;
    }
    cur = next;
  }
  return cur[0]!;
}
