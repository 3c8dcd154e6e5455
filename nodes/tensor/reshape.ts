import { z } from 'zod';
import { defineNode, reshape } from '../../engine';

export const tensorReshape = defineNode({
  type: 'tensor.reshape',
  title: 'Reshape',
  category: 'tensor',
  description: 'numpy.reshape in C order; one size may be −1 (inferred).',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'same entries, new shape' }],
  params: z.object({
    shape: z.array(z.number().int().min(-1)).default([-1]).describe('new shape; −1 once to infer a size'),
  }),
  run({ tensor }, p) {
    return { tensor: reshape(tensor, p.shape) };
  },
});
