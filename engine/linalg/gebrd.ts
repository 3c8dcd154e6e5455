// Householder bidiagonalisation A = Q·B·Pᵀ of an m × n matrix (m ≥ n) in place, blocked (LAPACK's
// dgebrd with dlabrd; Dongarra, Sorensen & Hammarling 1989): NB columns and rows are reduced at a
// time while the rest of the matrix waits; their reflectors' effect on it is kept in two thin
// matrices X and Y and applied at the end of the panel as one GEMM, A −= V·Yᵀ + X·Uᵀ (half the work).
// The other half is two matrix–vector products per column with the waiting matrix — memory-bound,
// in the SIMD kernels on all threads, with A in the kernel's memory. Reflector k (left) is stored
// below the diagonal of column k, reflector k′ (right) right of the superdiagonal of row k, each with
// an implicit leading 1, as in LAPACK.
import { heapArray, heapGemmAdd, heapGemvN, heapGemvT, releaseHeapArray } from '../tensor';

/** Columns per panel. */
const NB = 32;
/** Below this many columns left, the rest is reduced one column at a time. */
const CROSSOVER = 96;

export interface Bidiagonal {
  d: Float64Array;
  e: Float64Array;
  tauq: Float64Array;
  taup: Float64Array;
}

/** Reduces `a` (m × n row-major, m ≥ n) in place; d, e are B's diagonal and superdiagonal. */
export function bidiagonalize(a: Float64Array, m: number, n: number): Bidiagonal {
  const out: Bidiagonal = { d: new Float64Array(n), e: new Float64Array(Math.max(0, n - 1)), tauq: new Float64Array(n), taup: new Float64Array(n) };
  let k0 = 0;
  if (n > CROSSOVER) {
    const work = heapArray(m * n + (m + n) * NB + 4 * (m + n) + 2 * (NB + 1) + (m + n) * 2 * NB);
    if (work) {
      try {
        k0 = blocked(a, m, n, out, work);
      } finally {
        releaseHeapArray(work);
      }
    }
  }
  unblocked(a, m, n, k0, out);
  return out;
}

/** The panels while more than CROSSOVER columns are left, on a copy of A in the kernel's memory;
 * returns the first column left for the unblocked steps (A is copied back). */
function blocked(a: Float64Array, m: number, n: number, out: Bidiagonal, work: Float64Array): number {
  const h = work.subarray(0, m * n);
  h.set(a);
  let at = m * n;
  const take = (len: number) => work.subarray(at, (at += len));
  const pw: PanelWork = { X: take(m * NB), Y: take(n * NB), tv: take(m + n), tout: take(m + n), s1: take(m + n), s2: take(m + n), t: take(NB + 1), t2: take(NB + 1) };
  const { X, Y } = pw;
  const left = take(m * 2 * NB); // [−V | −X] for the trailing update
  const right = take(n * 2 * NB); // [Y | Uᵀ]
  let i0 = 0;
  for (; n - i0 > CROSSOVER; i0 += NB) {
    panel(h, m, n, i0, out, pw);
    // A[i0+NB:, i0+NB:] −= V·Yᵀ + X·Uᵀ, one GEMM with inner size 2·NB.
    const mr = m - i0 - NB;
    const nr = n - i0 - NB;
    for (let r = 0; r < mr; r++) {
      const row = (i0 + NB + r) * n + i0;
      const xr = (i0 + NB + r) * NB;
      for (let c = 0; c < NB; c++) {
        left[r * 2 * NB + c] = -h[row + c]!;
        left[r * 2 * NB + NB + c] = -X[xr + c]!;
      }
    }
    for (let j = 0; j < nr; j++) {
      const yr = (i0 + NB + j) * NB;
      for (let c = 0; c < NB; c++) {
        right[j * 2 * NB + c] = Y[yr + c]!;
        right[j * 2 * NB + NB + c] = h[(i0 + c) * n + i0 + NB + j]!;
      }
    }
    heapGemmAdd(left.subarray(0, mr * 2 * NB), right.subarray(0, nr * 2 * NB), h.subarray((i0 + NB) * n + i0 + NB), mr, nr, 2 * NB, { lda: 2 * NB, ldb: 2 * NB, ldc: n });
  }
  a.set(h);
  return i0;
}

/** x = A·u for A (rows × cols, row stride ld): the SIMD kernel where the arrays are in its memory. */
function gemvN(a: Float64Array, u: Float64Array, x: Float64Array, rows: number, cols: number, ld: number): void {
  if (heapGemvN(a, u, x, rows, cols, ld)) return;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += a[r * ld + j]! * u[j]!;
    x[r] = s;
  }
}

/** y += Aᵀ·v for A (rows × cols, row stride ld). */
function gemvT(a: Float64Array, v: Float64Array, y: Float64Array, rows: number, cols: number, ld: number): void {
  if (heapGemvT(a, v, y, rows, cols, ld)) return;
  for (let r = 0; r < rows; r++) {
    const f = v[r]!;
    for (let j = 0; j < cols; j++) y[j]! += a[r * ld + j]! * f;
  }
}

/** The panel's vectors, in the kernel's memory with the matrix. */
interface PanelWork {
  X: Float64Array;
  Y: Float64Array;
  /** A column of A, packed; products' outputs; short vectors of the panel's width. */
  tv: Float64Array;
  tout: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
  t: Float64Array;
  t2: Float64Array;
}

