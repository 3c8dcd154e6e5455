// Transform-domain compression of a weight matrix (LoCA's DCT, QWHA's Walsh–Hadamard, wavelet
// subbands): the matrix (rows × cols: a MatMul's W, a conv's O × (I·kh·kw) unfolding) is transformed
// in 2-D by an orthonormal transform, its largest-magnitude coefficients kept, and the weight replaced
// by their inverse transform. Orthonormal, so Parseval holds: the energy of the dropped coefficients
// is the squared weight error. WHT pads each side to a power of two, the DWT each side to a multiple of
// 2^levels (periodization); the padding is part of the coefficient grid a position indexes.
import { Tensor } from '../tensor';
import { dct, dwt, wht } from '../transforms';
import type { Wavelet } from '../transforms';
import { tailShares } from './plan';

export type TransformKind = 'dct' | 'wht' | 'dwt';

export interface TransformSpec {
  kind: TransformKind;
  /** dwt only */
  wavelet?: Wavelet;
  levels?: number;
}

/** The coefficient grid of a rows × cols matrix under the transform (padded sizes). */
export function gridOf(spec: TransformSpec, rows: number, cols: number): [number, number] {
  if (spec.kind === 'wht') return [2 ** Math.ceil(Math.log2(rows)), 2 ** Math.ceil(Math.log2(cols))];
  if (spec.kind === 'dwt') {
    const b = 2 ** (spec.levels ?? 1);
    return [Math.ceil(rows / b) * b, Math.ceil(cols / b) * b];
  }
  return [rows, cols];
}

/** Params a kept set of k coefficients costs on a grid of n: each value, and its position as a 32-bit
 * index (one more param), or as a bitmask of the grid (n/32 params) when that is cheaper. */
export const coefficientParams = (k: number, n: number): number => k + Math.min(k, Math.ceil(n / 32));

/** The 2-D coefficients of the matrix (row-major rows × cols), on the padded grid. */
export async function forwardTransform(m: ArrayLike<number>, rows: number, cols: number, spec: TransformSpec): Promise<Tensor> {
  const [gr, gc] = gridOf(spec, rows, cols);
  const x = new Tensor([gr, gc]);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x.data[i * gc + j] = m[i * cols + j]!;
  if (spec.kind === 'dct') return dct(x, { axes: [0, 1] });
  if (spec.kind === 'wht') return wht(x, { axes: [0, 1] });
  return dwt(x, { wavelet: spec.wavelet ?? 'db4', levels: spec.levels ?? 1, axes: [0, 1] });
}

/** The matrix (rows × cols, float64) from a coefficient grid: the inverse transform, cropped. */
export async function inverseTransform(c: Tensor, rows: number, cols: number, spec: TransformSpec): Promise<Float64Array> {
  const y = spec.kind === 'dct' ? await dct(c, { axes: [0, 1], inverse: true }) : spec.kind === 'wht' ? await wht(c, { axes: [0, 1], inverse: true }) : await dwt(c, { wavelet: spec.wavelet ?? 'db4', levels: spec.levels ?? 1, axes: [0, 1], inverse: true });
  const gc = c.shape[1]!;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = y.data[i * gc + j]!;
  return out;
}

/** The positions of the k largest-magnitude coefficients, ascending (ties: the lower position). */
export function largest(c: ArrayLike<number>, k: number): Uint32Array {
  const order = Uint32Array.from({ length: c.length }, (_, i) => i);
  order.sort((a, b) => Math.abs(c[b]!) - Math.abs(c[a]!) || a - b);
  return order.subarray(0, Math.max(0, Math.min(k, c.length))).sort();
}

/** The share of Σc² each count of largest coefficients leaves out: tails[k − 1] for k kept (an SVD's
 * tail shares, over the coefficient magnitudes sorted). */
export const coefficientTails = (c: ArrayLike<number>): Float64Array => tailShares(Float64Array.from(c, Math.abs).sort().reverse());

