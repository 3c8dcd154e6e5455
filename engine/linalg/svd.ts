// Thin SVD A = U·diag(s)·Vᵀ in float64 (Golub & Van Loan, Matrix Computations, 4th ed., §8.6):
// Householder bidiagonalisation A = Q·B·Pᵀ, then the bidiagonal SVD B = U_B·Σ·V_Bᵀ by divide and
// conquer (bdsdc.ts; its small blocks by implicit-shift QR with Demmel–Kahan's zero shifts,
// bdsqr.ts), U = Q·U_B and V = P·V_B. A tall matrix
// (m ≥ 5n/3, where it saves work, as LAPACK's dgesvd) is first reduced to its n × n triangle by
// CholeskyQR2 (GEMMs on all threads; Householder where it is rank deficient). Backward stable:
// every singular value within about ε·‖A‖ of the exact one, U and V orthonormal to ~1e-15, for
// any input — rank deficient, zero, repeated values, entries near the ends of float64 (scaled by a
// power of two first).
import { bidiagonalSvdDc } from './bdsdc';
import { bidiagonalize } from './gebrd';
import { RankDeficientError, cholQrHost } from './cholqr';
import { heapArray, heapGemmAdd, permuteData, releaseHeapArray } from '../tensor';
import { mat, mul, normalizeSigns, transpose, type Mat } from './mat';
import { qr } from './qr';

export interface Svd {
  u: Mat;
  /** Singular values, descending. */
  s: Float64Array;
  v: Mat;
}

export interface SvdHooks {
  /** Called now and then with the singular values converged so far (it may throw to cancel). */
  onProgress?: (converged: number, of: number) => void;
}

export function svd(a: Mat, hooks: SvdHooks = {}): Svd {
  // Squares of entries below ~1e-154 underflow and above ~1e154 overflow (norms are sums of
  // squares): scale by a power of two, exact, to bring max |aᵢⱼ| near 1.
  let peak = 0;
  for (let i = 0; i < a.data.length; i++) peak = Math.max(peak, Math.abs(a.data[i]!));
  if (!Number.isFinite(peak)) {
    const at = a.data.findIndex((x) => !Number.isFinite(x));
    const what = Number.isNaN(a.data[at]) ? 'NaN' : 'Infinity';
    throw new Error(
      `the ${a.rows}×${a.cols} matrix given to the SVD holds ${what} (first at row ${Math.floor(at / a.cols)}, column ${at % a.cols}): the input or a step before the SVD overflowed; scale the input towards magnitude 1`,
    );
  }
  if (peak > 0 && (peak < 2 ** -300 || peak > 2 ** 300)) {
    // In two factors, as 2^±e alone over- or underflows for subnormal peaks.
    const e = Math.round(Math.log2(peak));
    const h = Math.trunc(e / 2);
    const out = svdScaled(mat(a.rows, a.cols, a.data.map((x) => x * 2 ** -h * 2 ** (h - e))), hooks);
    return { ...out, s: out.s.map((x) => x * 2 ** h * 2 ** (e - h)) };
  }
  return svdScaled(a, hooks);
}

function svdScaled(a: Mat, hooks: SvdHooks): Svd {
  if (a.rows < a.cols) {
    const t = svdScaled(transpose(a), hooks);
    return { u: t.v, s: t.s, v: t.u };
  }
  let out: Svd;
  if (3 * a.rows >= 5 * a.cols && a.cols > 0) {
    // A = QR, R = U_R·S·Vᵀ ⇒ A = (Q·U_R)·S·Vᵀ.
    const { q, r } = thinQr(a);
    const inner = bidiagonalRoute(r, hooks);
    out = { u: mul(q, inner.u), s: inner.s, v: inner.v };
  } else out = bidiagonalRoute(a, hooks);
  normalizeSigns(out.u, out.v);
  return out;
}

/** Q (m × n) and R (n × n) of a tall matrix: CholeskyQR2, or Householder where A is rank deficient. */
function thinQr(a: Mat): { q: Mat; r: Mat } {
  try {
    return cholQrHost(a);
  } catch (e) {
    if (!(e instanceof RankDeficientError)) throw e;
    return qr(a);
  }
}

