// Thumbnails, made where the value is: a 2-D tensor (or the middle slice of its last two axes)
// downsampled to at most SIZE × SIZE by block means, a 1-D series as a sparkline of at most SPARK
// points. Nothing larger ever crosses to the editor's UI thread.
import { Tensor, blockMean, reshape, slice } from '../tensor';
import type { Preview } from './kind';

export const PREVIEW_SIZE = 48;
export const SPARK = 200;

/** A sparkline of at most SPARK evenly strided points (null for an empty series). */
export function sparkline(values: ArrayLike<number>, label: string): Preview | null {
  if (values.length === 0) return null;
  const step = Math.max(1, Math.ceil(values.length / SPARK));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) out.push(values[i]!);
  return { kind: 'sparkline', values: out, label };
}

/** A heatmap of a rows × cols grid given row-major (already at most PREVIEW_SIZE a side). */
export function heatmap(rows: number, cols: number, values: number[], label: string): Preview {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { kind: 'heatmap', rows, cols, values, min, max, label };
}

/** A tensor's thumbnail: a sparkline in 1-D, the middle 2-D slice's block means above. Reads the
 * tensor back when it is still on a device. */
export async function tensorPreview(t: Tensor, label: string): Promise<Preview | null> {
  if (t.size === 0 || t.ndim < 1) return null;
  await t.materialize();
  if (t.ndim === 1) return sparkline(t.data, label);
  // The middle slice along every leading axis, then block means (engine/tensor/resample.ts).
  const lead = t.shape.slice(0, -2);
  const plane = lead.length ? reshape(slice(t, [...lead.map((n) => ({ start: Math.floor(n / 2), stop: Math.floor(n / 2) + 1 })), null, null]), t.shape.slice(-2)) : t;
  const small = blockMean(plane, [PREVIEW_SIZE, PREVIEW_SIZE]);
  const [r, c] = small.shape as [number, number];
  const where = t.ndim > 2 ? ` (middle slice of ${t.shape.join('×')})` : '';
  return heatmap(r, c, Array.from(small.data), `${label}${where}`);
}
