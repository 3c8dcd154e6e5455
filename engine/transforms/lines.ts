// Applying a 1-D transform along one axis of a C-order N-D array, line by line. A line along axis
// a starts at outer·(n·inner) + inner-offset and has stride `inner` (the product of later sizes).
// `extent` limits the other axes to a leading block (the wavelet levels work on shrinking blocks).

export type Lines = (line: Float64Array) => void;

/** Calls `fn` on every line along `axis` inside the block [0, extent[i]) (all of it by default),
 * with the first `length` entries of the line, and writes the line back. */
export function forEachLine(data: Float64Array, shape: readonly number[], axis: number, length: number, fn: Lines, extent: readonly number[] = shape): void {
  const d = shape.length;
  const strides = new Array<number>(d);
  let s = 1;
  for (let i = d - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const stride = strides[axis]!;
  const line = new Float64Array(length);
  const others = shape.map((_, i) => i).filter((i) => i !== axis);
  if (others.some((i) => extent[i] === 0)) return;
  const idx = new Array<number>(others.length).fill(0);
  for (;;) {
    let base = 0;
    others.forEach((ax, k) => (base += idx[k]! * strides[ax]!));
    for (let k = 0; k < length; k++) line[k] = data[base + k * stride]!;
    fn(line);
    for (let k = 0; k < length; k++) data[base + k * stride] = line[k]!;
    let k = others.length - 1;
    for (; k >= 0; k--) {
      if (++idx[k]! < extent[others[k]!]!) break;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

/** The axes to transform: all when not given; negative ones count from the end, as in numpy. */
export function resolveAxes(axes: readonly number[] | undefined, ndim: number): number[] {
  const list = axes ?? Array.from({ length: ndim }, (_, i) => i);
  const out = list.map((a) => (a < 0 ? a + ndim : a));
  out.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new Error(`axis ${list[i]} is out of range for a ${ndim}-D input (axes 0…${ndim - 1}, or −1…−${ndim})`);
  });
  if (new Set(out).size !== out.length) throw new Error(`axes [${list.join(', ')}] name an axis twice`);
  return out;
}
