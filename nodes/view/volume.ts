import { z } from 'zod';
import { defineNode, formatShape } from '../../engine';
import { bounded, LIMITS, show } from './common';

export const viewVolume = defineNode({
  type: 'view.volume',
  title: 'Volume',
  category: 'view',
  description: `A 3-D scalar field ray-marched with emission–absorption compositing (α = 1 − exp(−σ·δ)), an editable transfer function and orbit controls; with a second input, side-by-side compare with linked cameras and a difference view. Above ${LIMITS.volumePerAxis}³, block means. Editor only.`,
  typeVersion: 1,
  inputs: [
    { name: 'volume', type: 'tensor', doc: 'a 3-D field (density, or any scalar)' },
    { name: 'compare', type: 'tensor', doc: 'a second field of the same shape (e.g. the reconstruction)', optional: true },
  ],
  outputs: [],
  params: z.object({ title: z.string().max(200).optional().describe('title (default: the node id and shape)') }),
  async run({ volume, compare }, p, ctx) {
    if (volume.ndim !== 3) throw new Error(`input 'volume' must be 3-D, got ${formatShape(volume.shape)}`);
    if (compare && formatShape(compare.shape) !== formatShape(volume.shape)) throw new Error(`input 'compare' is ${formatShape(compare.shape)}, not the volume's ${formatShape(volume.shape)}`);
    const { t, note } = bounded(volume, LIMITS.volumePerAxis);
    const c = compare ? bounded(compare, LIMITS.volumePerAxis).t : null;
    return show(ctx, { kind: 'volume', title: p.title ?? `${ctx.nodeId} ${formatShape(volume.shape)}`, shape: [...t.shape], values: Array.from(t.data), ...(c ? { compare: Array.from(c.data) } : {}), ...(note ? { note } : {}) });
  },
});
