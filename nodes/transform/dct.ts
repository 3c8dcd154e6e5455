import { z } from 'zod';
import { defineNode } from '../../engine';
import { axesParam } from './axes';

export const transformDct = defineNode({
  type: 'transform.dct',
  title: 'DCT',
  category: 'transform',
  description: 'Orthonormal DCT-II along the given axes (inverse: DCT-III), equal to scipy.fft.dctn(x, type=2, norm="ortho").',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'coefficients (or the signal, when inverse)' }],
  params: z.object({
    axes: axesParam,
    inverse: z.boolean().default(false).describe('apply the inverse (DCT-III)'),
  }),
  shapes: ({ tensor }) => ({ outputs: { tensor } }),
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    return { tensor: await ctx.backend.dct(tensor, { ...(p.axes ? { axes: p.axes } : {}), inverse: p.inverse }) };
  },
});
