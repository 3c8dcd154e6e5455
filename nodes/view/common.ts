// What the viewer nodes share: the display limits (documented in the README's viewer section) and
// how a view that goes nowhere is reported.
import { blockMean, formatShape, type RunContext, type Tensor, type ViewRequest } from '../../engine';

/** Largest drawn sizes: beyond them a view shows block means (and says so). */
export const LIMITS = { heatmap: 160, voxelsPerAxis: 64, volumePerAxis: 128, plotPoints: 2000 } as const;

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

/**
 * A line of more than `cap` points cut to at most `cap`: the points split into cap / 2 runs of
 * consecutive x, and each run keeps its least and its greatest y (in x order), with the first and
 * last points, so spikes, the ends and the envelope survive (a chart cannot show more points than it has pixels anyway). x keeps the
 * true positions; the note says what was cut.
 */
export function decimated(y: ArrayLike<number>, x: (i: number) => number, cap: number = LIMITS.plotPoints): { x: number[]; y: number[]; note?: string } {
  const n = y.length;
  if (n <= cap) return { x: Array.from({ length: n }, (_, i) => x(i)), y: Array.from(y) };
  // Two points a run, and the first and last points themselves.
  const runs = Math.floor((cap - 2) / 2);
  const xs: number[] = [x(0)];
  const ys: number[] = [y[0]!];
  for (let r = 0; r < runs; r++) {
    const start = Math.floor((r * n) / runs);
    const end = Math.floor(((r + 1) * n) / runs);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (y[i]! < y[lo]!) lo = i;
      if (y[i]! > y[hi]!) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) {
      if (i === 0 || i === n - 1) continue;
      xs.push(x(i));
      ys.push(y[i]!);
    }
  }
  xs.push(x(n - 1));
  ys.push(y[n - 1]!);
  const per = Math.ceil(n / runs);
  return { x: xs, y: ys, note: `${n.toLocaleString('en-US')} points drawn as ${xs.length.toLocaleString('en-US')}: the least and greatest of each run of about ${per.toLocaleString('en-US')} (display limit ${cap.toLocaleString('en-US')} points)` };
}

/** Copies a size² RGB image in [0, 1] (row-major, 3 a pixel; `map` may transform each value) into
 * tile (col, row) of an RGB byte canvas `width` pixels wide. */
export function putImage(rgb: Uint8Array, width: number, size: number, img: ArrayLike<number>, col: number, row: number, map: (v: number, i: number) => number = (v) => v): void {
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let k = 0; k < 3; k++) {
        const i = (y * size + x) * 3 + k;
        rgb[((row * size + y) * width + col * size + x) * 3 + k] = Math.round(255 * Math.min(1, Math.max(0, map(img[i]!, i))));
      }
}
