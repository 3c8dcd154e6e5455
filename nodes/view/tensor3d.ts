import { z } from 'zod';
import { Tensor, defineNode, formatShape } from '../../engine';
import { bounded, LIMITS, show } from './common';

export const viewTensor3d = defineNode({
  type: 'view.tensor3d',
  title: 'Core tensor (3-D)',
  category: 'view',
  description: `Every entry of a 3-D tensor (a Tucker core with its factor matrices beside it, a CP superdiagonal, any tensor) as a voxel sized and coloured by value, with orbit, hover, threshold and slice planes; 4-D and higher as a grid of 3-D slices. Above ${LIMITS.voxelsPerAxis} per axis, block means. Editor only (headless runs list it as skipped).`,
  typeVersion: 1,
  inputs: [{ name: 'data', type: ['tensor', 'tucker', 'cp'], doc: 'a tensor; a Tucker decomposition (its core, factor matrices beside it); a CP one (its weights on the superdiagonal, factors beside)' }],
  outputs: [],
  params: z.object({ title: z.string().max(200).optional().describe('title (default: the node id and shape)') }),
  async run({ data }, p, ctx) {
    const t = data.kind === 'tensor' ? data : data.kind === 'tucker' ? data.core : superdiagonal(data.weights, data.factors.length);
    const factors = data.kind === 'tensor' ? [] : data.factors.map((f, m) => {
      const shown = bounded(f, LIMITS.heatmap).t;
      return { name: `factor ${m} (${formatShape(f.shape)})`, rows: shown.shape[0]!, cols: shown.shape[1]!, values: Array.from(shown.data) };
    });
    if (t.ndim === 0) throw new Error('a 3-D view needs at least one axis, got a scalar');
    const { t: shown, note } = bounded(t, LIMITS.voxelsPerAxis);
    if (shown.size > LIMITS.voxelsPerAxis ** 3) throw new Error(`${formatShape(t.shape)} has ${shown.size} entries after downsampling, above the ${LIMITS.voxelsPerAxis}³ the 3-D view draws; slice it first (tensor.slice)`);
    return show(ctx, { kind: 'tensor3d', title: p.title ?? `${ctx.nodeId} ${formatShape(t.shape)}`, shape: [...shown.shape], values: Array.from(shown.data), ...(factors.length ? { factors } : {}), ...(note ? { note } : {}) });
  },
});

/** CP as a Tucker core: the weights on the superdiagonal of an R × R × … tensor of `order` modes. */
function superdiagonal(weights: Tensor, order: number): Tensor {
  const r = weights.size;
  const out = new Tensor(new Array<number>(order).fill(r));
  let step = 0;
  for (let m = 0; m < order; m++) step = step * r + 1;
  for (let i = 0; i < r; i++) out.data[i * step] = weights.data[i]!;
  return out;
}
