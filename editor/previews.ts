// Thumbnails of node outputs, made in the worker: a 2-D tensor (or the middle slice of its last two
// axes) downsampled to at most SIZE × SIZE by block means, a 1-D tensor as a sparkline of at most
// SPARK points. Nothing larger ever crosses to the UI thread.
import { Tensor, blockMean, reshape, slice } from '../engine/tensor';
import type { Preview } from './protocol';

const SIZE = 48;
const SPARK = 200;

export function previewOf(value: unknown, port: string): Preview | null {
  if (value instanceof Tensor) return tensorPreview(value, port);
  const v = value as { core?: unknown } | null;
  if (v && v.core instanceof Tensor) return tensorPreview(v.core, `${port} core`);
  return null;
}

function tensorPreview(t: Tensor, label: string): Preview | null {
  if (t.size === 0) return null;
  if (t.ndim === 1) {
    const step = Math.max(1, Math.ceil(t.size / SPARK));
    const values: number[] = [];
    for (let i = 0; i < t.size; i += step) values.push(t.data[i]!);
    return { kind: 'sparkline', values, label };
  }
  if (t.ndim < 2) return null;
  // The middle slice along every leading axis, then block means (engine/tensor/resample.ts).
  const lead = t.shape.slice(0, -2);
  const plane = lead.length ? reshape(slice(t, [...lead.map((n) => ({ start: Math.floor(n / 2), stop: Math.floor(n / 2) + 1 })), null, null]), t.shape.slice(-2)) : t;
  const small = blockMean(plane, [SIZE, SIZE]);
  const [r, c] = small.shape as [number, number];
  const values = Array.from(small.data);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const where = t.ndim > 2 ? ` (middle slice of ${t.shape.join('×')})` : '';
  return { kind: 'heatmap', rows: r, cols: c, values, min, max, label: `${label}${where}` };
}
