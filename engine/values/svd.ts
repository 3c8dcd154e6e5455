// A truncated SVD A ≈ U·diag(S)·Vᵀ.
import { Tensor, matmul } from '../tensor';
import { countOf, type ValueKind } from './kind';
import { tensorPreview } from './preview';

/** Truncated SVD A ≈ U·diag(S)·Vᵀ: U is m×r, S has r entries (descending), V is n×r. */
export interface SvdValue {
  kind: 'svd';
  u: Tensor;
  s: Tensor;
  v: Tensor;
  /** Every singular value computed, descending (more than S when truncated; the randomized SVD
   * computes rank + oversample), so a spectrum plot can show what the cut left out. */
  spectrum?: Tensor;
}

export const svdKind = {
  kind: 'svd',
  doc: 'a truncated SVD U·diag(S)·Vᵀ of a matrix (U m×r, S r descending, V n×r), with the whole spectrum computed',
  color: '#ef4444',
  example: (): SvdValue => ({ kind: 'svd', u: Tensor.from([3, 1], [0.6, 0.8, 0]), s: Tensor.from([1], [5]), v: Tensor.from([2, 1], [1, 0]) }),
  summary: (v) => ({ shape: [v.u.shape[0]!, v.v.shape[0]!], ranks: [v.s.size], parameters: countOf([v.u, v.s, v.v]) }),
  tensors: (v) => [v.u, v.s, v.v, ...(v.spectrum ? [v.spectrum] : [])],
  preview: (v, port) => tensorPreview(v.spectrum ?? v.s, `${port} singular values`),
  sizes: (v) => ({ params: countOf([v.u, v.s, v.v]), dense: v.u.shape[0]! * v.v.shape[0]! }),
  subspace: (v, mode) => (mode === 0 ? v.u : mode === 1 ? v.v : `an SVD has the column space (mode 0, U) and the row space (mode 1, V), not mode ${mode}`),
  reconstruct: ({ u, s, v }) => {
    const k = s.size;
    const us = new Tensor(u.shape, u.data.map((x, i) => x * s.data[i % k]!));
    return matmul(us, v, { transB: true });
  },
} satisfies ValueKind<'svd', SvdValue>;
