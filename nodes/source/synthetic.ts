import { z } from 'zod';
import { checkSyntheticRanks, defineNode, sourceSizeProblem, syntheticCostProblem, syntheticTensor } from '../../engine';

const params = z
  .object({
    kind: z.enum(['tucker', 'cp', 'tt', 'gaussian']).default('tucker').describe('structure: Tucker, CP or TT of the given ranks, or i.i.d. Gaussian'),
    shape: z.array(z.number().int().min(1).max(1 << 20)).min(1).max(16).default([32, 32, 32]).describe('size of each mode'),
    ranks: z
      .array(z.number().int().min(1).max(4096))
      .default([4, 4, 4])
      .describe('tucker: one per mode; cp: [R]; tt: the d−1 bond ranks; ignored for gaussian'),
    noise: z.number().min(0).max(100).default(0).describe('relative noise ‖N‖F/‖X0‖F added as Gaussian noise'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0).describe('random seed; the same seed gives the same clean tensor at any noise level'),
    noiseSeed: z.number().int().min(0).max(2 ** 20).default(0).describe('which noise draw: two nodes with the same seed and different noiseSeed are independent noisy copies of one clean tensor'),
  })
  .superRefine((p, ctx) => {
    const tooBig = sourceSizeProblem(p.shape);
    if (tooBig) ctx.addIssue({ code: 'custom', path: ['shape'], message: tooBig });
    const problem = checkSyntheticRanks(p);
    if (problem) ctx.addIssue({ code: 'custom', path: ['ranks'], message: problem });
    const cost = syntheticCostProblem(p);
    if (cost) ctx.addIssue({ code: 'custom', path: ['ranks'], message: cost });
  });

export const sourceSynthetic = defineNode({
  type: 'source.synthetic',
  title: 'Synthetic tensor',
  category: 'source',
  description: 'A random tensor of known Tucker, CP or TT structure (or Gaussian), with exactly scaled relative noise.',
  typeVersion: 1,
  inputs: [],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the (noisy) tensor' }],
  params,
  shapes: (_inputs, p) => ({ outputs: { tensor: p.shape } }),
  run(_inputs, p, ctx) {
    return { tensor: syntheticTensor(p, ctx.random).tensor };
  },
});
