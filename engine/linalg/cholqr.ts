// Orthonormalisation by CholeskyQR2 (Fukaya, Nakatsukasa, Yanagisawa & Yamamoto 2014): G = QᵀQ,
// G = RᵀR (Cholesky, float64 on the host), Q ← Q·R⁻¹, twice: two Gram products and two
// multiplications, all GEMM, instead of Householder's column-by-column reflections. Where κ(A)²
// exceeds 1/u a Cholesky fails; that pass is then shifted — G + s·I with s = 11(mn + n(n+1))·u·‖Q‖F²
// (shifted CholeskyQR3, Fukaya et al., SIAM J. Sci. Comput. 42(1), 2020) — and passes continue
// until two plain ones in a row succeed. The passes are the CPU's here (float64, u = 2⁻⁵³) and the
// GPU's in engine/webgpu/cholqr.ts (float32, u = 2⁻²⁴).
import { cholesky, invertUpper } from './cholesky';
import { identityMat, mul, type Mat } from './mat';

/** The matrix is rank deficient (or holds a zero column) to the working precision: CholeskyQR
 * cannot orthonormalise it; a Householder QR can. */
export class RankDeficientError extends Error {}

export const CHOLQR_MAX_PASSES = 8;

/** One pass's factor: R with G = RᵀR, or of G + s·I when G is not numerically definite (then
 * `shifted`); G is modified by the shift. Throws RankDeficientError where neither factors. */
export function cholQrPass(g: Mat, m: number, unit: number): { r: Mat; shifted: boolean } {
  const n = g.rows;
  const r = cholesky(g);
  if (r) return { r, shifted: false };
  let trace = 0;
  for (let i = 0; i < n; i++) trace += g.data[i * n + i]!;
  const shift = 11 * (m * n + n * (n + 1)) * unit * trace;
  for (let i = 0; i < n; i++) g.data[i * n + i]! += shift;
  const rs = cholesky(g);
  if (!rs) throw new RankDeficientError(`CholeskyQR: even the shifted Gram matrix is not positive definite; the ${m}×${n} matrix holds a zero or non-finite column`);
  return { r: rs, shifted: true };
}

export const noConvergence = (m: number, n: number) =>
  new RankDeficientError(`CholeskyQR: no convergence in ${CHOLQR_MAX_PASSES} passes; the ${m}×${n} matrix is rank deficient to working precision`);

/** Q (a new matrix) and R with A = Q·R for a tall host matrix (m ≥ n), in float64: the Gram products
 * and Q·R⁻¹ in the SIMD kernel, on all threads. */
export function cholQrHost(a: Mat): { q: Mat; r: Mat; shifted: boolean } {
  const { rows: m, cols: n } = a;
  if (m < n) throw new Error(`CholeskyQR needs a tall matrix (m ≥ n), got ${m}×${n}`);
  let q = a;
  let rTotal = identityMat(n);
  let shifted = false;
  for (let pass = 0, plain = 0; plain < 2; pass++) {
    if (pass === CHOLQR_MAX_PASSES) throw noConvergence(m, n);
    const step = cholQrPass(mul(q, q, { transA: true }), m, 2 ** -53);
    plain = step.shifted ? 0 : plain + 1;
    shifted ||= step.shifted;
    q = mul(q, invertUpper(step.r));
    rTotal = mul(step.r, rTotal);
  }
  return { q, r: rTotal, shifted };
}
