// Householder QR (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 5.2.1), thin form:
// A (m×n) = Q (m×k) · R (k×n), k = min(m, n), in float64 on column-major copies so every inner
// product is unit-stride. diag(R) ≥ 0, which makes the factorisation unique for full-rank A.
import { mat, type Mat } from './mat';

export function qr(a: Mat): { q: Mat; r: Mat } {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const cols = Array.from({ length: n }, (_, j) => {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = a.data[i * n + j]!;
    return c;
  });
  const vs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const x = cols[j]!;
    let norm = 0;
    for (let i = j; i < m; i++) norm += x[i]! * x[i]!;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m);
    if (norm > 0) {
      const alpha = x[j]! > 0 ? -norm : norm;
      for (let i = j; i < m; i++) v[i] = x[i]!;
      v[j]! -= alpha;
      let vn = 0;
      for (let i = j; i < m; i++) vn += v[i]! * v[i]!;
      vn = Math.sqrt(vn);
      if (vn > 0) for (let i = j; i < m; i++) v[i]! /= vn;
    }
    vs.push(v);
    for (let c = j; c < n; c++) reflect(v, cols[c]!, j, m);
  }
  const r = mat(k, n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r.data[i * n + j] = cols[j]![i]!;
  // Q = H₀ H₁ … H_{k−1} applied to the first k columns of the identity.
  const qCols = Array.from({ length: k }, (_, j) => {
    const e = new Float64Array(m);
    e[j] = 1;
    for (let h = k - 1; h >= 0; h--) reflect(vs[h]!, e, h, m);
    return e;
  });
  const q = mat(m, k);
  for (let j = 0; j < k; j++) {
    const sign = r.data[j * n + j]! < 0 ? -1 : 1;
    for (let i = 0; i < m; i++) q.data[i * k + j] = sign * qCols[j]![i]!;
    if (sign < 0) for (let c = j; c < n; c++) r.data[j * n + c] = -r.data[j * n + c]!;
  }
  return { q, r };
}

/** x ← (I − 2vvᵀ)x on entries from..m−1 (v is zero before `from`, and unit or zero). */
function reflect(v: Float64Array, x: Float64Array, from: number, m: number): void {
  let s = 0;
  for (let i = from; i < m; i++) s += v[i]! * x[i]!;
  if (s === 0) return;
  s *= 2;
  for (let i = from; i < m; i++) x[i]! -= s * v[i]!;
}

/** An orthonormal basis of the column space of A (m×k, m ≥ k): the Q of its QR. */
export function orthonormalize(a: Mat): Mat {
  return qr(a).q;
}
