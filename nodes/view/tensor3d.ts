import { z } from 'zod';
import { Tensor, defineNode, formatShape } from '../../engine';
import { bounded, LIMITS, show } from './common';

export const viewTensor3d = defineNode({
  type: 'view.tensor3d',
  title: 'Core tensor (3-D)',
  category: 'view',
  description: `Every entry of a 3-D tensor (a Tucker core, any tensor) as a voxel sized and coloured by value, with orbit, hover, threshold and slice planes; 4-D and higher as a grid of 3-D slices. Above ${LIMITS.voxelsPerAxis} per axis, block means. Editor only (headless runs list it as skipped).`,
  typeVersion: 1,
  inputs: [{ name: 'data', type: ['tensor', 'tucker'], doc: 'a tensor, or a Tucker decomposition (its core)' }],
  outputs: [],
  params: z.object({ title: z.string().max(200).optional().describe('title (default: the node id and shape)') }),
  async run({ data }, p, ctx) {
    const t = data instanceof Tensor ? data : (data as { core: Tensor }).core;
    if (t.ndim === 0) throw new Error('a 3-D view needs at least one axis, got a scalar');
    const { t: shown, note } = bounded(t, LIMITS.voxelsPerAxis);
    if (shown.size > LIMITS.voxelsPerAxis ** 3) throw new Error(`${formatShape(t.shape)} has ${shown.size} entries after downsampling, above the ${LIMITS.voxelsPerAxis}³ the 3-D view draws; slice it first (tensor.slice)`);
    return show(ctx, { kind: 'tensor3d', title: p.title ?? `${ctx.nodeId} ${formatShape(t.shape)}`, shape: [...shown.shape], values: Array.from(shown.data), ...(note ? { note } : {}) });
  },
});
