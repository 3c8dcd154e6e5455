import { z } from 'zod';
import { defineNode, formatShape, reshape, slice, type Tensor } from '../../engine';
import { bounded, LIMITS, show } from './common';

export const viewHeatmap = defineNode({
  type: 'view.heatmap',
  title: 'Heatmap',
  category: 'view',
  description: `A matrix, an image or a 2-D slice of any tensor as a heatmap with a colour bar (viridis; a diverging map for signed data). Headless: a PNG in the output folder. Above ${LIMITS.heatmap}² entries, block means.`,
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'the matrix or tensor to show' }],
  outputs: [],
  params: z.object({
    index: z.array(z.number().int().min(0)).optional().describe('for 3-D and larger tensors: the index along each leading axis (default: the middle)'),
    colormap: z.enum(['auto', 'viridis', 'diverging']).default('auto').describe('auto: diverging when the data has both signs, else viridis'),
    title: z.string().max(200).optional().describe('plot title (default: the node id and shape)'),
    xLabel: z.string().max(80).optional().describe('the column axis title (default "column"), e.g. "j: directions of b" for a subspace similarity'),
    yLabel: z.string().max(80).optional().describe('the row axis title (default "row")'),
    origin: z.number().int().min(0).max(1).default(0).describe('the index of the first row and column on the axes: 0, or 1 (φ(i, j) counts directions from 1)'),
  }),
  async run({ tensor }, p, ctx) {
    if (tensor.ndim === 0) throw new Error('a heatmap needs at least one axis, got a scalar');
    let m: Tensor = tensor;
    if (tensor.ndim === 1) m = reshape(tensor, [1, tensor.size]);
    else if (tensor.ndim > 2) {
      const lead = tensor.shape.slice(0, -2);
      const at = lead.map((n, a) => p.index?.[a] ?? Math.floor(n / 2));
      at.forEach((i, a) => {
        if (i >= lead[a]!) throw new Error(`param 'index' entry ${a} is ${i}, but axis ${a} of ${formatShape(tensor.shape)} has ${lead[a]} entries`);
      });
      m = reshape(slice(tensor, [...at.map((i) => ({ start: i, stop: i + 1 })), null, null]), tensor.shape.slice(-2));
    }
    const { t, note } = bounded(m, LIMITS.heatmap);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of t.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const signed = p.colormap === 'diverging' || (p.colormap === 'auto' && lo < 0 && hi > 0);
    return show(ctx, { kind: 'heatmap', title: p.title ?? `${ctx.nodeId} ${formatShape(tensor.shape)}`, rows: t.shape[0]!, cols: t.shape[1]!, values: Array.from(t.data), signed, ...(note ? { note } : {}), ...(p.xLabel ? { xLabel: p.xLabel } : {}), ...(p.yLabel ? { yLabel: p.yLabel } : {}), ...(p.origin ? { origin: p.origin } : {}) });
  },
});
