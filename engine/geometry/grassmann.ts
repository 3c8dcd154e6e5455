// Subspaces as points of a Grassmannian, in float64: an orthonormal basis of a span (with its
// numerical rank), principal angles between two spans by the sine–cosine method of Knyazev &
// Argentati (SIAM J. Sci. Comput. 23(6), 2002; scipy.linalg.subspace_angles computes the same), the
// distances built from them, LoRA's normalised subspace similarity (Hu et al. 2021, §7), and classical
// multidimensional scaling to draw a set of subspaces in 3-D.
import { eigh, mat, mul, svd, type Mat } from '../linalg';

/** Unit roundoff of float64, and of float32 (what a basis read from a float32 tensor can resolve). */
export const EPS64 = 2 ** -52;
export const EPS32 = 2 ** -24;

/** An orthonormal basis of the column span of A (m × p): the left singular vectors whose singular
 * values exceed max(m, p)·ε·σ₁ (numpy/scipy's default, ε that of the data's precision), so `rank` is
 * the span's actual dimension. */
export function orthonormalBasis(a: Mat, eps = EPS64): { q: Mat; rank: number } {
  if (a.rows === 0 || a.cols === 0) return { q: mat(a.rows, 0), rank: 0 };
  const d = svd(a);
  const tol = Math.max(a.rows, a.cols) * eps * (d.s[0] ?? 0);
  let rank = 0;
  while (rank < d.s.length && d.s[rank]! > tol) rank++;
  const q = mat(a.rows, rank);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < rank; j++) q.data[i * rank + j] = d.u.data[i * d.u.cols + j]!;
  return { q, rank };
}

/**
 * The principal angles between span(A) and span(B) (A m × p, B m × q, any bases), ascending, in
 * radians: min(rank A, rank B) of them. Cosines are the singular values of QAᵀQB; where a cosine is
 * near 1 (cos² ≥ ½, angles below π/4) the angle comes from the sines — the singular values of the
 * part of QB outside span(A) — so angles down to ~1e-16 keep full relative accuracy, where arccos
 * would lose every angle below ~1e-8 in float64.
 */
export function principalAngles(a: Mat, b: Mat, eps = EPS64): { angles: Float64Array; rankA: number; rankB: number } {
  if (a.rows !== b.rows) throw new Error(`the two bases live in different spaces: ${a.rows} rows against ${b.rows}`);
  const { q: qa, rank: rankA } = orthonormalBasis(a, eps);
  const { q: qb, rank: rankB } = orthonormalBasis(b, eps);
  return { angles: anglesBetween(qa, qb), rankA, rankB };
}

/** The principal angles between the spans of two orthonormal bases (orthonormalBasis), ascending. */
export function anglesBetween(qa: Mat, qb: Mat): Float64Array {
  const k = Math.min(qa.cols, qb.cols);
  if (k === 0) return new Float64Array(0);
  // Work with the larger span as A, so the residual B − QA·(QAᵀQB) has the smaller one's columns.
  if (qa.cols < qb.cols) [qa, qb] = [qb, qa];
  const c = mul(qa, qb, { transA: true }); // rank(A) × rank(B)
  const cos = svd(c).s; // descending: the smallest angles first
  const resid = mul(qa, c);
  for (let i = 0; i < resid.data.length; i++) resid.data[i] = qb.data[i]! - resid.data[i]!;
  const sin = svd(resid).s; // descending: the largest angles first
  const angles = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const ci = Math.min(1, Math.max(-1, cos[i]!));
    // The i-th smallest angle's sine is the i-th smallest singular value of the residual.
    angles[i] = ci * ci >= 0.5 ? Math.asin(Math.min(1, sin[k - 1 - i]!)) : Math.acos(ci);
  }
  return angles.sort();
}

export type GrassmannMetric = 'geodesic' | 'chordal' | 'projection';

/**
 * A distance between two subspaces from their principal angles: geodesic ‖θ‖₂, chordal ‖sin θ‖₂,
 * projection sin θ_max (the 2-norm of the difference of the orthogonal projectors). Subspaces of
 * dimensions k and l ≠ k are compared as Ye & Lim do (SIAM J. Matrix Anal. Appl. 37(3), 2016): the
 * |k − l| directions one has beyond the other count as angles of π/2, so a line inside a plane is
 * √(π²/4) apart from it, not 0, and nested subspaces of growing rank stay distinct.
 */
export function grassmannDistance(angles: ArrayLike<number>, metric: GrassmannMetric, dimensionGap = 0): number {
  let s = dimensionGap * (metric === 'geodesic' ? (Math.PI / 2) ** 2 : 1);
  let top = dimensionGap > 0 ? 1 : 0;
  for (let i = 0; i < angles.length; i++) {
    const t = angles[i]!;
    if (metric === 'geodesic') s += t * t;
    else if (metric === 'chordal') s += Math.sin(t) ** 2;
    else top = Math.max(top, Math.sin(t));
  }
  return metric === 'projection' ? top : Math.sqrt(s);
}

