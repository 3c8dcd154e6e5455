// The values that travel on edges, one TypeScript type per port type. Port types are a public
// contract of the graph format: an edge may only join ports of the same type.
import { Tensor, type Shape } from './tensor';

/** A named scalar with its unit ('' for dimensionless ratios, 'dB' for decibels). */
export interface Metric {
  value: number;
  unit: string;
  doc?: string;
}
export type Metrics = Record<string, Metric>;

/** Truncated SVD A ≈ U·diag(S)·Vᵀ: U is m×r, S has r entries (descending), V is n×r. */
export interface SvdValue {
  u: Tensor;
  s: Tensor;
  v: Tensor;
  /** Every singular value computed, descending (more than S when truncated; the randomized SVD
   * computes rank + oversample), so a spectrum plot can show what the cut left out. */
  spectrum?: Tensor;
}

/** Tucker X ≈ G ×₀ U₀ ×₁ U₁ … with core G (r₀×r₁×…) and factors Uₙ of shape Iₙ×rₙ. */
export interface TuckerValue {
  core: Tensor;
  factors: Tensor[];
}

/** CP X ≈ Σᵣ wᵣ · a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ …: weights (R) and factor matrices Iₙ×R. */
export interface CpValue {
  weights: Tensor;
  factors: Tensor[];
}

/** Tensor train: cores Gₖ of shape rₖ×Iₖ×rₖ₊₁ with r₀ = r_d = 1 (Oseledets 2011). */
export interface TtValue {
  cores: Tensor[];
}

/** An analytic function of d variables on a box domain, sampled wherever a node needs it. */
export interface FunctionValue {
  expr: string;
  domain: [number, number][];
  /** f on the outer (ij, C-order) grid of the given coordinates, one array per axis, in float64. */
  sampleGrid(axes: readonly Float64Array[]): Float64Array;
}

/**
 * A Chebyshev expansion f(x) ≈ Σ C[k₀, k₁, …] T_k₀(t₀) T_k₁(t₁) …, tᵢ = 2(xᵢ − loᵢ)/(hiᵢ − loᵢ) − 1,
 * with C dense, or in Tucker form C = G ×₀ U₀ ×₁ U₁ … (the Chebyshev-Tucker format).
 */
export interface ChebyshevValue {
  domain: [number, number][];
  coefficients: Tensor | TuckerValue;
}

/** A small numeric table (a rank sweep: one row per value tried). */
export interface TableValue {
  columns: string[];
  rows: number[][];
  /** How each row's first cell reads, where a number would not say it: per-mode ranks "(4, 4, 2)"
   * (the number in `rows` is their product, the x coordinate of a plot). */
  labels?: string[];
}

export interface PortTypes {
  tensor: Tensor;
  table: TableValue;
  function: FunctionValue;
  chebyshev: ChebyshevValue;
  metrics: Metrics;
  svd: SvdValue;
  tucker: TuckerValue;
  cp: CpValue;
  tt: TtValue;
}
export type PortType = keyof PortTypes;

/** What a run reports for one output port: enough to read without loading the value. */
export interface ValueSummary {
  type: PortType;
  shape?: number[];
  norm?: number;
  /** Number of stored parameters (elements over all parts) for decompositions. */
  parameters?: number;
  ranks?: number[];
  metrics?: Record<string, { value: number; unit: string }>;
  table?: TableValue;
}

const count = (ts: readonly Tensor[]): number => ts.reduce((n, t) => n + t.size, 0);
const shapeOf = (s: Shape): number[] => [...s];

/** The Frobenius norm in float64; a deferred tensor's from its device, without a readback. */
const normOf = async (t: Tensor): Promise<number> => Math.sqrt(await t.sumSquares());

export async function summarizeValue(type: PortType, value: unknown): Promise<ValueSummary> {
  switch (type) {
    case 'tensor': {
      const t = value as Tensor;
      return { type, shape: shapeOf(t.shape), norm: await normOf(t) };
    }
    case 'metrics': {
      const m = value as Metrics;
      return { type, metrics: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v.value, unit: v.unit }])) };
    }
    case 'svd': {
      const v = value as SvdValue;
      return { type, shape: [v.u.shape[0]!, v.v.shape[0]!], ranks: [v.s.size], parameters: count([v.u, v.s, v.v]) };
    }
    case 'tucker': {
      const v = value as TuckerValue;
      return {
        type,
        shape: v.factors.map((f) => f.shape[0]!),
        ranks: shapeOf(v.core.shape),
        parameters: count([v.core, ...v.factors]),
      };
    }
    case 'cp': {
      const v = value as CpValue;
      return { type, shape: v.factors.map((f) => f.shape[0]!), ranks: [v.weights.size], parameters: count([v.weights, ...v.factors]) };
    }
    case 'function':
      return { type };
    case 'table': {
      const t = value as TableValue;
      return { type, shape: [t.rows.length, t.columns.length], table: t };
    }
    case 'chebyshev': {
      const c = value as ChebyshevValue;
      const t = c.coefficients;
      return t instanceof Tensor ? { type, shape: shapeOf(t.shape), norm: await normOf(t) } : { type, shape: t.factors.map((f) => f.shape[0]!), ranks: shapeOf(t.core.shape), parameters: count([t.core, ...t.factors]) };
    }
    case 'tt': {
      const v = value as TtValue;
      return {
        type,
        shape: v.cores.map((c) => c.shape[1]!),
        ranks: [...v.cores.map((c) => c.shape[0]!), 1],
        parameters: count(v.cores),
      };
    }
  }
}

/** Every tensor in a port value (the parts of a decomposition, a Chebyshev expansion's core). */
export function tensorsIn(value: unknown, depth = 0): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (depth > 4 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v) => tensorsIn(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return [];
  return Object.values(value).flatMap((v) => tensorsIn(v, depth + 1));
}

/** Reads back every deferred tensor in the values (what host code, a view or an export needs). */
export async function materializeValues(...values: unknown[]): Promise<void> {
  await Promise.all(values.flatMap((v) => tensorsIn(v)).map((t) => t.materialize()));
}

/** False when a deferred tensor in the values can no longer be read (its device was lost). */
export function valuesReadable(...values: unknown[]): boolean {
  return values.flatMap((v) => tensorsIn(v)).every((t) => t.materialized || t.deferred!.alive());
}
