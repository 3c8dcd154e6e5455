import { z } from 'zod';
import { defineNode, formatShape, permute } from '../../engine';

export const tensorPermute = defineNode({
  type: 'tensor.permute',
  title: 'Permute axes',
  category: 'tensor',
  description: 'numpy.transpose(x, axes): output axis i is input axis axes[i]; omitted: reverse the axes.',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'permuted' }],
  params: z.object({
    axes: z.array(z.number().int().min(0)).optional().describe('a permutation of 0…d−1 (default: reversed)'),
  }),
  shapes({ tensor }, p) {
    if (!tensor) return {};
    const axes = p.axes ?? tensor.map((_, i) => tensor.length - 1 - i);
    if (axes.length !== tensor.length || new Set(axes).size !== axes.length || axes.some((a) => a >= tensor.length)) {
      return { problems: [{ param: 'axes', message: `[${axes.join(', ')}] is not a permutation of the ${tensor.length} axes of the input ${formatShape(tensor)}; list each of 0…${tensor.length - 1} once` }] };
    }
    return { outputs: { tensor: axes.map((a) => tensor[a]!) } };
  },
  run({ tensor }, p) {
    const axes = p.axes ?? tensor.shape.map((_, i) => tensor.ndim - 1 - i);
    if (axes.length !== tensor.ndim) throw new Error(`param 'axes' lists ${axes.length} axes but the input has ${tensor.ndim}`);
    return { tensor: permute(tensor, axes) };
  },
});
