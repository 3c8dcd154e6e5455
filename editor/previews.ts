// Thumbnails of node outputs, made in the worker: a 2-D tensor (or the middle slice of its last two
// axes) downsampled to at most SIZE × SIZE by block means, a 1-D tensor as a sparkline of at most
// SPARK points. Nothing larger ever crosses to the UI thread.
import { Tensor } from '../engine/tensor';
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
  const rows = t.shape[t.ndim - 2]!;
  const cols = t.shape[t.ndim - 1]!;
  // The middle slice along every leading axis.
  let offset = 0;
  for (let a = 0; a < t.ndim - 2; a++) offset = offset * t.shape[a]! + Math.floor(t.shape[a]! / 2);
  offset *= rows * cols;
  const r = Math.min(rows, SIZE);
  const c = Math.min(cols, SIZE);
  const values = new Array<number>(r * c).fill(0);
  for (let i = 0; i < r; i++) {
    const [i0, i1] = [Math.floor((i * rows) / r), Math.floor(((i + 1) * rows) / r)];
    for (let j = 0; j < c; j++) {
      const [j0, j1] = [Math.floor((j * cols) / c), Math.floor(((j + 1) * cols) / c)];
      let s = 0;
      for (let a = i0; a < i1; a++) for (let b = j0; b < j1; b++) s += t.data[offset + a * cols + b]!;
      values[i * c + j] = s / ((i1 - i0) * (j1 - j0));
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const where = t.ndim > 2 ? ` (middle slice of ${t.shape.join('×')})` : '';
  return { kind: 'heatmap', rows: r, cols: c, values, min, max, label: `${label}${where}` };
}
