import { z } from 'zod';
import { MAX_TENSOR_ENTRIES, cpCost, defineNode, entryLimit, formatCount, formatShape, type CpResult, type Shape } from '../../engine';
import { decompositionInfo, sweepProgress, traceTensor } from './info';

export const decomposeCp = defineNode({
  type: 'decompose.cp',
  title: 'CP (ALS)',
  category: 'decompose',
  description: 'X ≈ Σᵣ wᵣ a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ … by alternating least squares (TensorLy parafac conventions); the best of `restarts` runs is kept.',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'the tensor to decompose (order ≥ 2)' }],
  outputs: [
    { name: 'cp', type: 'cp', doc: 'weights and factor matrices' },
    { name: 'trace', type: 'tensor', doc: 'relative error after each ALS sweep (best run)' },
    { name: 'info', type: 'metrics', doc: 'relError, iterations, params, compressionRatio' },
  ],
  params: z.object({
    rank: z.number().int().min(1).max(4096).default(4).describe('number of rank-one components R'),
    init: z.enum(['svd', 'random']).default('svd').describe('svd: leading singular vectors; random: uniform [0, 1) factors'),
    maxIter: z.number().int().min(1).max(100000).default(500).describe('ALS sweeps at most'),
    tol: z.number().min(0).default(1e-10).describe('stop when the error changes by less than this between sweeps'),
    normalize: z.boolean().default(false).describe('unit-norm factor columns with the scale in the weights'),
    restarts: z.number().int().min(1).max(100).default(1).describe('runs to make (the first with `init`, the rest random); the lowest error wins'),
    seed: z.number().int().min(0).default(0).describe('random seed'),
  }),
  shapes({ tensor }, p) {
    const problem = tensor && factorProblem(tensor, p.rank);
    return problem ? { problems: [{ param: 'rank', message: problem }] } : {};
  },
  cost: ({ tensor }, p) => (tensor && tensor.length >= 2 ? cpCost(tensor, p) : undefined),
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    const tooBig = factorProblem(tensor.shape, p.rank);
    if (tooBig) throw new Error(`param 'rank': ${tooBig}`);
    let best: CpResult | null = null;
    for (let run = 0; run < p.restarts; run++) {
      const label = p.restarts > 1 ? `ALS run ${run + 1}/${p.restarts},` : 'ALS';
      const r = await ctx.backend.cp(tensor, {
        rank: p.rank,
        init: run === 0 ? p.init : 'random',
        maxIter: p.maxIter,
        tol: p.tol,
        normalize: p.normalize,
        random: ctx.random.fork(run),
        onIteration: sweepProgress(ctx, label, p.maxIter),
      });
      if (!best || r.relError < best.relError) best = r;
    }
    const value = { kind: 'cp' as const, weights: best!.weights, factors: best!.factors };
    return {
      cp: value,
      trace: traceTensor(best!.trace),
      info: decompositionInfo(value, best!.relError, { iterations: { value: best!.iterations, unit: '', doc: 'ALS sweeps of the best run' } }),
    };
  },
});

/** Why R components of this shape need too much memory, or null. */
function factorProblem(shape: Shape, rank: number): string | null {
  const entries = shape.reduce((a, n) => a + n * rank, 0);
  return entries > MAX_TENSOR_ENTRIES ? `${rank} components of ${formatShape(shape)} need factor matrices of ${formatCount(entries)} entries, above the limit of ${entryLimit()}; use a smaller rank` : null;
}
