// Padding and slicing, with numpy's semantics (numpy.pad modes; start:stop:step slices).
import { Tensor, formatShape, stridesOf, type Shape } from './tensor';

export type PadMode = 'constant' | 'edge' | 'reflect' | 'wrap';

/** numpy.pad(x, widths, mode) — widths[i] = [before, after] for axis i. */
export function pad(x: Tensor, widths: readonly (readonly [number, number])[], mode: PadMode = 'constant', value = 0): Tensor {
  if (widths.length !== x.ndim) throw new Error(`pad widths list ${widths.length} axes but the input ${formatShape(x.shape)} has ${x.ndim}`);
  const shape = x.shape.map((n, i) => n + widths[i]![0] + widths[i]![1]);
  for (const [i, [b, a]] of widths.entries()) {
    if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) throw new Error(`pad widths must be non-negative integers, got [${b}, ${a}] on axis ${i}`);
    if (x.shape[i] === 0 && mode !== 'constant' && b + a > 0) throw new Error(`cannot pad an empty axis ${i} in '${mode}' mode`);
    if (mode === 'reflect' && x.shape[i] === 1 && b + a > 0) throw new Error(`'reflect' needs at least 2 entries on axis ${i}; use 'edge'`);
  }
  const out = new Tensor(shape);
  const inStrides = stridesOf(x.shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.size; o++) {
    let src = 0;
    let inside = true;
    for (let a = 0; a < shape.length; a++) {
      const i = source(idx[a]! - widths[a]![0], x.shape[a]!, mode);
      if (i < 0) inside = false;
      else src += i * inStrides[a]!;
    }
    out.data[o] = inside ? x.data[src]! : value;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** The input index a padded position reads from, or −1 for the constant. */
function source(i: number, n: number, mode: PadMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      // numpy 'reflect': mirror without repeating the edge, period 2(n − 1).
      const p = 2 * (n - 1);
      const m = ((i % p) + p) % p;
      return m < n ? m : p - m;
    }
  }
}

export interface SliceRange {
  start?: number;
  stop?: number;
  step?: number;
}

/** x[start:stop:step, …] per axis (numpy rules: negatives from the end, clamping, step ≠ 0). */
export function slice(x: Tensor, ranges: readonly (SliceRange | null)[]): Tensor {
  if (ranges.length > x.ndim) throw new Error(`slice lists ${ranges.length} axes but the input ${formatShape(x.shape)} has ${x.ndim}`);
  const picks = x.shape.map((n, a) => indices(n, ranges[a] ?? null, a));
  const shape: Shape = picks.map((p) => p.length);
  const out = new Tensor(shape);
  const strides = stridesOf(x.shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.size; o++) {
    let src = 0;
    for (let a = 0; a < shape.length; a++) src += picks[a]![idx[a]!]! * strides[a]!;
    out.data[o] = x.data[src]!;
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

function indices(n: number, r: SliceRange | null, axis: number): number[] {
  const step = r?.step ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new Error(`slice step on axis ${axis} must be a non-zero integer, got ${step}`);
  const norm = (v: number | undefined, dflt: number, lo: number, hi: number) => (v === undefined ? dflt : Math.min(hi, Math.max(lo, v < 0 ? v + n : v)));
  const start = step > 0 ? norm(r?.start, 0, 0, n) : norm(r?.start, n - 1, -1, n - 1);
  const stop = step > 0 ? norm(r?.stop, n, 0, n) : norm(r?.stop, -1, -1, n - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}
