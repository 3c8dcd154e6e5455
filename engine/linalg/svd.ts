// Thin SVD A = U·diag(s)·Vᵀ in float64 (Golub & Van Loan, Matrix Computations, 4th ed., §8.6):
// Householder bidiagonalisation A = Q·B·Pᵀ, then the bidiagonal SVD B = U_B·Σ·V_Bᵀ by implicit-shift
// QR with Demmel–Kahan's zero shifts (bdsqr.ts), U = Q·U_B and V = P·V_B. A tall matrix
// (m ≥ 5n/3, where it saves work, as LAPACK's dgesvd) is first reduced to its n × n triangle by
// CholeskyQR2 (GEMMs on all threads; Householder where it is rank deficient). Backward stable:
// every singular value within about ε·‖A‖ of the exact one, U and V orthonormal to ~1e-15, for
// any input — rank deficient, zero, repeated values, entries near the ends of float64 (scaled by a
// power of two first).
import { bidiagonalSvd } from './bdsqr';
import { RankDeficientError, cholQrHost } from './cholqr';
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

/**
 * Householder bidiagonalisation of A (m × n, m ≥ n) in place (Golub & Kahan 1965; LAPACK's dgebd2):
 * reflector k zeroes column k below the diagonal (H_k = I − τ·v·vᵀ, v stored below the diagonal),
 * reflector k′ row k right of the superdiagonal (stored right of it). Returns B's diagonal d and
 * superdiagonal e and the reflectors' τ.
 */
function bidiagonalize(a: Float64Array, m: number, n: number): { d: Float64Array; e: Float64Array; tauq: Float64Array; taup: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  const tauq = new Float64Array(n);
  const taup = new Float64Array(n);
  const w = new Float64Array(Math.max(m, n));
  for (let k = 0; k < n; k++) {
    // Left: column k, rows k … m−1.
    const { beta, tau } = householder(a, k * n + k, n, m - k);
    d[k] = beta;
    tauq[k] = tau;
    if (tau !== 0 && k + 1 < n) {
      // A[k:, k+1:] −= τ·v·(vᵀ·A[k:, k+1:]), v = (1, a[k+1:, k]).
      w.fill(0, k + 1, n);
      for (let i = k; i < m; i++) {
        const vi = i === k ? 1 : a[i * n + k]!;
        if (vi === 0) continue;
        const row = i * n;
        for (let j = k + 1; j < n; j++) w[j]! += vi * a[row + j]!;
      }
      for (let i = k; i < m; i++) {
        const f = tau * (i === k ? 1 : a[i * n + k]!);
        if (f === 0) continue;
        const row = i * n;
        for (let j = k + 1; j < n; j++) a[row + j]! -= f * w[j]!;
      }
    }
    if (k + 1 >= n) continue;
    // Right: row k, columns k+1 … n−1.
    const r = householder(a, k * n + k + 1, 1, n - k - 1);
    e[k] = r.beta;
    taup[k] = r.tau;
    if (r.tau === 0) continue;
    // A[k+1:, k+1:] −= τ·(A[k+1:, k+1:]·u)·uᵀ, u = (1, a[k, k+2:]).
    const u0 = k * n;
    for (let i = k + 1; i < m; i++) {
      const row = i * n;
      let s = a[row + k + 1]!;
      for (let j = k + 2; j < n; j++) s += a[row + j]! * a[u0 + j]!;
      const f = r.tau * s;
      if (f === 0) continue;
      a[row + k + 1]! -= f;
      for (let j = k + 2; j < n; j++) a[row + j]! -= f * a[u0 + j]!;
    }
  }
  return { d, e, tauq, taup };
}

/**
 * The reflector H = I − τ·v·vᵀ (v₀ = 1) with H·x = (β, 0, …, 0) for the `len` entries of x at
 * `at`, `at + stride`, …; v's tail is written over x's (LAPACK's dlarfg). τ = 0 (H = I) when x's
 * tail is zero.
 */
