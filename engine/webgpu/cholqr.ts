// Orthonormalisation on the GPU by CholeskyQR2 (the passes, with the shifted first pass of shifted
// CholeskyQR3 where κ² exceeds float32, are engine/linalg/cholqr.ts): the Gram products and Q·R⁻¹ in
// float32 GEMMs on the device, the Cholesky factors on the host in float64.
import { CHOLQR_MAX_PASSES, RankDeficientError, cholQrPass, identityMat, invertUpper, mat, mul, noConvergence, type Mat } from '../linalg';
import { Tensor, formatShape } from '../tensor';
import type { GpuOps, GpuTensor } from './ops';

export { RankDeficientError };

export interface CholQrResult {
  /** Q on the device, a new tensor (A is left as it was). */
  q: GpuTensor;
  /** R with A = Q·R, upper triangular, float64. */
  r: Mat;
  /** Whether the shifted first pass was needed. */
  shifted: boolean;
}

/** CholeskyQR2 on the device. In float32 one shifted pass covers κ(A) up to ~3e4. */
export async function cholQR(ops: GpuOps, a: GpuTensor): Promise<CholQrResult> {
  const [m, n] = a.shape as [number, number];
  if (a.shape.length !== 2 || m < n) throw new Error(`CholeskyQR needs a tall matrix (m ≥ n), got ${formatShape(a.shape)}`);
  let q = a;
  let rTotal = identityMat(n);
  let shifted = false;
  for (let pass = 0, plain = 0; plain < 2; pass++) {
    if (pass === CHOLQR_MAX_PASSES) throw noConvergence(m, n);
    const gram = ops.matmul(q, q, { transA: true });
    const g = mat(n, n, Float64Array.from((await ops.read(gram)).data));
    ops.release(gram);
    const step = cholQrPass(g, m, 2 ** -24);
    plain = step.shifted ? 0 : plain + 1;
    shifted ||= step.shifted;
    const rInv = ops.upload(new Tensor([n, n], Float32Array.from(invertUpper(step.r).data)), 'R⁻¹');
    const next = ops.matmul(q, rInv);
    ops.release(rInv);
    if (q !== a) ops.release(q);
    q = next;
    rTotal = mul(step.r, rTotal);
  }
  return { q, r: rTotal, shifted };
}
