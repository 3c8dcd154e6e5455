import { z } from 'zod';
import { defineNode } from '../../engine';
import { axesParam } from './axes';

export const transformDwt = defineNode({
  type: 'transform.dwt',
  title: 'Wavelet (DWT)',
  category: 'transform',
  description: 'Multilevel discrete wavelet transform with periodization, packed in the input shape as pywt.coeffs_to_array(pywt.wavedecn(x, wavelet, mode="periodization", level, axes))[0].',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input; transformed lengths divisible by 2^levels' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'packed coefficients (or the signal, when inverse)' }],
  params: z.object({
    wavelet: z.enum(['haar', 'db2', 'db4', 'sym4']).default('haar').describe('haar, db2, db4 or sym4 (PyWavelets taps)'),
    levels: z.number().int().min(1).max(30).default(1).describe('decomposition levels'),
    axes: axesParam,
    inverse: z.boolean().default(false).describe('reconstruct from packed coefficients'),
  }),
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    return { tensor: await ctx.backend.dwt(tensor, { wavelet: p.wavelet, levels: p.levels, ...(p.axes ? { axes: p.axes } : {}), inverse: p.inverse }) };
  },
});
