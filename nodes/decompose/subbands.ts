import { z } from 'zod';
import { defineNode, lowrankSubbands } from '../../engine';

export const decomposeLowrankSubbands = defineNode({
  type: 'decompose.lowrank-subbands',
  title: 'Low-rank wavelet subbands',
  category: 'decompose',
  description: 'WaRA-style: 2-D DWT of a matrix, a truncated SVD of each subband (rank or energy), then the inverse DWT.',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'a matrix; both sizes divisible by 2^levels' }],
  outputs: [
    { name: 'tensor', type: 'tensor', doc: 'the approximation, same shape' },
    { name: 'info', type: 'metrics', doc: 'relError, params kept, compressionRatio, subbands' },
  ],
  params: z
    .object({
      wavelet: z.enum(['haar', 'db2', 'db4', 'sym4']).default('haar').describe('wavelet (PyWavelets taps, periodization)'),
      levels: z.number().int().min(1).max(20).default(1).describe('DWT levels'),
      rank: z.number().int().min(1).optional().describe('rank kept in every subband (capped by its size)'),
      energy: z.number().gt(0).max(1).optional().describe('or: energy fraction kept in every subband'),
    })
    .superRefine((p, ctx) => {
      if ((p.rank === undefined) === (p.energy === undefined)) ctx.addIssue({ code: 'custom', path: ['rank'], message: 'give rank or energy (one of them)' });
    }),
  async run({ tensor }, p, ctx) {
    const r = await lowrankSubbands(tensor, {
      wavelet: p.wavelet,
      levels: p.levels,
      ...(p.rank !== undefined ? { rank: p.rank } : {}),
      ...(p.energy !== undefined ? { energy: p.energy } : {}),
      onBlock: (done, of, name) => ctx.progress(done, of, `subband ${name} (${done} of ${of})`),
    }, (t, o) => ctx.backend.dwt(t, o));
    return {
      tensor: r.tensor,
      info: {
        relError: { value: r.relError, unit: '', doc: '‖X − X̂‖F / ‖X‖F' },
        params: { value: r.params, unit: 'values', doc: 'Σ over subbands of k·(rows + cols + 1)' },
        compressionRatio: { value: tensor.size / r.params, unit: '×', doc: 'dense size / params' },
        subbands: { value: r.blocks.length, unit: '', doc: 'number of subbands' },
      },
    };
  },
});
