// Shape and elementwise operations on dense tensors. Reductions accumulate in float64 (JS numbers)
// and round once on store, so a norm of 1e6 float32 entries keeps ~1e-7 relative accuracy.
import { Tensor, formatShape, sameShape, sizeOf, stridesOf, type Shape } from './tensor';

export function reshape(x: Tensor, shape: Shape): Tensor {
  const inferred = inferShape(shape, x.size);
  return new Tensor(inferred, x.data);
}

/** Resolves one -1 entry, as numpy.reshape does. */
function inferShape(shape: Shape, size: number): number[] {
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) throw new Error(`reshape ${formatShape(shape)}: at most one size may be -1`);
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  // numpy refuses this too: with another size 0, any size fits the −1.
  if (free === 1 && known === 0) throw new Error(`cannot infer the -1 of ${formatShape(shape)}: another size is 0, so any size would do; give every size`);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (!out.every((d) => Number.isInteger(d) && d >= 0) || sizeOf(out) !== size) {
    throw new Error(`cannot reshape ${size} elements into ${formatShape(shape)}`);
  }
  return out;
}

/** out[i_perm[0], i_perm[1], …] = x[i_0, i_1, …] — the axes of numpy.transpose(x, perm). */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const outShape = perm.map((p) => x.shape[p]!);
  return new Tensor(outShape, permuteData(x.data, x.shape, perm, new Float32Array(x.size)));
}

type Floats = Float32Array | Float64Array;

/** permute on raw C-order data of any float type (the decompositions keep float64 tensors). */
export function permuteData<T extends Floats>(src: Floats, shape: Shape, perm: readonly number[], out: T): T {
  const n = shape.length;
  if (perm.length !== n || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new Error(`permutation [${perm.join(', ')}] is not a permutation of ${n} axes`);
  }
  if (out.length === 0) return out;
  if (blockTranspose(src, shape, perm, out)) return out;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  // Stride in the input for each output axis; walk the output in C order with an odometer.
  const step = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(n).fill(0);
  const last = n - 1;
  const lastLen = n === 0 ? 1 : outShape[last]!;
  const lastStep = n === 0 ? 0 : step[last]!;
  let from = 0;
  for (let o = 0; o < out.length; o += lastLen) {
    let s = from;
    for (let j = 0; j < lastLen; j++, s += lastStep) out[o + j] = src[s]!;
    // Advance the odometer over the axes before the last.
    for (let a = last - 1; a >= 0; a--) {
      idx[a]!++;
      from += step[a]!;
      if (idx[a]! < outShape[a]!) break;
      from -= step[a]! * outShape[a]!;
      idx[a] = 0;
    }
  }
  return out;
}

/**
 * The permutations that swap two groups of trailing axes after unchanged leading ones — a batch of
 * matrix transposes: [0…k−1, s…n−1, k…s−1]. Transposes (and unfolding along the last mode, and
 * moving a mode to the end for a product) are of this kind. Done in 32 × 32 tiles, so reads and
 * writes both stay in cache (the odometer below reads with a large stride: several times slower
 * on large matrices).
 */
function blockTranspose(src: Floats, shape: Shape, perm: readonly number[], out: Floats): boolean {
  const n = shape.length;
  let k = 0;
  while (k < n && perm[k] === k) k++;
  if (k >= n - 1) return false;
  const s = perm[k]!;
  for (let i = 0; i < n - s; i++) if (perm[k + i] !== s + i) return false;
  for (let i = 0; i < s - k; i++) if (perm[k + n - s + i] !== k + i) return false;
  const p = shape.slice(k, s).reduce((x, y) => x * y, 1);
  const q = shape.slice(s).reduce((x, y) => x * y, 1);
  if (p < 8 || q < 8) return false;
  const T = 32;
  for (let b = 0, base = 0; base < out.length; b++, base += p * q) {
    for (let i0 = 0; i0 < p; i0 += T) {
      const i1 = Math.min(p, i0 + T);
      for (let j0 = 0; j0 < q; j0 += T) {
        const j1 = Math.min(q, j0 + T);
        for (let i = i0; i < i1; i++) {
          const row = base + i * q;
          for (let j = j0; j < j1; j++) out[base + j * p + i] = src[row + j]!;
        }
      }
    }
  }
  return true;
}

/** Mode-n unfolding X_(n) = moveaxis(X, n, 0).reshape(I_n, −1) (C order, as in test/refs). */
export function unfold(x: Tensor, mode: number): Tensor {
  checkMode(x.shape, mode);
  const perm = [mode, ...x.shape.map((_, i) => i).filter((i) => i !== mode)];
  const p = permute(x, perm);
  return new Tensor([x.shape[mode]!, x.size / Math.max(1, x.shape[mode]!) || 0], p.data);
}

/** Inverse of unfold: folds an I_n × (∏ other sizes) matrix back into `shape`. */
export function fold(m: Tensor, mode: number, shape: Shape): Tensor {
  checkMode(shape, mode);
  const rest = shape.filter((_, i) => i !== mode);
  if (m.ndim !== 2 || m.shape[0] !== shape[mode] || m.size !== sizeOf(shape)) {
    throw new Error(`fold: matrix ${formatShape(m.shape)} does not unfold a tensor ${formatShape(shape)} along mode ${mode}`);
  }
  const moved = new Tensor([shape[mode]!, ...rest], m.data);
  // moved has axes (mode, others…); send axis 0 back to position `mode`.
  const perm = shape.map((_, i) => (i < mode ? i + 1 : i === mode ? 0 : i));
  return permute(moved, perm);
}

function checkMode(shape: Shape, mode: number): void {
  if (!Number.isInteger(mode) || mode < 0 || mode >= shape.length) {
    throw new Error(`mode ${mode} is out of range for a tensor with ${shape.length} modes (0…${shape.length - 1})`);
  }
}

export function frobeniusNorm(x: Tensor): number {
  // Scaled sum of squares (LAPACK's dnrm2 idea) is unnecessary in float64 for float32 data:
  // float32 squares cannot overflow a double.
  let s = 0;
  const d = x.data;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return Math.sqrt(s);
}

export function dot(a: Tensor, b: Tensor): number {
  assertSameShape(a, b, 'dot');
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i]! * b.data[i]!;
  return s;
}

export function maxAbs(x: Tensor): number {
  let m = 0;
  for (let i = 0; i < x.size; i++) m = Math.max(m, Math.abs(x.data[i]!));
  return m;
}

export function map(x: Tensor, f: (v: number, i: number) => number): Tensor {
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i]!, i);
  return new Tensor(x.shape, out);
}

export function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number, op = 'zip'): Tensor {
  assertSameShape(a, b, op);
  const out = new Float32Array(a.size);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]!, b.data[i]!);
  return new Tensor(a.shape, out);
}

export const add = (a: Tensor, b: Tensor): Tensor => zip(a, b, (x, y) => x + y, 'add');
export const sub = (a: Tensor, b: Tensor): Tensor => zip(a, b, (x, y) => x - y, 'sub');
export const mul = (a: Tensor, b: Tensor): Tensor => zip(a, b, (x, y) => x * y, 'mul');
export const scale = (x: Tensor, alpha: number): Tensor => map(x, (v) => v * alpha);

/** a + alpha·b with the sum formed in float64 before rounding. */
export function axpy(alpha: number, b: Tensor, a: Tensor): Tensor {
  return zip(a, b, (x, y) => x + alpha * y, 'axpy');
}

export function assertSameShape(a: Tensor, b: Tensor, op: string): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new Error(`${op}: shapes differ, ${formatShape(a.shape)} vs ${formatShape(b.shape)}`);
  }
}
