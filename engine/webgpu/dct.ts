// The orthonormal DCT-II (and its inverse, the DCT-III) along the last axis on the GPU, as one
// product with the N×N cosine matrix (computed in float64 on the host, then rounded): Y = X·Cᵀ,
// X = Y·C. The matrix route is the right one for short axes; long ones will use an FFT (Makhoul).
import { Tensor, formatShape } from '../tensor';
import { dctMatrix } from '../transforms';
import type { GemmKernel } from './gemm';

export async function dctLastAxisGpu(gemm: GemmKernel, x: Tensor, inverse = false): Promise<Tensor> {
  const n = x.shape[x.ndim - 1];
  if (n === undefined || n === 0) throw new Error(`the DCT needs a non-empty last axis, got ${formatShape(x.shape)}`);
  const c = new Tensor([n, n], Float32Array.from(dctMatrix(n)));
  const lines = new Tensor([x.size / n, n], x.data);
  const y = await gemm.matmul(lines, c, { transB: !inverse });
  return new Tensor(x.shape, y.data);
}
