import { z } from 'zod';
import { Tensor, defineNode, formatShape, readNpy, type ChebyshevValue } from '../../engine';

export const evaluatePoints = defineNode({
  type: 'evaluate.points',
  title: 'Evaluate at points',
  category: 'transform',
  description:
    'Evaluates a Chebyshev expansion (dense or Chebyshev-Tucker) at arbitrary points from a .npy of shape [m, d]: mesh-free, no grid. ' +
    'Every point must lie in the expansion’s domain (up to 1e-9 of its width and float32 rounding): outside it the series extrapolates wildly, so such points, and NaN or infinite ones, are refused.',
  typeVersion: 1,
  inputs: [{ name: 'expansion', type: 'chebyshev', doc: 'from transform.chebyshev or decompose.chebyshev-tucker' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the values, shape [m]' }],
  params: z.object({
    points: z.string().min(1, 'give the path of a .npy of shape [m, d]').describe('.npy file of shape [m, d] (relative to the graph file), every point inside the expansion’s domain'),
  }),
  files: (p) => [p.points],
  async run({ expansion }, p, ctx) {
    const pts = readNpy(await ctx.files.read(p.points), p.points);
    const d = expansion.domain.length;
    const matrix = pts.ndim === 1 && d === 1 ? new Tensor([pts.size, 1], pts.data) : pts;
    if (matrix.ndim !== 2 || matrix.shape[1] !== d) throw new Error(`param 'points': ${p.points} has shape ${formatShape(pts.shape)}; a ${d}-D expansion needs [m, ${d}]`);
    const m = matrix.shape[0]!;
    // On the host, before either backend sees the points: the CPU and WebGPU routes refuse alike.
    const problem = outsideDomain(expansion, matrix.data, m, p.points);
    if (problem) throw new Error(problem);
    return { tensor: new Tensor([m], await ctx.backend.evaluateChebyshev(expansion, matrix.data, m)) };
  },
});

/**
 * Why the first point outside the expansion's box (or not finite) is refused, or null. Off [−1, 1]
 * T_k(t) grows like (|t| + √(t²−1))^k, so even the rounding noise in high coefficients becomes huge
 * values (issue 12, item 25: ~2.8e14 for x·y), silently. Tolerance per axis: 1e-9 of the width for rounding in the domain's arithmetic,
 * plus half a float32 ulp of the larger bound, since points arrive as float32 (0.3 is read as
 * 0.30000001192…, above a domain that ends at 0.3).
 */
function outsideDomain(e: ChebyshevValue, points: Float32Array, m: number, file: string): string | null {
  const d = e.domain.length;
  const tol = e.domain.map(([lo, hi]) => 1e-9 * (hi - lo) + 2 ** -24 * Math.max(Math.abs(lo), Math.abs(hi)));
  const box = e.domain.map(([lo, hi]) => `[${lo}, ${hi}]`).join(' × ');
  for (let p = 0; p < m; p++) {
    for (let a = 0; a < d; a++) {
      const v = points[p * d + a]!;
      const [lo, hi] = e.domain[a]!;
      if (Number.isFinite(v) && v >= lo - tol[a]! && v <= hi + tol[a]!) continue;
      const point = `point ${p} of ${file} is (${Array.from(points.subarray(p * d, (p + 1) * d), shortest).join(', ')})`;
      if (!Number.isFinite(v)) return `param 'points': ${point}, not finite in coordinate ${a}; give finite coordinates inside the domain ${box} of input 'expansion'`;
      return (
        `param 'points': ${point}, outside the domain ${box} of input 'expansion' (coordinate ${a}: ${shortest(v)} ${v < lo ? '<' : '>'} ${v < lo ? lo : hi}); ` +
        `a Chebyshev expansion extrapolates wildly outside its domain — move the points inside, or build the expansion on a domain that covers them (param 'domain' of transform.chebyshev or decompose.chebyshev-tucker)`
      );
    }
  }
  return null;
}

/** The shortest decimal that reads back as the same float32 (1.2, not 1.2000000476837158). */
function shortest(v: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const s = Number(v.toPrecision(digits));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}
