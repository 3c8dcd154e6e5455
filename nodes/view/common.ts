// What the viewer nodes share: the display limits (documented in the README's viewer section) and
// how a view that goes nowhere is reported.
import { blockMean, formatShape, type RunContext, type Tensor, type ViewRequest } from '../../engine';

/** Largest drawn sizes: beyond them a view shows block means (and says so). */
export const LIMITS = { heatmap: 160, voxelsPerAxis: 64, volumePerAxis: 128 } as const;

/** t downsampled by block means to at most `cap` per axis, with a note when it was. */
export function bounded(t: Tensor, cap: number): { t: Tensor; note?: string } {
  const small = blockMean(t, t.shape.map(() => cap));
  return small === t ? { t } : { t: small, note: `${formatShape(t.shape)} shown as ${formatShape(small.shape)} block means (display limit ${cap} per axis)` };
}

/** Sends the view; without a view sink (plain headless runs of the engine API) it is skipped. */
export async function show(ctx: RunContext, view: ViewRequest): Promise<Record<string, never>> {
  if (ctx.views) await ctx.views.show(ctx.nodeId, view);
  return {};
}
