import { z } from 'zod';
import { defineNode, entriesOf, formatShape, ttCost } from '../../engine';
import { decompositionInfo } from './info';

export const decomposeTt = defineNode({
  type: 'decompose.tt',
  title: 'Tensor train (TT-SVD)',
  category: 'decompose',
  description: 'TT cores by TT-SVD (Oseledets 2011) with a rank cap or an error target eps (each unfolding truncated at eps/√(d−1)·‖A‖F); optionally tensorize first (quantized TT).',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'the tensor to decompose' }],
  outputs: [
    { name: 'tt', type: 'tt', doc: 'cores r_k × I_k × r_{k+1}' },
    { name: 'info', type: 'metrics', doc: 'relError, params, compressionRatio, maxRank' },
  ],
  params: z
    .object({
      maxRank: z.union([z.number().int().min(1), z.array(z.number().int().min(1))]).optional().describe('bond rank cap: one number, the d−1 inner ranks, or all d+1 ranks'),
      eps: z.number().gt(0).max(1).optional().describe('relative error target; ‖A − TT‖F ≤ eps·‖A‖F'),
      reshape: z.array(z.number().int().min(1)).min(1).optional().describe('tensorize first to this shape (same number of entries), e.g. a 1024×1024 matrix as [4, 4, …]'),
    })
    .superRefine((p, ctx) => {
      if (p.maxRank === undefined && p.eps === undefined) ctx.addIssue({ code: 'custom', path: ['maxRank'], message: 'give maxRank, eps, or both' });
    }),
  shapes({ tensor }, p) {
    if (!tensor || !p.reshape) return {};
    const n = entriesOf(p.reshape);
    const size = entriesOf(tensor);
    return n === size ? {} : { problems: [{ param: 'reshape', message: `${formatShape(p.reshape)} holds ${n} entries but the input ${formatShape(tensor)} has ${size}` }] };
  },
  cost({ tensor }, p) {
    const shape = p.reshape ?? tensor;
    if (!shape || shape.length === 0) return undefined;
    const cap = p.maxRank === undefined ? Infinity : typeof p.maxRank === 'number' ? p.maxRank : Math.max(...p.maxRank);
    return ttCost(shape, { maxRank: cap, ...(p.eps !== undefined ? { eps: p.eps } : {}) });
  },
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    let x = tensor;
    if (tensor.ndim === 0 && !p.reshape) throw new Error(`input 'tensor' is 0-D (a single number); a tensor train needs at least one mode: connect a tensor with modes, or set 'reshape' (e.g. [1])`);
    if (p.reshape) {
      const n = p.reshape.reduce((a, b) => a * b, 1);
      if (n !== tensor.size) throw new Error(`param 'reshape' ${formatShape(p.reshape)} holds ${n} entries but the input ${formatShape(tensor.shape)} has ${tensor.size}`);
      x = tensor.reshaped(p.reshape);
    }
    const r = await ctx.backend.tt(x, {
      ...(p.maxRank !== undefined ? { maxRank: p.maxRank } : {}),
      ...(p.eps !== undefined ? { eps: p.eps } : {}),
      onStep: (k, steps, rank) => ctx.progress(k + 1, steps, `TT-SVD step ${k + 1} of ${steps}: bond rank ${rank}`),
    });
    const value = { kind: 'tt' as const, cores: r.cores };
    return { tt: value, info: decompositionInfo(value, r.relError, { maxRank: { value: Math.max(...r.ranks), unit: '', doc: 'largest bond rank' } }) };
  },
});
