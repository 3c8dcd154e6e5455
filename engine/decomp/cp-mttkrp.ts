// The CPU's MTTKRPs X_(m)·(⊙_{k≠m} Aₖ) for CP-ALS, in float64 from the float32 input: any order by
// one product of the unfolding with the Khatri-Rao product, order 3 by a dimension tree.
import { khatriRao, mat, transpose, type Mat } from '../linalg';
import { gemmRowsByRows, permute, unfold, type Tensor } from '../tensor';

export type MttkrpOf = (factors: Mat[], mode: number) => Mat;

/** Any order: one product of the float32 unfolding with the Khatri-Rao product per mode. The
 * unfoldings stay float32 (the input's own values), half the bytes to stream each sweep. */
function generalMttkrp(x: Tensor): MttkrpOf {
  const unfoldings = x.shape.map((_, m) => unfold(x, m));
  return (factors, m) => mttkrp(unfoldings[m]!, factors, m);
}

/**
 * Order 3, by a dimension tree (Phan, Tichavský & Cichocki, IEEE TSP 61(19), 2013): modes 0 and 1
 * share P = X ×₂ C (one product per sweep, reused because C does not change between their
 * updates) and mode 2 uses Q = X ×₀ A. Two large products per sweep instead of three, each over
 * rows of length K or I, which stay in cache; the small contractions with B are O(IJR).
 */
function threeWayMttkrp(x: Tensor): MttkrpOf {
  const [I, J, K] = x.shape as [number, number, number];
  const xjki = permute(x, [1, 2, 0]).data; // (J·K) × I, row-major
  let p: Float64Array | null = null; // P[(i, j), r] = Σ_k X[i, j, k] C[k, r]
  return (f, m) => {
    const R = f[0]!.cols;
    const out = mat(x.shape[m]!, R);
    if (m === 0) p = gemmRowsByRows(x.data, transpose(f[2]!).data, I * J, R, K, new Float64Array(I * J * R));
    if (m === 0 || m === 1) {
      // M0[i, r] = Σ_j P[i, j, r]·B[j, r];  M1[j, r] = Σ_i P[i, j, r]·A[i, r].
      const other = m === 0 ? f[1]! : f[0]!;
      for (let i = 0; i < I; i++)
        for (let j = 0; j < J; j++) {
          const row = (i * J + j) * R;
          const [o, w] = m === 0 ? [i * R, j * R] : [j * R, i * R];
          for (let r = 0; r < R; r++) out.data[o + r]! += p![row + r]! * other.data[w + r]!;
        }
      return out;
    }
    // Q[(j, k), r] = Σ_i X[i, j, k] A[i, r];  M2[k, r] = Σ_j Q[j, k, r]·B[j, r].
    const q = gemmRowsByRows(xjki, transpose(f[0]!).data, J * K, R, I, new Float64Array(J * K * R));
    const b = f[1]!;
    for (let j = 0; j < J; j++)
      for (let k = 0; k < K; k++) {
        const row = (j * K + k) * R;
        for (let r = 0; r < R; r++) out.data[k * R + r]! += q[row + r]! * b.data[j * R + r]!;
      }
    return out;
  };
}

/** MTTKRP X_(m)·(⊙_{k≠m} Aₖ) from the float32 unfolding X_(m) (Khatri-Rao rows in C order of the
 * other modes), summed in float64. */
export function mttkrp(xm: Tensor, factors: Mat[], mode: number): Mat {
  let kr: Mat | null = null;
  factors.forEach((f, k) => {
    if (k !== mode) kr = kr ? khatriRao(kr, f) : f;
  });
  const [rows, cols] = xm.shape as [number, number];
  const r = kr!.cols;
  return mat(rows, r, gemmRowsByRows(xm.data, transpose(kr!).data, rows, r, cols, new Float64Array(rows * r)));
}

/** The MTTKRP of x for each mode, keeping what it can between the modes of one sweep. */
export const mttkrpFor = (x: Tensor): MttkrpOf => (x.ndim === 3 ? threeWayMttkrp(x) : generalMttkrp(x));
