// Shared pieces of the decompositions: leading singular subspaces of unfoldings and the iteration
// hook through which nodes report progress and get cancelled.
import { eigh, gramRows, mat, normalizeSigns, svd, type Mat } from '../linalg';
import { unfold64, type T64 } from './dense64';

/** Called after each sweep with the sweep index and the error after it; may throw to cancel. */
export type IterationHook = (iteration: number, relError: number) => void;

/**
 * The r leading left singular vectors of a float64 matrix and all its singular values. Wide
 * matrices go through the Gram matrix and its eigenvectors (one pass over the data; the subspace
 * is as accurate as the gap σ_r² − σ_{r+1}² allows, ample for Tucker and CP); tall ones through the
 * exact SVD. Signs follow normalizeSigns, so results are reproducible.
 */
export function leadingLeft(m: Mat, r: number): { u: Mat; s: Float64Array } {
  const { rows, cols } = m;
  if (rows <= cols) return leadingFromGram(gramRows(m.data, rows, cols), r);
  const d = svd(m);
  const u = mat(rows, r);
  for (let i = 0; i < rows; i++) for (let j = 0; j < Math.min(r, d.u.cols); j++) u.data[i * r + j] = d.u.data[i * d.u.cols + j]!;
  return { u, s: d.s };
}

/** The r leading eigenvectors of a Gram matrix A·Aᵀ (= A's leading left singular vectors, signs by
 * normalizeSigns) and A's singular values, from the eigenvalues. */
export function leadingFromGram(gram: Mat, r: number): { u: Mat; s: Float64Array } {
  const n = gram.rows;
  const { values, vectors } = eigh(gram);
  const u = mat(n, r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) u.data[i * r + j] = vectors.data[i * n + j]!;
  normalizeSigns(u);
  return { u, s: values.map((v) => Math.sqrt(Math.max(0, v))) };
}

export const leadingLeftOfUnfolding = (x: T64, mode: number, r: number) => leadingLeft(unfold64(x, mode), r);
