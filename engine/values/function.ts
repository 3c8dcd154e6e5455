// An analytic function on a box: sampled wherever a node needs it (Chebyshev interpolation).
import type { ValueKind } from './kind';
import { PREVIEW_SIZE, SPARK, heatmap, sparkline } from './preview';

/** An analytic function of d variables on a box domain, sampled wherever a node needs it. */
export interface FunctionValue {
  kind: 'function';
  expr: string;
  domain: [number, number][];
  /** f on the outer (ij, C-order) grid of the given coordinates, one array per axis, in float64. */
  sampleGrid(axes: readonly Float64Array[]): Float64Array;
}

/** n points from lo to hi, both ends included (a single point: the middle). */
const points = ([lo, hi]: [number, number], n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => (n === 1 ? lo / 2 + hi / 2 : lo + ((hi - lo) * i) / (n - 1)));

export const functionKind = {
  kind: 'function',
  doc: 'an analytic function f(x₀, x₁, …) on a box domain, sampled where a node needs it',
  color: '#14b8a6',
  example: (): FunctionValue => ({
    kind: 'function',
    expr: 'x * y',
    domain: [[-1, 1], [0, 2]],
    sampleGrid: ([x, y]) => Float64Array.from({ length: x!.length * y!.length }, (_, i) => x![Math.floor(i / y!.length)]! * y![i % y!.length]!),
  }),
  // Nothing to measure without sampling it: the summary is its type alone.
  summary: () => ({}),
  tensors: () => [],
  // f on a sparkline of SPARK points in 1-D; above, on a PREVIEW_SIZE² grid over the last two axes
  // with the others at their domain's middle.
  preview: async (f, port) => {
    const d = f.domain.length;
    if (d === 1) return sparkline(f.sampleGrid([points(f.domain[0]!, SPARK)]), `${port} ${f.expr}`);
    const axes = f.domain.map((iv, i) => points(iv, i >= d - 2 ? PREVIEW_SIZE : 1));
    const where = d > 2 ? ' (middle slice)' : '';
    return heatmap(PREVIEW_SIZE, PREVIEW_SIZE, Array.from(f.sampleGrid(axes)), `${port} ${f.expr}${where}`);
  },
} satisfies ValueKind<'function', FunctionValue>;
