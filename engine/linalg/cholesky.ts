// Cholesky factorisation G = RᵀR of a symmetric positive definite matrix (Golub & Van Loan,
// Alg. 4.2.1), in float64; null when a pivot is not positive (G not numerically definite), which
// the CholeskyQR callers answer with a shift. And the inverse of an upper-triangular matrix.
import { mat, type Mat } from './mat';

/** Upper-triangular R with G = RᵀR, or null if G is not positive definite to working precision. */
export function cholesky(g: Mat): Mat | null {
  const n = g.rows;
  const r = mat(n, n);
  for (let j = 0; j < n; j++) {
    let d = g.data[j * n + j]!;
    for (let k = 0; k < j; k++) d -= r.data[k * n + j]! ** 2;
    if (!(d > 0)) return null;
    const rjj = Math.sqrt(d);
    r.data[j * n + j] = rjj;
    for (let i = j + 1; i < n; i++) {
      let s = g.data[j * n + i]!;
      for (let k = 0; k < j; k++) s -= r.data[k * n + j]! * r.data[k * n + i]!;
      r.data[j * n + i] = s / rjj;
    }
  }
  return r;
}

/** R⁻¹ for upper-triangular R with a non-zero diagonal (back substitution, column by column). */
export function invertUpper(r: Mat): Mat {
  const n = r.rows;
  const inv = mat(n, n);
  for (let j = 0; j < n; j++) {
    inv.data[j * n + j] = 1 / r.data[j * n + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r.data[i * n + k]! * inv.data[k * n + j]!;
      inv.data[i * n + j] = -s / r.data[i * n + i]!;
    }
  }
  return inv;
}
