// Thin SVD A = U·diag(s)·Vᵀ in float64 by one-sided Jacobi (Hestenes 1958; Demmel & Veselić 1992:
// accurate to machine precision in every singular value relative to ‖A‖), after a Householder QR
// when A is tall, so the rotations work on the n×n triangle only. The rotations start from the
// eigenvectors of AᵀA (a cheap, slightly inaccurate V), which leaves the columns nearly orthogonal,
// so Jacobi converges in two or three sweeps instead of ten (Drmač & Veselić 2008 precondition
// the same way with a QR of AᵀA's eigenbasis).
import { eigh } from './eigh';
import { mat, normalizeSigns, transpose, mul, type Mat } from './mat';
import { qr } from './qr';

export interface Svd {
  u: Mat;
  /** Singular values, descending. */
  s: Float64Array;
  v: Mat;
}

const MAX_SWEEPS = 80;
const EPS = 2 ** -52;

export interface SvdHooks {
  /** Called after each Jacobi sweep (it may throw to cancel a long decomposition). */
  onSweep?: (sweep: number) => void;
}

export function svd(a: Mat, hooks: SvdHooks = {}): Svd {
  // Squares of entries below ~1e-154 underflow and above ~1e154 overflow (the Gram and the column
  // norms are squares): scale by a power of two, exact, to bring max |aᵢⱼ| near 1.
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
  if (a.rows > a.cols && a.cols > 0) {
    // A = QR, R = Ur S Vᵀ ⇒ A = (Q Ur) S Vᵀ.
    const { q, r } = qr(a);
    const inner = jacobi(r, hooks);
    const out = { u: mul(q, inner.u), s: inner.s, v: inner.v };
    normalizeSigns(out.u, out.v);
    return out;
  }
  const out = jacobi(a, hooks);
  normalizeSigns(out.u, out.v);
  return out;
}

/** One-sided Jacobi on a square (or tall) matrix, columns rotated until mutually orthogonal. */
function jacobi(a: Mat, hooks: SvdHooks): Svd {
  const { rows: m, cols: n } = a;
  const v0 = eigh(mul(a, a, { transA: true })).vectors;
  const av0 = mul(a, v0);
  const cols = Array.from({ length: n }, (_, j) => Float64Array.from({ length: m }, (_, i) => av0.data[i * n + j]!));
  const vcols = Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, i) => v0.data[i * n + j]!));
  const norms = cols.map((c) => dot(c, c, m));
  const tol = Math.max(m, 1) * EPS;
  // A column whose norm is below max(m, n)·ε·‖A‖_F is rounding noise (numpy's matrix_rank cut-off):
  // it is set to zero. Left alone, the rotations of such a column against a large one can leave it
  // parallel to that column sweep after sweep (the rounding of a structured matrix like ones(8, 8) is
  // itself structured) until it underflows and the pair never tests orthogonal.
  const negligible = (Math.max(m, n) * EPS) ** 2 * norms.reduce((x, y) => x + y, 0);
  const dropIfNegligible = (j: number) => {
    if (norms[j]! > negligible) return;
    cols[j]!.fill(0);
    norms[j] = 0;
  };
  for (let j = 0; j < n; j++) dropIfNegligible(j);
  for (let sweep = 0; ; sweep++) {
    if (sweep === MAX_SWEEPS) throw new Error(`SVD did not converge in ${MAX_SWEEPS} Jacobi sweeps; the matrix may contain NaN or Inf`);
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const alpha = norms[p]!;
        const beta = norms[q]!;
        if (alpha === 0 || beta === 0) continue;
        const gamma = dot(cols[p]!, cols[q]!, m);
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(cols[p]!, cols[q]!, c, s, m);
        rotate(vcols[p]!, vcols[q]!, c, s, n);
        // Recompute rather than update the norms: updates accumulate rounding over many sweeps.
        norms[p] = dot(cols[p]!, cols[p]!, m);
        norms[q] = dot(cols[q]!, cols[q]!, m);
        dropIfNegligible(p);
        dropIfNegligible(q);
      }
    }
    hooks.onSweep?.(sweep);
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const s = Float64Array.from(order, (j) => Math.sqrt(norms[j]!));
  const u = mat(m, n);
  const v = mat(n, n);
  const basis: Float64Array[] = [];
  order.forEach((j, k) => {
    let uj: Float64Array;
    if (s[k]! > 0) uj = cols[j]!.map((x) => x / s[k]!);
    else uj = completeBasis(basis, m);
    basis.push(uj);
    for (let i = 0; i < m; i++) u.data[i * n + k] = uj[i]!;
    for (let i = 0; i < n; i++) v.data[i * n + k] = vcols[j]![i]!;
  });
  return { u, s, v };
}

function dot(x: Float64Array, y: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
  return s;
}

function rotate(x: Float64Array, y: Float64Array, c: number, s: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const a = x[i]!;
    const b = y[i]!;
    x[i] = c * a - s * b;
    y[i] = s * a + c * b;
  }
}

/** A unit vector orthogonal to `basis` (for the left vectors of zero singular values). */
function completeBasis(basis: Float64Array[], m: number): Float64Array {
  for (let e = 0; e < m; e++) {
    const v = new Float64Array(m);
    v[e] = 1;
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) {
        const d = dot(b, v, m);
        for (let i = 0; i < m; i++) v[i]! -= d * b[i]!;
      }
    const n = Math.sqrt(dot(v, v, m));
    if (n > 1e-8) return v.map((x) => x / n);
  }
  return new Float64Array(m);
}
