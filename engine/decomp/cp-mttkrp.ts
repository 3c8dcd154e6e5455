// The CPU's MTTKRPs X_(m)·(⊙_{k≠m} Aₖ) for CP-ALS, in float64 from the resident float64 input (its
// copy in the product kernel's memory): any order by one product of the unfolding with the
// Khatri-Rao product, order 3 by a dimension tree.
import { khatriRao, mat, transpose, type Mat } from '../linalg';
import { gemmRowsByRows, heapArray, permuteData, releaseHeapArray, type Tensor } from '../tensor';
import { unfold64, type T64 } from './dense64';

export interface MttkrpOf {
  (factors: Mat[], mode: number): Mat;
  /** Gives back the arrays it keeps in the product kernel's memory. */
  dispose(): void;
}

/** Any order: one product of the unfolding with the Khatri-Rao product per mode. The unfoldings are
 * made once, in float64, in the product kernel's memory where they fit (no copy per product). */
function generalMttkrp(x: T64): MttkrpOf {
  const unfoldings = x.shape.map((_, m) => {
    const u = unfold64(x, m);
    return m === 0 ? u.data : residentCopy(u.data);
  });
  const of = ((factors: Mat[], m: number) => {
    let kr: Mat | null = null;
    factors.forEach((f, k) => {
      if (k !== m) kr = kr ? khatriRao(kr, f) : f;
    });
    const rows = x.shape[m]!;
    const cols = rows === 0 ? 0 : x.data.length / rows;
    const r = kr!.cols;
    return mat(rows, r, gemmRowsByRows(unfoldings[m]!, transpose(kr!).data, rows, r, cols, new Float64Array(rows * r)));
  }) as MttkrpOf;
  of.dispose = () => unfoldings.forEach((u, m) => m > 0 && releaseHeapArray(u));
  return of;
}

/** A float64 copy in the product kernel's memory where it fits. */
function residentCopy(data: Float64Array): Float64Array {
  const kept = heapArray(data.length, false);
  if (!kept) return data;
  kept.set(data);
  return kept;
}

/**
 * Order 3, by a dimension tree (Phan, Tichavský & Cichocki, IEEE TSP 61(19), 2013): modes 0 and 1
 * share P = X ×₂ C (one product per sweep, reused because C does not change between their
 * updates) and mode 2 uses Q = X ×₀ A. Two large products per sweep instead of three, each over
 * rows of length K or I, which stay in cache; the small contractions with B are O(IJR). X (the
 * resident input) and its (J·K) × I permutation, made once, stay in the kernel's memory.
 */
function threeWayMttkrp(x: T64): MttkrpOf {
  const [I, J, K] = x.shape as [number, number, number];
  const xjki = heapArray(x.data.length, false) ?? new Float64Array(x.data.length);
  permuteData(x.data, x.shape, [1, 2, 0], xjki); // (J·K) × I, row-major
  let p: Float64Array | null = null; // P[(i, j), r] = Σ_k X[i, j, k] C[k, r]
  const of = ((f: Mat[], m: number) => {
    const R = f[0]!.cols;
    const out = mat(x.shape[m]!, R);
    const o = out.data;
    if (m === 0) p = gemmRowsByRows(x.data, transpose(f[2]!).data, I * J, R, K, new Float64Array(I * J * R));
    if (m === 0) {
      // M0[i, r] = Σ_j P[i, j, r]·B[j, r]: row i of M0 summed in a local row.
      const b = f[1]!.data;
      const pp = p!;
      const acc = new Float64Array(R);
      for (let i = 0; i < I; i++) {
        acc.fill(0);
        let row = i * J * R;
        for (let j = 0, w = 0; j < J; j++, row += R, w += R) for (let r = 0; r < R; r++) acc[r]! += pp[row + r]! * b[w + r]!;
        o.set(acc, i * R);
      }
      return out;
    }
    if (m === 1) {
      // M1[j, r] = Σ_i P[i, j, r]·A[i, r].
      const a = f[0]!.data;
      const pp = p!;
      for (let i = 0; i < I; i++) {
        const w = i * R;
        let row = i * J * R;
        for (let at = 0; at < J * R; at += R, row += R) for (let r = 0; r < R; r++) o[at + r]! += pp[row + r]! * a[w + r]!;
      }
      return out;
    }
    // Q[(j, k), r] = Σ_i X[i, j, k] A[i, r];  M2[k, r] = Σ_j Q[j, k, r]·B[j, r].
    const q = gemmRowsByRows(xjki, transpose(f[0]!).data, J * K, R, I, new Float64Array(J * K * R));
    const b = f[1]!.data;
    for (let j = 0; j < J; j++) {
      const w = j * R;
      let row = j * K * R;
      for (let at = 0; at < K * R; at += R, row += R) for (let r = 0; r < R; r++) o[at + r]! += q[row + r]! * b[w + r]!;
    }
    return out;
  }) as MttkrpOf;
  of.dispose = () => releaseHeapArray(xjki);
  return of;
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

/** The MTTKRP of a float64 tensor for each mode, keeping what it can between the modes of one sweep. */
export const mttkrpFor = (x: T64): MttkrpOf => (x.shape.length === 3 ? threeWayMttkrp(x) : generalMttkrp(x));
