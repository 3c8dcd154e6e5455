// Least squares and the pseudo-inverse through the SVD (Golub & Van Loan §5.5): singular values
// below max(m, n)·ε·s₀ count as zero, numpy.linalg.pinv's default cut-off.
import { mat, mul, type Mat } from './mat';
import { svd } from './svd';

export function pinv(a: Mat): Mat {
  const { u, s, v } = svd(a);
  const cut = Math.max(a.rows, a.cols) * 2 ** -52 * (s[0] ?? 0);
  const k = s.length;
  // A⁺ = V·diag(1/s)·Uᵀ.
  const vs = mat(v.rows, k);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < k; j++) vs.data[i * k + j] = s[j]! > cut ? v.data[i * v.cols + j]! / s[j]! : 0;
  return mul(vs, u, { transB: true });
}

/** The minimum-norm x minimising ‖A·x − b‖ for each column of b. */
export function lstsq(a: Mat, b: Mat): Mat {
  if (b.rows !== a.rows) throw new Error(`least squares: A has ${a.rows} rows but b has ${b.rows}`);
  return mul(pinv(a), b);
}
