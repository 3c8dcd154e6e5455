import { z } from 'zod';
import { checkFinite, defineNode, formatShape } from '../../engine';
import { show } from './common';

/** The most points the 3-D scatter draws. */
export const MAX_POINTS = 20_000;

export const viewPoints = defineNode({
  type: 'view.points',
  title: 'Points (3-D)',
  category: 'view',
  description: `A 3-D scatter of labelled points — an embedding of subspaces (grassmann.distances) or any [s, 3] tensor ([s, 2] lies in a plane) — with orbit and hover. Headless: a PNG of its first two coordinates. Up to ${MAX_POINTS} points.`,
  typeVersion: 1,
  inputs: [
    { name: 'points', type: 'tensor', doc: '[s, 3] (or [s, 2]) coordinates, one point per row' },
    { name: 'values', type: 'tensor', doc: '[s] a value per point to colour it by (default: its index)', optional: true },
  ],
  outputs: [],
  params: z.object({
    labels: z.array(z.string().max(80)).max(MAX_POINTS).optional().describe('a label per point (default: its index)'),
    title: z.string().max(200).optional().describe('title (default: the node id and the number of points)'),
  }),
  shapes({ points }) {
    if (points && (points.length !== 2 || (points[1] !== 3 && points[1] !== 2))) return { problems: [{ input: 'points', message: `is ${formatShape(points)}; give coordinates [s, 3] (or [s, 2])` }] };
    if (points && points[0]! > MAX_POINTS) return { problems: [{ input: 'points', message: `has ${points[0]} points, above the ${MAX_POINTS} the scatter draws; slice it first (tensor.slice)` }] };
    return {};
  },
  async run({ points, values }, p, ctx) {
    if (points.ndim !== 2 || (points.shape[1] !== 3 && points.shape[1] !== 2)) throw new Error(`input 'points' is ${formatShape(points.shape)}; give coordinates [s, 3] (or [s, 2]), one point per row`);
    const [s, dims] = points.shape as [number, number];
    if (s > MAX_POINTS) throw new Error(`input 'points' has ${s} points, above the ${MAX_POINTS} the scatter draws; slice it first (tensor.slice)`);
    checkFinite(points, "input 'points'");
    if (values && values.size !== s) throw new Error(`input 'values' has ${values.size} entries for ${s} points; give one value per point`);
    if (values) checkFinite(values, "input 'values'");
    if (p.labels && p.labels.length !== s) throw new Error(`param 'labels' has ${p.labels.length} labels for ${s} points; give one per point, or none`);
    const xyz = Array.from({ length: 3 * s }, (_, i) => (i % 3 < dims ? points.data[Math.floor(i / 3) * dims + (i % 3)]! : 0));
    return show(ctx, {
      kind: 'points',
      title: p.title ?? `${ctx.nodeId}: ${s} points`,
      points: xyz,
      ...(p.labels ? { labels: p.labels } : {}),
      ...(values ? { values: Array.from(values.data) } : {}),
    });
  },
});
