// Float64 tensors for the inside of iterative decompositions. Inputs are float32, but the sweeps
// run in float64 so that their convergence tests resolve changes of 1e-8 and below, as TensorLy's
// do in float64: with float32 intermediates the error estimate √|‖X‖² − ‖G‖²| jitters by ~1e-6
// and a 1e-8 stopping tolerance never triggers.
import { mat, type Mat } from '../linalg';
import { Tensor, gemmRowsByRows as gemm, permuteData } from '../tensor';

export interface T64 {
  shape: number[];
  data: Float64Array;
}

export const to64 = (x: Tensor): T64 => ({ shape: [...x.shape], data: Float64Array.from(x.data) });
export const to32 = (x: T64): Tensor => new Tensor(x.shape, Float32Array.from(x.data));
export const matTo32 = (m: Mat): Tensor => new Tensor([m.rows, m.cols], Float32Array.from(m.data));

/** X_(n) = moveaxis(X, n, 0).reshape(I_n, −1), as a float64 matrix. */
export function unfold64(x: T64, mode: number): Mat {
  const rows = x.shape[mode]!;
  const cols = rows === 0 ? 0 : x.data.length / rows;
  if (mode === 0) return mat(rows, cols, x.data);
  const perm = [mode, ...x.shape.map((_, i) => i).filter((i) => i !== mode)];
  return mat(rows, cols, permuteData(x.data, x.shape, perm, new Float64Array(x.data.length)));
}

/**
 * Y = X ×ₙ op(U), op(U) = Uᵀ when `transpose` (projection onto a factor). Computed as
 * (moveaxis(X, n, −1) as J×Iₙ)·op(U)ᵀ so both gemm operands are read by rows; when n is the last
 * mode neither the input nor the output needs a copy.
 */
export function ttm64(x: T64, u: Mat, mode: number, transpose: boolean): T64 {
  const d = x.shape.length;
  const size = x.shape[mode]!;
  const others = x.shape.map((_, i) => i).filter((i) => i !== mode);
  const opU = transpose ? transposeMat(u) : u; // rows × Iₙ, row-major
  if (opU.cols !== size) throw new Error(`mode product: factor ${u.rows}×${u.cols} does not fit mode ${mode} of size ${size}`);
  const rest = size === 0 ? 0 : x.data.length / size;
  const xt = mode === d - 1 ? x.data : permuteData(x.data, x.shape, [...others, mode], new Float64Array(x.data.length));
  const y = gemm(xt, opU.data, rest, opU.rows, size, new Float64Array(rest * opU.rows));
  const movedShape = [...others.map((i) => x.shape[i]!), opU.rows];
  const shape = x.shape.map((n, i) => (i === mode ? opU.rows : n));
  if (mode === d - 1) return { shape, data: y };
  const back = x.shape.map((_, i) => (i < mode ? i : i === mode ? d - 1 : i - 1));
  return { shape, data: permuteData(y, movedShape, back, new Float64Array(y.length)) };
}

function transposeMat(m: Mat): Mat {
  return mat(m.cols, m.rows, permuteData(m.data, [m.rows, m.cols], [1, 0], new Float64Array(m.data.length)));
}

export function norm64(x: T64 | Mat): number {
  let s = 0;
  for (let i = 0; i < x.data.length; i++) s += x.data[i]! * x.data[i]!;
  return Math.sqrt(s);
}

/** The relative error ‖e‖/‖x‖ from the two norms. The zero tensor has error 0 when its
 * approximation is exact (zero too) and Infinity otherwise, never NaN. */
export function errorRatio(errNorm: number, refNorm: number): number {
  if (refNorm === 0) return errNorm === 0 ? 0 : Infinity;
  return errNorm / refNorm;
}

/** ‖a − b‖F / ‖a‖F, accumulated in float64 (see errorRatio for a = 0). */
export function relError64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += a[i]! * a[i]!;
  }
  return errorRatio(Math.sqrt(num), Math.sqrt(den));
}
