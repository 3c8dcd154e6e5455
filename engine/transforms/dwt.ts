// Discrete wavelet transform with periodization, multilevel and separable over any axes, packed in
// one tensor of the input's shape exactly as
// pywt.coeffs_to_array(pywt.wavedecn(x, w, mode='periodization', level=L, axes=axes))[0]:
// each level overwrites the current leading block with [lowpass half | highpass half] along each
// transformed axis, then recurses into the all-lowpass block (definition in test/refs/README.md).
// One level, 1-D: cA[k] = Σ_j lo[j]·x[(2k + F/2 − j) mod n], cD the same with hi; the inverse is
// the transpose, as the filters are orthonormal.
import { checkFinite, formatShape, type Tensor } from '../tensor';
import { resolveAxes } from './lines';

/** Decomposition lowpass taps as PyWavelets publishes them (pywt.Wavelet(name).dec_lo). */
const DEC_LO: Record<Wavelet, readonly number[]> = {
  haar: [0.7071067811865476, 0.7071067811865476],
  db2: [-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416],
  db4: [
    -0.010597401785069032, 0.0328830116668852, 0.030841381835560764, -0.18703481171909309, -0.027983769416859854, 0.6308807679298589,
    0.7148465705529157, 0.2303778133088965,
  ],
  sym4: [
    -0.07576571478927333, -0.02963552764599851, 0.49761866763201545, 0.8037387518059161, 0.29785779560527736, -0.09921954357684722,
    -0.012603967262037833, 0.0322231006040427,
  ],
};

export type Wavelet = 'haar' | 'db2' | 'db4' | 'sym4';
export const WAVELETS = Object.keys(DEC_LO) as Wavelet[];

/** (lo, hi) with hi[j] = (−1)^(j+1)·lo[F−1−j], the quadrature mirror of lo. */
export function filters(w: Wavelet): { lo: Float64Array; hi: Float64Array } {
  const lo = Float64Array.from(DEC_LO[w]);
  const f = lo.length;
  const hi = Float64Array.from({ length: f }, (_, j) => (j % 2 === 0 ? -1 : 1) * lo[f - 1 - j]!);
  return { lo, hi };
}

function analyze(line: Float64Array, n: number, lo: Float64Array, hi: Float64Array, out: Float64Array): void {
  const f = lo.length;
  const half = n / 2;
  for (let k = 0; k < half; k++) {
    let a = 0;
    let d = 0;
    for (let j = 0; j < f; j++) {
      const x = line[(((2 * k + f / 2 - j) % n) + n) % n]!;
      a += lo[j]! * x;
      d += hi[j]! * x;
    }
    out[k] = a;
    out[half + k] = d;
  }
  line.set(out.subarray(0, n));
}

function synthesize(line: Float64Array, n: number, lo: Float64Array, hi: Float64Array, out: Float64Array): void {
  const f = lo.length;
  const half = n / 2;
  out.fill(0, 0, n);
  for (let k = 0; k < half; k++) {
    const a = line[k]!;
    const d = line[half + k]!;
    for (let j = 0; j < f; j++) out[(((2 * k + f / 2 - j) % n) + n) % n]! += lo[j]! * a + hi[j]! * d;
  }
  line.set(out.subarray(0, n));
}

export interface DwtOptions {
  wavelet: Wavelet;
  levels: number;
  axes?: readonly number[];
  inverse?: boolean;
}

/** The axes to transform, checked: finite input, a positive number of levels, every transformed
 * axis divisible by 2^levels (else the pad to use). */
export function dwtAxes(x: Tensor, opts: Pick<DwtOptions, 'levels' | 'axes'>): number[] {
  checkFinite(x);
  const axes = resolveAxes(opts.axes, x.ndim);
  const { levels } = opts;
  if (!Number.isInteger(levels) || levels < 1) throw new Error(`levels must be a positive integer, got ${levels}`);
  for (const a of axes) {
    const n = x.shape[a]!;
    if (n % 2 ** levels !== 0) {
      const next = Math.ceil(n / 2 ** levels) * 2 ** levels;
      throw new Error(`${levels} level${levels > 1 ? 's' : ''} of periodized DWT need axis ${a} of ${formatShape(x.shape)} divisible by ${2 ** levels}, but it has ${n}; pad it to ${next} with tensor.pad, or use fewer levels`);
    }
  }
  return axes;
}

/** One level along a line of length n (the block's extent), in place: analysis, or synthesis. */
export function dwtLines(n: number, taps: { lo: Float64Array; hi: Float64Array }, inverse: boolean): (line: Float64Array) => void {
  const scratch = new Float64Array(n);
  return (line) => (inverse ? synthesize : analyze)(line, n, taps.lo, taps.hi, scratch);
}
