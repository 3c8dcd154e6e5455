import { z } from 'zod';
import { Tensor, defineNode, formatShape, readNpy } from '../../engine';

export const evaluatePoints = defineNode({
  type: 'evaluate.points',
  title: 'Evaluate at points',
  category: 'transform',
  description: 'Evaluates a Chebyshev expansion (dense or Chebyshev-Tucker) at arbitrary points from a .npy of shape [m, d]: mesh-free, no grid.',
  typeVersion: 1,
  inputs: [{ name: 'expansion', type: 'chebyshev', doc: 'from transform.chebyshev or decompose.chebyshev-tucker' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the values, shape [m]' }],
  params: z.object({
    points: z.string().min(1, 'give the path of a .npy of shape [m, d]').describe('.npy file of shape [m, d] (relative to the graph file)'),
  }),
  files: (p) => [p.points],
  async run({ expansion }, p, ctx) {
    const pts = readNpy(await ctx.files.read(p.points), p.points);
    const d = expansion.domain.length;
    const matrix = pts.ndim === 1 && d === 1 ? new Tensor([pts.size, 1], pts.data) : pts;
    if (matrix.ndim !== 2 || matrix.shape[1] !== d) throw new Error(`param 'points': ${p.points} has shape ${formatShape(pts.shape)}; a ${d}-D expansion needs [m, ${d}]`);
    const m = matrix.shape[0]!;
    return { tensor: new Tensor([m], await ctx.backend.evaluateChebyshev(expansion, matrix.data, m)) };
  },
});
