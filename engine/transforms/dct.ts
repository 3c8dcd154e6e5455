// Orthonormal DCT-II and its inverse, the DCT-III, along any axes: equal to
// scipy.fft.dctn(x, type=2, norm='ortho') / idctn. y_k = s_k Σ_n x_n cos(πk(2n+1)/(2N)),
// s_0 = √(1/N), s_k = √(2/N). By an N×N cosine table computed in float64 (O(N²) per line).
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
