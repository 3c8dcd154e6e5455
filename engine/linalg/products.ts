// Structured products of factor matrices (Kolda & Bader, "Tensor decompositions and applications",
// SIAM Review 2009, §2.6), with row orders that match C-order unfoldings:
// X_(n) = A_n · (A_{m₀} ⊙ A_{m₁} ⊙ …)ᵀ over the other modes m₀ < m₁ < … for a CP tensor.
import { mat, type Mat } from './mat';

/** Khatri-Rao (columnwise Kronecker) product: row (i, j) ↦ i·J + j, column r: a[i, r]·b[j, r]. */
export function khatriRao(a: Mat, b: Mat): Mat {
  if (a.cols !== b.cols) throw new Error(`Khatri-Rao product needs equal column counts, got ${a.cols} and ${b.cols}`);
  const r = a.cols;
  const out = mat(a.rows * b.rows, r);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.rows; j++) {
      const o = (i * b.rows + j) * r;
      for (let c = 0; c < r; c++) out.data[o + c] = a.data[i * r + c]! * b.data[j * r + c]!;
    }
  return out;
}

/** Kronecker product A ⊗ B: entry ((i, k), (j, l)) = a[i, j]·b[k, l]. */
export function kronecker(a: Mat, b: Mat): Mat {
  const out = mat(a.rows * b.rows, a.cols * b.cols);
  const w = a.cols * b.cols;
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) {
      const x = a.data[i * a.cols + j]!;
      for (let k = 0; k < b.rows; k++)
        for (let l = 0; l < b.cols; l++) out.data[(i * b.rows + k) * w + j * b.cols + l] = x * b.data[k * b.cols + l]!;
    }
  return out;
}

/** Hadamard (elementwise) product of equally sized matrices. */
export function hadamard(a: Mat, b: Mat): Mat {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`Hadamard product needs equal shapes, got ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  return mat(a.rows, a.cols, a.data.map((x, i) => x * b.data[i]!));
}