/** The columns as directions ordered by importance: the left singular vectors of A, or A itself when
 * its columns are already orthonormal (an SVD's U, a HOOI factor: ordered by their singular values,
 * an order a second SVD would lose, since an orthonormal matrix's singular values are all 1). */
export function orderedDirections(a: Mat, tol = 1e-4): Mat {
  const g = mul(a, a, { transA: true });
  let off = 0;
  for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.cols; j++) off = Math.max(off, Math.abs(g.data[i * g.cols + j]! - (i === j ? 1 : 0)));
  return off <= tol ? a : svd(a).u;
}

/** LoRA's normalised subspace similarity φ(i, j) = ‖Ua[:, :i]ᵀ Ub[:, :j]‖²_F / min(i, j) for
 * i, j = 1 … r, Ua and Ub the ordered directions of A and B (orderedDirections: left singular
 * vectors), r × r with row i − 1 and column j − 1: 1 where one span contains the other, 0 where
 * they are orthogonal. */
export function subspaceSimilarity(a: Mat, b: Mat, r: number): Mat {
  if (a.rows !== b.rows) throw new Error(`the two matrices live in different spaces: ${a.rows} rows against ${b.rows}`);
  const ua = orderedDirections(a);
  const ub = orderedDirections(b);
  const ra = Math.min(r, ua.cols);
  const rb = Math.min(r, ub.cols);
  if (ra < r || rb < r) throw new Error(`r = ${r} exceeds the number of singular vectors (${ua.cols} and ${ub.cols})`);
  // G = Ua[:, :r]ᵀ Ub[:, :r]; φ(i, j) sums G² over the leading i × j block: a 2-D prefix sum.
  const g = mat(r, r);
  for (let x = 0; x < a.rows; x++)
    for (let i = 0; i < r; i++) {
      const ai = ua.data[x * ua.cols + i]!;
      if (ai === 0) continue;
      for (let j = 0; j < r; j++) g.data[i * r + j] += ai * ub.data[x * ub.cols + j]!;
    }
  const phi = mat(r, r);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++) {
      const here = g.data[i * r + j]! ** 2;
      const up = i > 0 ? phi.data[(i - 1) * r + j]! : 0;
      const left = j > 0 ? phi.data[i * r + j - 1]! : 0;
      const both = i > 0 && j > 0 ? phi.data[(i - 1) * r + j - 1]! : 0;
      phi.data[i * r + j] = here + up + left - both;
    }
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) phi.data[i * r + j]! /= Math.min(i + 1, j + 1);
  return phi;
}

/**
 * Classical multidimensional scaling (Torgerson 1952): points in `dims` dimensions whose distances
 * approximate the s × s matrix D — the top eigenvectors of B = −½·J·D²·J (J the centring matrix)
 * scaled by √λ (negative eigenvalues, where D is not Euclidean, give 0). `stress` is Kruskal's
 * stress-1, √(Σ (dᵢⱼ − d̂ᵢⱼ)² / Σ dᵢⱼ²): 0 when D is exactly Euclidean in `dims` dimensions.
 */
export function classicalMds(d: Mat, dims = 3): { points: Mat; stress: number; eigenvalues: Float64Array } {
  const s = d.rows;
  if (d.cols !== s) throw new Error(`a distance matrix is square, got ${d.rows}×${d.cols}`);
  const b = mat(s, s);
  for (let i = 0; i < s * s; i++) b.data[i] = -0.5 * d.data[i]! ** 2;
  const rowMean = new Float64Array(s);
  let all = 0;
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < s; j++) rowMean[i]! += b.data[i * s + j]! / s;
    all += rowMean[i]! / s;
  }
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) b.data[i * s + j] = b.data[i * s + j]! - rowMean[i]! - rowMean[j]! + all;
  const e = eigh(b);
  const points = mat(s, dims);
  for (let k = 0; k < Math.min(dims, s); k++) {
    const scale = Math.sqrt(Math.max(0, e.values[k]!));
    for (let i = 0; i < s; i++) points.data[i * dims + k] = scale * e.vectors.data[i * s + k]!;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < s; i++)
    for (let j = i + 1; j < s; j++) {
      let h = 0;
      for (let k = 0; k < dims; k++) h += (points.data[i * dims + k]! - points.data[j * dims + k]!) ** 2;
      num += (d.data[i * s + j]! - Math.sqrt(h)) ** 2;
      den += d.data[i * s + j]! ** 2;
    }
  return { points, stress: den === 0 ? 0 : Math.sqrt(num / den), eigenvalues: e.values };
}
