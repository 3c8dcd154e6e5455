import { z } from 'zod';
import { defineNode } from '../../engine';
import { axesParam } from './axes';

export const transformWht = defineNode({
  type: 'transform.wht',
  title: 'Walsh–Hadamard',
  category: 'transform',
  description: 'Orthonormal fast Walsh–Hadamard transform, O(n log n); natural order equals scipy.linalg.hadamard(n)/√n. Lengths must be powers of two (pad with tensor.pad).',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input, power-of-two lengths on the transformed axes' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'coefficients (or the signal, when inverse)' }],
  params: z.object({
    axes: axesParam,
    order: z.enum(['natural', 'sequency']).default('natural').describe('natural (Hadamard) or sequency (Walsh: by number of sign changes)'),
    inverse: z.boolean().default(false).describe('apply the inverse'),
  }),
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    return { tensor: await ctx.backend.wht(tensor, { ...(p.axes ? { axes: p.axes } : {}), order: p.order, inverse: p.inverse }) };
  },
});