function householder(a: Float64Array, at: number, stride: number, len: number): { beta: number; tau: number } {
  const alpha = a[at]!;
  let scale = 0;
  for (let i = 1; i < len; i++) scale = Math.max(scale, Math.abs(a[at + i * stride]!));
  if (scale === 0) return { beta: alpha, tau: 0 };
  // The norm of the tail, scaled so its squares neither underflow nor overflow.
  scale = Math.max(scale, Math.abs(alpha));
  let ss = 0;
  for (let i = 1; i < len; i++) ss += (a[at + i * stride]! / scale) ** 2;
  const norm = scale * Math.sqrt((alpha / scale) ** 2 + ss);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) a[at + i * stride]! *= f;
  return { beta, tau };
}

/** The SVD of a square or mildly tall matrix through its bidiagonal form. */
function bidiagonalRoute(a0: Mat, hooks: SvdHooks): Svd {
  const { rows: m, cols: n } = a0;
  const a = Float64Array.from(a0.data);
  const { d, e, tauq, taup } = bidiagonalize(a, m, n);
  // B's singular vectors, as columns, from the identity.
  const uCols = Array.from({ length: n }, (_, j) => {
    const c = new Float64Array(n);
    c[j] = 1;
    return c;
  });
  const vCols = uCols.map((c) => Float64Array.from(c));
  bidiagonalSvd(d, e, uCols, vCols, hooks);
  // U = Q·[U_B; 0] and V = P·V_B: the reflectors applied last to first, in blocks (GEMMs).
  const u = mat(m, n);
  for (let j = 0; j < n; j++) {
    const c = uCols[j]!;
    for (let i = 0; i < n; i++) u.data[i * n + j] = c[i]!;
  }
  applyReflectors(u, n, (k) => k, (k, i) => a[i * n + k]!, tauq);
  const v = mat(n, n);
  for (let j = 0; j < n; j++) {
    const c = vCols[j]!;
    for (let i = 0; i < n; i++) v.data[i * n + j] = c[i]!;
  }
  applyReflectors(v, n - 1, (k) => k + 1, (k, i) => a[k * n + i]!, taup);
  return { u, s: d, v };
}

/** Reflectors per block of the back-transformation: enough for GEMM speed, few enough that the
 * block's triangular factor stays small. */
const NB = 32;

/**
 * X ← H₀·H₁ ⋯ H_{count−1}·X for reflectors H_k = I − τ_k·v_k·v_kᵀ, v_k zero before row start(k),
 * 1 there and entry(k, i) at rows i > start(k). Blocks of NB reflectors at once, last block first,
 * each as I − V·T·Vᵀ (the compact WY form, Schreiber & Van Loan 1989; LAPACK's dlarft/dlarfb):
 * two GEMMs a block instead of a pass over X per reflector.
 */
function applyReflectors(x: Mat, count: number, start: (k: number) => number, entry: (k: number, i: number) => number, tau: Float64Array): void {
  const { rows, cols } = x;
  for (let k1 = count; k1 > 0; k1 -= NB) {
    const k0 = Math.max(0, k1 - NB);
    const nb = k1 - k0;
    const top = start(k0);
    const h = rows - top;
    if (h <= 0) continue;
    // V (h × nb): column c is reflector k0 + c from row `top`.
    const vb = mat(h, nb);
    for (let c = 0; c < nb; c++) {
      const s0 = start(k0 + c);
      vb.data[(s0 - top) * nb + c] = 1;
      for (let i = s0 + 1; i < rows; i++) vb.data[(i - top) * nb + c] = entry(k0 + c, i);
    }
    // T (nb × nb, upper): T[i,i] = τ_i, T[0:i, i] = −τ_i·T[0:i, 0:i]·(V[:, 0:i]ᵀ·v_i).
    const g = mul(vb, vb, { transA: true });
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
    // X[top:] −= V·(T·(Vᵀ·X[top:])).
    const xb = mat(h, cols, x.data.subarray(top * cols));
    const tw = mul(t, mul(vb, xb, { transA: true }));
    const upd = mul(vb, tw);
    for (let i = 0; i < upd.data.length; i++) xb.data[i]! -= upd.data[i]!;
  }
}
