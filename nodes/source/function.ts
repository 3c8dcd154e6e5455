import { z } from 'zod';
import { ExpressionError, Tensor, compileExpression, defineNode, evaluateOnGrid, functionCost, sourceSizeProblem } from '../../engine';

/** Variable names for a d-dimensional grid: x, y, z (up to 3 axes) and x0, x1, … always. */
function variablesFor(d: number): Record<string, number> {
  const names: Record<string, number> = {};
  ['x', 'y', 'z'].slice(0, d).forEach((n, i) => (names[n] = i));
  for (let i = 0; i < d; i++) names[`x${i}`] = i;
  return names;
}

/** numpy.linspace(lo, hi, n): both ends included, the last point exactly hi. A width hi − lo beyond
 * ±1.8e308 (e.g. [1e308, −1e308]) overflows the step, so such a domain is spaced as the weighted mean
 * lo·(1 − t) + hi·t instead, which stays within [lo, hi]. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = n > 1 ? (hi - lo) / (n - 1) : 0;
  if (Number.isFinite(step)) for (let i = 0; i < n; i++) out[i] = lo + i * step;
  else for (let i = 0; i < n; i++) out[i] = lo * (1 - i / (n - 1)) + hi * (i / (n - 1));
  if (n > 1) out[n - 1] = hi;
  return out;
}

const interval = z.tuple([z.number(), z.number()]);

const params = z
  .object({
    expr: z.string().default('exp(-(x^2 + y^2))').describe('f(x, y, z) or f(x0, x1, …): + − * / ^, sin cos tan exp log sqrt abs tanh pow min max, pi, e'),
    shape: z.array(z.number().int().min(1).max(1 << 20)).min(1).max(16).default([64, 64]).describe('grid points per axis'),
    domain: z.array(interval).min(1).default([[-1, 1]]).describe('[lo, hi] per axis (one interval applies to every axis); both ends are sampled'),
  })
  .superRefine((p, ctx) => {
    const d = p.shape.length;
    if (p.domain.length !== 1 && p.domain.length !== d) {
      ctx.addIssue({ code: 'custom', path: ['domain'], message: `give one [lo, hi] per axis (${d} for shape [${p.shape.join(', ')}]) or a single interval for all axes; got ${p.domain.length}` });
    }
    const tooBig = sourceSizeProblem(p.shape);
    if (tooBig) ctx.addIssue({ code: 'custom', path: ['shape'], message: tooBig });
    try {
      compileExpression(p.expr, Object.keys(variablesFor(d)));
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      ctx.addIssue({ code: 'custom', path: ['expr'], message: e.message });
    }
  });

export const sourceFunction = defineNode({
  type: 'source.function',
  title: 'Function on a grid',
  category: 'source',
  description: 'Samples an analytic expression on a uniform grid that includes both ends of each interval (as numpy.linspace, indexing="ij").',
  typeVersion: 1,
  inputs: [],
  outputs: [
    { name: 'tensor', type: 'tensor', doc: 'f sampled on the grid, float32 (computed in float64)' },
    { name: 'function', type: 'function', doc: 'f itself on its domain, for nodes that sample where they need (Chebyshev)' },
  ],
  params,
  shapes: (_inputs, p) => ({ outputs: { tensor: p.shape } }),
  cost: (_inputs, p) => functionCost(p.shape, compileExpression(p.expr, Object.keys(variablesFor(p.shape.length))).operations),
  run(_inputs, p, ctx) {
    const names = variablesFor(p.shape.length);
    const expr = compileExpression(p.expr, Object.keys(names));
    const domain = p.shape.map((_, i) => [...p.domain[p.domain.length === 1 ? 0 : i]!] as [number, number]);
    const axes = p.shape.map((n, i) => linspace(domain[i]![0], domain[i]![1], n));
    const out = new Tensor(p.shape);
    // A few rows of axis 0 at a time (at least 64 Ki points, so a long 1-D grid is not evaluated
    // point by point): progress per slab, and cancellation between slabs.
    const row = out.size / p.shape[0]!;
    const rows = Math.max(1, Math.floor(65536 / row));
    for (let i = 0; i < p.shape[0]!; i += rows) {
      const end = Math.min(p.shape[0]!, i + rows);
      ctx.progress(i, p.shape[0]!, `rows ${i + 1}–${end} of ${p.shape[0]}`);
      const values = evaluateOnGrid(expr, [axes[0]!.subarray(i, end), ...axes.slice(1)], names);
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        const at = unravel(i * row + bad, p.shape).map((k, a) => `${Object.keys(names).find((n) => names[n] === a && !/\d/.test(n)) ?? `x${a}`}=${axes[a]![k]}`);
        throw new Error(`param 'expr': ${p.expr} is ${values[bad]} at ${at.join(', ')}; change the expression or the domain so it stays finite`);
      }
      out.data.set(values, i * row);
    }
    return { tensor: out, function: { kind: 'function' as const, expr: p.expr, domain, sampleGrid: (grid: readonly Float64Array[]) => evaluateOnGrid(expr, grid, names) } };
  },
});

function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = flat % shape[a]!;
    flat = Math.floor(flat / shape[a]!);
  }
  return idx;
}
