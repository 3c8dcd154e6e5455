import { z } from 'zod';
import { EPS32, RATES, Tensor, anglesBetween, checkFinite, classicalMds, defineNode, formatShape, grassmannDistance, mat, orthonormalBasis, type Mat } from '../../engine';

/** Seconds for s subspaces of [m, p]: an SVD of each basis, then per pair two products of m × p by p × p
 * and two small SVDs. */
const work = (s: number, m: number, p: number) => (s * (1.4 * m * p * p + 1.9 * p ** 3) + ((s * (s - 1)) / 2) * (4 * m * p * p + 4 * p ** 3)) / RATES.scalar;

export const grassmannDistances = defineNode({
  type: 'grassmann.distances',
  title: 'Subspace distances',
  category: 'grassmann',
  description: 'The distances between every two of a stack of subspaces (each the span of a matrix [m, p]; zero columns add nothing, so smaller subspaces can be stacked zero-padded) from their principal angles (subspaces of different dimensions as Ye & Lim 2016: the directions one has beyond the other count as right angles, so nested subspaces of growing rank stay apart), and a 3-D embedding of the stack by classical multidimensional scaling, to see how subspaces move across layers, ranks or checkpoints (view.points).',
  typeVersion: 1,
  inputs: [{ name: 'subspaces', type: 'tensor', doc: '[s, m, p]: s bases of subspaces of R^m' }],
  outputs: [
    { name: 'distances', type: 'tensor', doc: '[s, s] symmetric, zero diagonal' },
    { name: 'embedding', type: 'tensor', doc: '[s, 3] classical MDS of the distances' },
    { name: 'info', type: 'metrics', doc: 'stress of the embedding (Kruskal stress-1), the largest distance' },
  ],
  params: z.object({
    metric: z.enum(['geodesic', 'chordal', 'projection']).default('geodesic').describe('geodesic ‖θ‖₂, chordal ‖sin θ‖₂ or projection sin θ_max'),
  }),
  shapes({ subspaces }) {
    if (!subspaces) return {};
    if (subspaces.length !== 3) return { problems: [{ input: 'subspaces', message: `is ${formatShape(subspaces)}; give a stack [s, m, p] of bases` }] };
    const s = subspaces[0]!;
    return { outputs: { distances: [s, s], embedding: [s, 3] } };
  },
  cost({ subspaces }) {
    if (!subspaces || subspaces.length !== 3) return undefined;
    const [s, m, p] = subspaces as [number, number, number];
    return { seconds: work(s, m, Math.min(m, p)), what: `${(s * (s - 1)) / 2} pairs of ${m}×${p} subspaces`, fix: { param: 'metric', hint: 'stack fewer subspaces (slice the stack), or smaller bases' } };
  },
  run({ subspaces: x }, p, ctx) {
    if (x.ndim !== 3) throw new Error(`input 'subspaces' is ${formatShape(x.shape)}; give a stack [s, m, p] of bases (s subspaces of R^m)`);
    checkFinite(x, "input 'subspaces'");
    const [s, m, dim] = x.shape as [number, number, number];
    if (s < 2) throw new Error(`input 'subspaces' holds ${s} subspace; distances need at least two`);
    const bases: Mat[] = [];
    for (let i = 0; i < s; i++) {
      const q = orthonormalBasis(mat(m, dim, Float64Array.from(x.data.subarray(i * m * dim, (i + 1) * m * dim))), EPS32).q;
      if (q.cols === 0) throw new Error(`subspace ${i} of input 'subspaces' spans nothing (its ${dim} columns are all zero)`);
      bases.push(q);
    }
    const d = mat(s, s);
    let largest = 0;
    for (let i = 0; i < s; i++) {
      ctx.progress(i, s, `distances from subspace ${i + 1} of ${s}`);
      for (let j = i + 1; j < s; j++) {
        const v = grassmannDistance(anglesBetween(bases[i]!, bases[j]!), p.metric, Math.abs(bases[i]!.cols - bases[j]!.cols));
        d.data[i * s + j] = d.data[j * s + i] = v;
        largest = Math.max(largest, v);
      }
    }
    const { points, stress } = classicalMds(d, 3);
    return {
      distances: new Tensor([s, s], Float32Array.from(d.data)),
      embedding: new Tensor([s, 3], Float32Array.from(points.data)),
      info: {
        stress: { value: stress, unit: '', doc: 'Kruskal stress-1 of the 3-D embedding: 0 when the distances are exactly those of points in 3-D' },
        maxDistance: { value: largest, unit: p.metric === 'geodesic' ? 'rad' : '', doc: `the largest ${p.metric} distance` },
      },
    };
  },
});