/**
 * One panel (dlabrd, the m ≥ n branch): columns and rows i0 … i0 + NB − 1. X (rows i0 … m − 1) and
 * Y (rows i0 … n − 1) hold the panel's effect on the waiting matrix: A_waiting − V·Yᵀ − X·Uᵀ.
 * Indices below are global; row r of X or Y is X[r·NB + c] for panel column c. Every product is a
 * matrix–vector product in the SIMD kernels: the two with the waiting matrix on all threads.
 */
function panel(a: Float64Array, m: number, n: number, i0: number, out: Bidiagonal, w: PanelWork): void {
  const { X, Y, tv, tout, s1, s2, t, t2 } = w;
  for (let c = 0; c < NB; c++) {
    const i = i0 + c;
    const rowsI = m - i;
    // A[i:, i] −= V[i:, :c]·Y[i, :c]ᵀ + X[i:, :c]·U[:c, i].
    if (c > 0) {
      gemvN(a.subarray(i * n + i0), Y.subarray(i * NB), s1, rowsI, c, n);
      for (let q = 0; q < c; q++) t[q] = a[(i0 + q) * n + i]!;
      gemvN(X.subarray(i * NB), t, s2, rowsI, c, NB);
      for (let r = 0; r < rowsI; r++) a[(i + r) * n + i]! -= s1[r]! + s2[r]!;
    }
    // The left reflector of column i.
    const lq = householder(a, i * n + i, n, rowsI);
    out.d[i] = lq.beta;
    out.tauq[i] = lq.tau;
    a[i * n + i] = 1;
    // Y[i+1:, c] = τ·(A[i:, i+1:]ᵀ·v − Y[i+1:, :c]·(V[i:, :c]ᵀ·v) − U[:c, i+1:]ᵀ·(X[i:, :c]ᵀ·v)).
    for (let r = 0; r < rowsI; r++) tv[r] = a[(i + r) * n + i]!;
    const cols = n - i - 1;
    tout.fill(0, 0, cols);
    gemvT(a.subarray(i * n + i + 1), tv, tout, rowsI, cols, n);
    if (c > 0) {
      t.fill(0, 0, c);
      gemvT(a.subarray(i * n + i0), tv, t, rowsI, c, n);
      gemvN(Y.subarray((i + 1) * NB), t, s1, cols, c, NB);
      t2.fill(0, 0, c);
      gemvT(X.subarray(i * NB), tv, t2, rowsI, c, NB);
      for (let q = 0; q < c; q++) t2[q] = -t2[q]!;
      gemvT(a.subarray(i0 * n + i + 1), t2, tout, c, cols, n);
      for (let j = 0; j < cols; j++) tout[j]! -= s1[j]!;
    }
    for (let j = 0; j < cols; j++) Y[(i + 1 + j) * NB + c] = lq.tau * tout[j]!;
    if (i + 1 >= n) continue;
    // A[i, i+1:] −= Y[i+1:, :c+1]·A[i, i0:i+1]ᵀ + U[:c, i+1:]ᵀ·X[i, :c]ᵀ.
    const row = a.subarray(i * n + i + 1, i * n + n);
    gemvN(Y.subarray((i + 1) * NB), a.subarray(i * n + i0), s1, cols, c + 1, NB);
    if (c > 0) {
      for (let q = 0; q < c; q++) t2[q] = -X[i * NB + q]!;
      gemvT(a.subarray(i0 * n + i + 1), t2, row, c, cols, n);
    }
    for (let j = 0; j < cols; j++) row[j]! -= s1[j]!;
    // The right reflector of row i.
    const rp = householder(a, i * n + i + 1, 1, cols);
    out.e[i] = rp.beta;
    out.taup[i] = rp.tau;
    a[i * n + i + 1] = 1;
    // X[i+1:, c] = τ·(A[i+1:, i+1:]·u − V[i+1:, :c+1]·(Y[i+1:, :c+1]ᵀ·u) − X[i+1:, :c]·(U[:c, i+1:]·u)).
    const rows = m - i - 1;
    gemvN(a.subarray((i + 1) * n + i + 1), row, tout, rows, cols, n);
    t.fill(0, 0, c + 1);
    gemvT(Y.subarray((i + 1) * NB), row, t, cols, c + 1, NB);
    gemvN(a.subarray((i + 1) * n + i0), t, s1, rows, c + 1, n);
    if (c > 0) {
      gemvN(a.subarray(i0 * n + i + 1), row, t2, c, cols, n);
      gemvN(X.subarray((i + 1) * NB), t2, s2, rows, c, NB);
    } else s2.fill(0, 0, rows);
    for (let r = 0; r < rows; r++) X[(i + 1 + r) * NB + c] = rp.tau * (tout[r]! - s1[r]! - s2[r]!);
  }
}

/** Columns k0 … n − 1 one at a time (LAPACK's dgebd2), the updates applied at once. */
function unblocked(a: Float64Array, m: number, n: number, k0: number, out: Bidiagonal): void {
  const { d, e, tauq, taup } = out;
  const w = new Float64Array(Math.max(m, n));
  for (let k = k0; k < n; k++) {
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
