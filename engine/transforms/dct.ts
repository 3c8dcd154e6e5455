// Orthonormal DCT-II and its inverse, the DCT-III, along any axes: equal to
// scipy.fft.dctn(x, type=2, norm='ortho') / idctn. y_k = s_k Σ_n x_n cos(πk(2n+1)/(2N)),
// s_0 = √(1/N), s_k = √(2/N). Short lines by an N×N cosine table computed in float64 (O(N²) per
// line); longer ones by one complex FFT of length N (Makhoul 1980: the even samples forward, the odd
// ones backward, then a quarter-sample rotation), O(N log N) with no N² table.
import { fftPlan } from './fft';

/** Lines up to this long go by the cosine table. */
export const DCT_TABLE_MAX = 64;
const tables = new Map<number, Float64Array>();

/** The orthonormal DCT-II matrix C[k, n] = s_k cos(πk(2n+1)/(2N)) in float64, cached per length. */
export function dctMatrix(n: number): Float64Array {
  let t = tables.get(n);
  if (!t) {
    t = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      const s = Math.sqrt((k === 0 ? 1 : 2) / n);
      for (let i = 0; i < n; i++) t[k * n + i] = s * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
    }
    if (tables.size > 64) tables.clear();
    tables.set(n, t);
  }
  return t;
}

/** One line's DCT-II (or, inverse, DCT-III: the transpose, as C is orthogonal), in place. */
export function dctLines(n: number, inverse: boolean): (line: Float64Array) => void {
  return n > DCT_TABLE_MAX ? dctFftLines(n, inverse) : dctTableLines(n, inverse);
}

/** Makhoul's DCT: v = (x₀, x₂, x₄, …, x₅, x₃, x₁), V = FFT(v), X_k = Re(e^{−iπk/2N} V_k); and back,
 * V_k = e^{iπk/2N} (X_k − i X_{N−k}), v = IFFT(V). */
export function dctFftLines(n: number, inverse: boolean): (line: Float64Array) => void {
  const plan = fftPlan(n);
  const [cos, sin, scale] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((Math.PI * k) / (2 * n));
    sin[k] = Math.sin((Math.PI * k) / (2 * n));
    scale[k] = Math.sqrt((k === 0 ? 1 : 2) / n);
  }
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const half = Math.ceil(n / 2);
  return (line) => {
    if (!inverse) {
      for (let i = 0; i < half; i++) re[i] = line[2 * i]!;
      for (let i = 0; 2 * i + 1 < n; i++) re[n - 1 - i] = line[2 * i + 1]!;
      im.fill(0);
      plan.run(re, im, false);
      for (let k = 0; k < n; k++) line[k] = scale[k]! * (re[k]! * cos[k]! + im[k]! * sin[k]!);
      return;
    }
    for (let k = 0; k < n; k++) {
      const zr = line[k]! / scale[k]!;
      const zi = k === 0 ? 0 : -line[n - k]! / scale[n - k]!;
      re[k] = zr * cos[k]! - zi * sin[k]!;
      im[k] = zr * sin[k]! + zi * cos[k]!;
    }
    plan.run(re, im, true);
    for (let i = 0; i < half; i++) line[2 * i] = re[i]! / n;
    for (let i = 0; 2 * i + 1 < n; i++) line[2 * i + 1] = re[n - 1 - i]! / n;
  };
}

function dctTableLines(n: number, inverse: boolean): (line: Float64Array) => void {
  const c = dctMatrix(n);
  const out = new Float64Array(n);
  return (line) => {
    if (inverse) {
      // x_n = Σ_k C[k, n] y_k.
      out.fill(0);
      for (let k = 0; k < n; k++) {
        const yk = line[k]!;
        for (let i = 0; i < n; i++) out[i]! += c[k * n + i]! * yk;
      }
    } else {
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += c[k * n + i]! * line[i]!;
        out[k] = s;
      }
    }
    line.set(out);
  };
}
