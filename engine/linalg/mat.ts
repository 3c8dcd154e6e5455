// Float64 matrices for the dense linear algebra: row-major, rows × cols. Algorithms work in
// float64 and convert at their boundaries, so float32 inputs keep float32-level accuracy in results
// (singular values to ~1e-7 relative) however ill-conditioned the intermediate steps.
import { Tensor, formatShape, gemmRowsByRows, syrkRows } from '../tensor';

export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  if (data && data.length !== rows * cols) throw new Error(`matrix data has ${data.length} entries, ${rows}×${cols} needs ${rows * cols}`);
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

export function fromTensor(t: Tensor, what = 'input'): Mat {
  if (t.ndim !== 2) throw new Error(`${what} must be a matrix (2-D), got a ${t.ndim}-D tensor ${formatShape(t.shape)}`);
  return mat(t.shape[0]!, t.shape[1]!, Float64Array.from(t.data));
}

export function toTensor(m: Mat): Tensor {
  return new Tensor([m.rows, m.cols], Float32Array.from(m.data));
}

export function identityMat(n: number): Mat {
  const m = mat(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function transpose(m: Mat): Mat {
  const t = mat(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t.data[j * m.rows + i] = m.data[i * m.cols + j]!;
  return t;
}

/** op(A)·op(B) in float64. */
export function mul(a: Mat, b: Mat, opts: { transA?: boolean; transB?: boolean } = {}): Mat {
  const A = opts.transA ? transpose(a) : a;
  const Bt = opts.transB ? b : transpose(b);
  if (A.cols !== Bt.cols) throw new Error(`matrix product: inner sizes differ (${A.rows}×${A.cols} · ${Bt.cols}×${Bt.rows})`);
  return mat(A.rows, Bt.rows, gemmRowsByRows(A.data, Bt.data, A.rows, Bt.rows, A.cols, new Float64Array(A.rows * Bt.rows)));
}

/** A·Aᵀ of a row-major float32 or float64 matrix, summed in float64. */
export function gramRows(data: Float32Array | Float64Array, rows: number, cols: number): Mat {
  return mat(rows, rows, syrkRows(data, rows, cols, new Float64Array(rows * rows)));
}

export function column(m: Mat, j: number): Float64Array {
  const c = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) c[i] = m.data[i * m.cols + j]!;
  return c;
}

/** The first k columns. */
export function leadingColumns(m: Mat, k: number): Mat {
  const out = mat(m.rows, k);
  for (let i = 0; i < m.rows; i++) out.data.set(m.data.subarray(i * m.cols, i * m.cols + k), i * k);
  return out;
}

/** Flips column signs so the entry of largest magnitude in each column of `u` is positive (the
 * convention of test/refs); `partners` (e.g. V) are flipped with it. */
export function normalizeSigns(u: Mat, ...partners: Mat[]): void {
  for (let j = 0; j < u.cols; j++) {
    let best = 0;
    for (let i = 0; i < u.rows; i++) if (Math.abs(u.data[i * u.cols + j]!) > Math.abs(best)) best = u.data[i * u.cols + j]!;
    if (best >= 0) continue;
    for (const m of [u, ...partners]) for (let i = 0; i < m.rows; i++) m.data[i * m.cols + j] = -m.data[i * m.cols + j]!;
  }
}
