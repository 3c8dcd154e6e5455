import { z } from 'zod';
import { defineNode, entriesOf, formatShape, reshape } from '../../engine';

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
  shapes({ tensor }, p) {
    if (!tensor) return {};
    const size = entriesOf(tensor);
    const free = p.shape.indexOf(-1);
    const rest = entriesOf(p.shape.filter((n) => n !== -1));
    const shape = free < 0 ? p.shape : p.shape.map((n) => (n === -1 ? size / rest : n));
    if (p.shape.filter((n) => n === -1).length > 1 || !shape.every(Number.isInteger) || entriesOf(shape) !== size) {
      return { problems: [{ param: 'shape', message: `[${p.shape.join(', ')}] does not hold the ${size} entries of the input ${formatShape(tensor)}; give sizes whose product is ${size} (−1 once to infer one)` }] };
    }
    return { outputs: { tensor: shape } };
  },
  run({ tensor }, p) {
    return { tensor: reshape(tensor, p.shape) };
  },
});