/** The SVD of a square or mildly tall matrix through its bidiagonal form. */
function bidiagonalRoute(a0: Mat, hooks: SvdHooks): Svd {
  const { rows: m, cols: n } = a0;
  const a = Float64Array.from(a0.data);
  const { d, e, tauq, taup } = bidiagonalize(a, m, n);
  const b = bidiagonalSvdDc(d, e, hooks.onProgress);
  // U = Q·[U_B; 0] and V = P·V_B, kept transposed (a row per vector) while the reflectors are
  // applied: then every product reads its operands by rows, in place, with no copies.
  const ut = heapArray(n * m) ?? new Float64Array(n * m);
  const vt = heapArray(n * n) ?? new Float64Array(n * n);
  try {
    // (Blocked transposes: U_B's rows are the first n entries of Uᵀ's columns.)
    const ubT = permuteData(b.u.data, [n, n], [1, 0], new Float64Array(n * n));
    for (let j = 0; j < n; j++) ut.set(ubT.subarray(j * n, (j + 1) * n), j * m);
    permuteData(b.v.data, [n, n], [1, 0], vt);
    applyReflectors(ut, n, m, n, (k) => k, (k, i) => a[i * n + k]!, tauq);
    applyReflectors(vt, n, n, n - 1, (k) => k + 1, (k, i) => a[k * n + i]!, taup);
    const u = mat(m, n, permuteData(ut, [n, m], [1, 0], new Float64Array(m * n)));
    return { u, s: b.s, v: mat(n, n, permuteData(vt, [n, n], [1, 0], new Float64Array(n * n))) };
  } finally {
    releaseHeapArray(ut);
    releaseHeapArray(vt);
  }
}

/** Reflectors per block of the back-transformation: enough for GEMM speed, few enough that the
 * block's triangular factor stays small. */
const NB = 32;

/**
 * Xᵀ ← (H₀·H₁ ⋯ H_{count−1}·X)ᵀ for X with `len` rows, given as Xᵀ (`rows` × len, row-major), and
 * reflectors H_k = I − τ_k·v_k·v_kᵀ, v_k zero before coordinate start(k), 1 there and entry(k, i)
 * at i > start(k). Blocks of NB reflectors at once, last block first, each as I − V·T·Vᵀ (the
 * compact WY form, Schreiber & Van Loan 1989; LAPACK's dlarft/dlarfb): Xᵀ −= ((Xᵀ·V)·Tᵀ)·Vᵀ, two
 * GEMMs a block.
 */
function applyReflectors(xt: Float64Array, rows: number, len: number, count: number, start: (k: number) => number, entry: (k: number, i: number) => number, tau: Float64Array): void {
  const scratch = heapArray(2 * NB * len + 2 * rows * NB + NB * NB) ?? new Float64Array(2 * NB * len + 2 * rows * NB + NB * NB);
  try {
    for (let k1 = count; k1 > 0; k1 -= NB) {
      const k0 = Math.max(0, k1 - NB);
      const nb = k1 - k0;
      const top = start(k0);
      const h = len - top;
      if (h <= 0) continue;
      let at = 0;
      const take = (n: number) => scratch.subarray(at, (at += n));
      // Vᵀ (nb × h) and V (h × nb): reflector k0 + c from coordinate `top`.
      const vtb = take(nb * h).fill(0);
      const vb = take(h * nb).fill(0);
      for (let c = 0; c < nb; c++) {
        const s0 = start(k0 + c) - top;
        vtb[c * h + s0] = 1;
        for (let i = s0 + 1; i < h; i++) vtb[c * h + i] = entry(k0 + c, top + i);
        for (let i = s0; i < h; i++) vb[i * nb + c] = vtb[c * h + i]!;
      }
      // −T (nb × nb, T upper): T[i,i] = τ_i, T[0:i, i] = −τ_i·T[0:i, 0:i]·(V[:, 0:i]ᵀ·v_i).
      const g = mul(mat(nb, h, vtb), mat(nb, h, vtb), { transB: true });
      const t = mat(nb, nb);
      for (let i = 0; i < nb; i++) {
        const ti = tau[k0 + i]!;
        t.data[i * nb + i] = ti;
        for (let r = 0; r < i; r++) {
          let sum = 0;
          for (let c = r; c < i; c++) sum += t.data[r * nb + c]! * g.data[c * nb + i]!;
          t.data[r * nb + i] = -ti * sum;
        }
      }
      const negT = take(nb * nb);
      for (let i = 0; i < nb * nb; i++) negT[i] = -t.data[i]!;
      // P = Xᵀ[:, top:]·V;  Q = P·(−T)ᵀ;  Xᵀ[:, top:] += Q·Vᵀ.
      const p = take(rows * nb).fill(0);
      const q = take(rows * nb).fill(0);
      const x = xt.subarray(top);
      gemmAdd(x, vtb, p, rows, nb, h, len, h, nb);
      gemmAdd(p, negT, q, rows, nb, nb, nb, nb, nb);
      gemmAdd(q, vb, x, rows, h, nb, nb, nb, len);
    }
  } finally {
    releaseHeapArray(scratch);
  }
}

/** C += A·Btᵀ with row strides (the SIMD kernel where the operands are in its memory). */
function gemmAdd(a: Float64Array, bt: Float64Array, c: Float64Array, m: number, n: number, k: number, lda: number, ldb: number, ldc: number): void {
  if (heapGemmAdd(a, bt, c, m, n, k, { lda, ldb, ldc })) return;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * lda + p]! * bt[j * ldb + p]!;
      c[i * ldc + j]! += s;
    }
}
