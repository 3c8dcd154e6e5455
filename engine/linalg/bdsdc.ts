// The SVD of an upper bidiagonal matrix by divide and conquer (Gu & Eisenstat, "A divide-and-conquer
// algorithm for the bidiagonal SVD", SIAM J. Matrix Anal. Appl. 16(1), 1995; the structure of
// LAPACK's dbdsdc/dlasd0–dlasd4). A node is an N × (N + sqre) upper bidiagonal (sqre ∈ {0, 1}); it
// splits at row NL into an NL × (NL + 1) child above and an NR × (NR + sqre) child below. With the
// children's SVDs the node is, up to their singular vectors, an "arrow" matrix: a first row z and a
// diagonal (0, d₁, …). Its singular values are the roots of the secular equation
// 1 + Σ zᵢ²/(dᵢ² − σ²) = 0, found to full accuracy relative to the nearer pole; its singular
// vectors come from the roots and a recomputed ẑ (Löwner's formula), which keeps them orthogonal
// however close the roots; the node's vectors are the children's times those — two GEMMs. Entries
// of z below ε·‖·‖ and equal dᵢ (to that tolerance) deflate first: their values and vectors are
// the children's as they are. Leaves (N ≤ 16) go to the bidiagonal QR (bdsqr.ts).
import { bidiagonalSvd, rot, rotation } from './bdsqr';
import { mat, mul, type Mat } from './mat';

const EPS = 2 ** -52;
const LEAF = 16;

interface NodeSvd {
  /** Singular values, in the order of the columns below (not sorted). */
  s: Float64Array;
  /** N × N, row-major: column j is the left vector of s[j]. */
  u: Float64Array;
  /** M × M (M = N + sqre): column j < N is the right vector of s[j]; column N the null vector. */
  v: Float64Array;
}

/**
 * The SVD of the n × n upper bidiagonal B (diagonal d, superdiagonal e of length n − 1): U and V
 * (n × n, row-major), singular values descending.
 */
export function bidiagonalSvdDc(d: Float64Array, e: Float64Array, onProgress?: (done: number, of: number) => void): { u: Mat; s: Float64Array; v: Mat } {
  const n = d.length;
  let done = 0;
  let reported = 0;
  const r = solve(d, e, 0, n, 0, (rows) => {
    done += rows;
    if (onProgress && done >= reported + 64) onProgress((reported = done - (done % 64)), n);
  });
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => r.s[y]! - r.s[x]!);
  const u = mat(n, n);
  const v = mat(n, n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < n; c++) {
      u.data[i * n + c] = r.u[i * n + order[c]!]!;
      v.data[i * n + c] = r.v[i * n + order[c]!]!;
    }
  return { u, s: Float64Array.from(order, (j) => r.s[j]!), v };
}

/** The SVD of rows from … from + N − 1 of the big bidiagonal, with `sqre` extra column. */
function solve(d: Float64Array, e: Float64Array, from: number, N: number, sqre: number, onLeaf: (rows: number) => void): NodeSvd {
  if (N <= LEAF) {
    const out = leaf(d.subarray(from, from + N), e.subarray(from, from + N - 1 + sqre), sqre);
    onLeaf(N);
    return out;
  }
  const NL = N >> 1;
  const NR = N - NL - 1;
  const M = N + sqre;
  const top = solve(d, e, from, NL, 1, onLeaf);
  onLeaf(1);
  const bottom = solve(d, e, from + NL + 1, NR, sqre, onLeaf);
  const alpha = d[from + NL]!;
  const beta = e[from + NL]!; // (NL, NL + 1): the first column of the lower block
  return merge(top, bottom, NL, NR, sqre, M, alpha, beta);
}

/** A small node by the bidiagonal QR; a non-square one first rotated square from the right. */
function leaf(d0: Float64Array, e0: Float64Array, sqre: number): NodeSvd {
  const N = d0.length;
  const M = N + sqre;
  const d = Float64Array.from(d0);
  const e = Float64Array.from(e0);
  // V's columns as arrays (length M), from the identity.
  const vCols = Array.from({ length: M }, (_, j) => {
    const c = new Float64Array(M);
    c[j] = 1;
    return c;
  });
  if (sqre) {
    // Zero the last column: rotate column k with column N, k = N − 1 … 0, chasing the fill up.
    let fill = e[N - 1]!;
    for (let k = N - 1; k >= 0; k--) {
      const [c, s, r] = rotation(d[k]!, fill);
      d[k] = r;
      rot(vCols[k]!, vCols[N]!, c, s);
      if (k > 0) {
        fill = -s * e[k - 1]!;
        e[k - 1] = c * e[k - 1]!;
      }
    }
  }
  const uCols = Array.from({ length: N }, (_, j) => {
    const c = new Float64Array(N);
    c[j] = 1;
    return c;
  });
  const vs = vCols.slice(0, N);
  bidiagonalSvd(d, e.subarray(0, Math.max(0, N - 1)), uCols, vs, {});
  const u = new Float64Array(N * N);
  const v = new Float64Array(M * M);
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) u[i * N + j] = uCols[j]![i]!;
    for (let i = 0; i < M; i++) v[i * M + j] = vs[j]![i]!;
  }
  if (sqre) for (let i = 0; i < M; i++) v[i * M + N] = vCols[N]![i]!;
  return { s: d, u, v };
}

/** Merges the children's SVDs into the node's (dlasd1: deflation, the secular equation, vectors). */
function merge(top: NodeSvd, bottom: NodeSvd, NL: number, NR: number, sqre: number, M: number, alpha: number, beta: number): NodeSvd {
  const N = NL + NR + 1;
  const M1 = NL + 1;
  const M2 = NR + sqre;
  // The arrow's entries (slot 0 first, then the children's values) and the columns of the children's
  // vectors that go with them: Uc (N × N) and Vc (M × M), both as column arrays.
  const z = new Float64Array(N);
  const dd = new Float64Array(N);
  const uc: Float64Array[] = [];
  const vc: Float64Array[] = [];
  // Slot 0: the middle row's unit vector, and the null vectors of the children.
  const e0 = new Float64Array(N);
  e0[NL] = 1;
  uc.push(e0);
  const null1 = new Float64Array(M);
  for (let i = 0; i < M1; i++) null1[i] = top.v[i * M1 + NL]!;
  const za = alpha * top.v[NL * M1 + NL]!;
  let extra: Float64Array | null = null;
  if (sqre) {
    const null2 = new Float64Array(M);
    for (let i = 0; i < M2; i++) null2[M1 + i] = bottom.v[i * M2 + NR]!;
    const zb = beta * bottom.v[NR]!; // row 0 of V2, its null column
    const r = Math.hypot(za, zb);
    const [c, s] = r === 0 ? [1, 0] : [za / r, zb / r];
    rot(null1, null2, c, s); // null1 takes z's mass, null2 is the node's null vector
    extra = null2;
    vc.push(null1);
    z[0] = r;
  } else {
    vc.push(null1);
    z[0] = za;
  }
  for (let c = 0; c < NL; c++) {
    dd[1 + c] = top.s[c]!;
    z[1 + c] = alpha * top.v[NL * M1 + c]!;
    const uu = new Float64Array(N);
    for (let i = 0; i < NL; i++) uu[i] = top.u[i * NL + c]!;
    uc.push(uu);
    const vv = new Float64Array(M);
    for (let i = 0; i < M1; i++) vv[i] = top.v[i * M1 + c]!;
    vc.push(vv);
  }
  for (let c = 0; c < NR; c++) {
    dd[NL + 1 + c] = bottom.s[c]!;
    z[NL + 1 + c] = beta * bottom.v[c]!; // row 0 of V2
    const uu = new Float64Array(N);
    for (let i = 0; i < NR; i++) uu[NL + 1 + i] = bottom.u[i * NR + c]!;
    uc.push(uu);
    const vv = new Float64Array(M);
    for (let i = 0; i < M2; i++) vv[M1 + i] = bottom.v[i * M2 + c]!;
    vc.push(vv);
  }
  // Slots 1 … N − 1 in ascending order of d.
  const order = Array.from({ length: N - 1 }, (_, i) => i + 1).sort((x, y) => dd[x]! - dd[y]!);
  const d = Float64Array.from([0, ...order.map((i) => dd[i]!)]);
  const zs = Float64Array.from([z[0]!, ...order.map((i) => z[i]!)]);
  const us = [uc[0]!, ...order.map((i) => uc[i]!)];
  const vsCols = [vc[0]!, ...order.map((i) => vc[i]!)];

  // Deflation (dlasd2). tol: eight ulps of the largest entry.
  let big = 0;
  for (let i = 0; i < N; i++) big = Math.max(big, Math.abs(d[i]!), Math.abs(zs[i]!));
  const tol = 8 * EPS * big;
  const deflated: number[] = [];
  const kept: number[] = [0];
  if (Math.abs(zs[0]!) <= tol) zs[0] = tol;
  for (let i = 1; i < N; i++) {
    if (Math.abs(zs[i]!) <= tol) {
      deflated.push(i);
      continue;
    }
    if (d[i]! <= tol) {
      // A value at zero: its column of the arrow is z-only; fold it into slot 0 (V side only).
      rotateInto(vsCols, zs, 0, i);
      d[i] = 0;
      deflated.push(i);
      continue;
    }
    const prev = kept[kept.length - 1]!;
    if (prev > 0 && d[i]! - d[prev]! <= tol) {
      // Equal values: rotate z[prev] into z[i] on both sides; prev deflates.
      rotateInto(vsCols, zs, i, prev, us);
      kept.pop();
      deflated.push(prev);
    }
    kept.push(i);
  }
  const K = kept.length;
  const dk = Float64Array.from(kept, (i) => d[i]!);
  const zk = Float64Array.from(kept, (i) => zs[i]!);
  const { sigma, uT, vT } = arrowSvd(dk, zk);
  // The node's vectors: the kept columns times the arrow's vectors (GEMMs), then the deflated ones.
  const s = new Float64Array(N);
  const u = new Float64Array(N * N);
  const v = new Float64Array(M * M);
  combine(kept.map((c) => us[c]!), uT, NL + 1, u, N);
  combine(kept.map((c) => vsCols[c]!), vT, M1, v, M);
  s.set(sigma);
  deflated.forEach((col, t) => {
    const c = K + t;
    s[c] = d[col]!;
    const uu = us[col]!;
    const vv = vsCols[col]!;
    for (let i = 0; i < N; i++) u[i * N + c] = uu[i]!;
    for (let i = 0; i < M; i++) v[i * M + c] = vv[i]!;
  });
  if (extra) for (let i = 0; i < M; i++) v[i * M + N] = extra[i]!;
  return { s, u, v };
}

/**
 * out[:, 0:K] = C·W for the K columns C (each of length L) and W (K × K) given by rows, wT[j·K + i]
 * = W[i, j]. The children's columns live in the rows above `split` or below it (a rotation of
 * equal values can mix the two), so each half is one GEMM over only the columns present there:
 * half the work of one product with the whole, mostly zero, C (LAPACK's dlasd3 the same way).
 */
function combine(cols: Float64Array[], wT: Float64Array, split: number, out: Float64Array, ld: number): void {
  const K = cols.length;
  const L = cols[0]?.length ?? 0;
  for (const [r0, r1] of [[0, split], [split, L]] as const) {
    if (r1 <= r0) continue;
    const sel: number[] = [];
    cols.forEach((c, j) => {
      for (let i = r0; i < r1; i++)
        if (c[i] !== 0) {
          sel.push(j);
          return;
        }
    });
    if (!sel.length) continue;
    const S = sel.length;
    const h = r1 - r0;
    const a = mat(h, S);
    sel.forEach((j, t) => {
      const c = cols[j]!;
      for (let i = 0; i < h; i++) a.data[i * S + t] = c[r0 + i]!;
    });
    const bt = mat(K, S);
    for (let j = 0; j < K; j++) for (let t = 0; t < S; t++) bt.data[j * S + t] = wT[j * K + sel[t]!]!;
    const p = mul(a, bt, { transB: true });
    for (let i = 0; i < h; i++) out.set(p.data.subarray(i * K, (i + 1) * K), (r0 + i) * ld);
  }
}

/** Rotates columns (keep, drop) so z[drop] moves into z[keep] (z[drop] = 0), on V's columns and,
 * when given, U's. */
function rotateInto(vcols: Float64Array[], z: Float64Array, keep: number, drop: number, ucols?: Float64Array[]): void {
  const r = Math.hypot(z[keep]!, z[drop]!);
  const c = z[keep]! / r;
  const s = z[drop]! / r;
  z[keep] = r;
  z[drop] = 0;
  rot(vcols[keep]!, vcols[drop]!, c, s);
  if (ucols) rot(ucols[keep]!, ucols[drop]!, c, s);
}

/**
 * The SVD of the K × K arrow matrix A = e₀·zᵀ + diag(d), 0 = d₀ < d₁ < … (gaps above the deflation
 * tolerance), all |zᵢ| above it: σⱼ ∈ (dⱼ, dⱼ₊₁), the last in (d_{K−1}, √(d_{K−1}² + ‖z‖²)).
 * Returns σ and the vectors as rows: uT[j·K + i] = U[i, j], vT likewise.
 */
function arrowSvd(d: Float64Array, z: Float64Array): { sigma: Float64Array; uT: Float64Array; vT: Float64Array } {
  const K = d.length;
  // Slot 0 alone (everything else deflated; z₀ is 0 only where the whole node is): [z₀] =
  // (−1)·|z₀|·(−sign z₀), the signs of the general formulas below.
  if (K === 1) return { sigma: Float64Array.of(Math.abs(z[0]!)), uT: Float64Array.of(-1), vT: Float64Array.of(z[0]! < 0 ? 1 : -1) };
  const sigma = new Float64Array(K);
  // For each root: its origin (the nearer pole) and τ = σ − d_origin, so dᵢ − σ = (dᵢ − d_o) − τ.
  const origin = new Int32Array(K);
  const tau = new Float64Array(K);
  const z2 = Float64Array.from(z, (x) => x * x);
  let zz = 0;
  for (let i = 0; i < K; i++) zz += z2[i]!;
  const delta = new Float64Array(K); // dᵢ² − d_o² for the current origin
  for (let j = 0; j < K; j++) {
    // The bracket in μ = σ² − d_o².
    let o = j;
    const setOrigin = (k: number) => {
      o = k;
      for (let i = 0; i < K; i++) delta[i] = (d[i]! - d[k]!) * (d[i]! + d[k]!);
    };
    setOrigin(j);
    let lo: number;
    let hi: number;
    if (j < K - 1) {
      const mid = delta[j + 1]! / 2;
      if (secular(delta, z2, mid, K) >= 0) {
        lo = 0;
        hi = mid;
      } else {
        setOrigin(j + 1);
        lo = -mid;
        hi = 0;
      }
    } else {
      lo = 0;
      hi = zz;
    }
    const mu = findRoot(delta, z2, K, j, lo, hi);
    const so = d[o]!;
    const s = Math.sqrt(so * so + mu);
    sigma[j] = s;
    origin[j] = o;
    tau[j] = mu / (so + s);
  }
  // ẑ by Löwner's formula, the signs of z: ẑᵢ² = Πⱼ(σⱼ² − dᵢ²) / Π_{k≠i}(d_k² − dᵢ²), paired.
  // Each root's origin d_o and τ, gathered: σⱼ² − dᵢ² = −((dᵢ − d_o) − τ)·((dᵢ + d_o) + τ).
  const dOrigin = Float64Array.from(origin, (o) => d[o]!);
  const zh = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const di = d[i]!;
    const last = K - 1;
    let p = -((di - dOrigin[last]! - tau[last]!) * (di + dOrigin[last]! + tau[last]!));
    for (let k = 0; k < K; k++) {
      if (k === i) continue;
      const j = k < i ? k : k - 1;
      const dk = d[k]!;
      p *= -((di - dOrigin[j]! - tau[j]!) * (di + dOrigin[j]! + tau[j]!)) / ((dk - di) * (dk + di));
    }
    zh[i] = Math.sign(z[i]!) * Math.sqrt(Math.max(p, 0));
  }
  const uT = new Float64Array(K * K);
  const vT = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    const dj = dOrigin[j]!;
    const tj = tau[j]!;
    let nu = 1;
    let nv = 0;
    const row = j * K;
    for (let i = 0; i < K; i++) {
      const di = d[i]!;
      const w = zh[i]! / ((di - dj - tj) * (di + dj + tj));
      vT[row + i] = w;
      nv += w * w;
      const x = di * w;
      uT[row + i] = x;
      nu += x * x;
    }
    // Slot 0 (d₀ = 0) holds −1 in U's vector; its x above was 0.
    uT[row] = -1;
    const fu = 1 / Math.sqrt(nu);
    const fv = 1 / Math.sqrt(nv);
    for (let i = 0; i < K; i++) {
      uT[row + i]! *= fu;
      vT[row + i]! *= fv;
    }
  }
  return { sigma, uT, vT };
}

/** The secular function g(μ) = 1 + Σ zᵢ²/(δᵢ − μ). */
function secular(delta: Float64Array, z2: Float64Array, mu: number, K: number): number {
  let g = 1;
  for (let i = 0; i < K; i++) g += z2[i]! / (delta[i]! - mu);
  return g;
}

/**
 * The root μ of g in (lo, hi) (g increasing there, one root), by the "middle way" of Li (1993):
 * g's sums left and right of the bracket's poles each modelled by a constant plus one pole term
 * that matches value and derivative, the model's root taken, bisection where it leaves the bracket.
 */
function findRoot(delta: Float64Array, z2: Float64Array, K: number, j: number, lo: number, hi: number): number {
  // The poles bounding the root: j (left) and j + 1 (right), none on the right for the last root.
  const left = delta[j]!;
  const right = j + 1 < K ? delta[j + 1]! : Infinity;
  let mu = (lo + hi) / 2;
  for (let it = 0; it < 200; it++) {
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    let err = 1;
    for (let i = 0; i < K; i++) {
      const r = 1 / (delta[i]! - mu);
      const t = z2[i]! * r;
      err += Math.abs(t);
      if (i <= j) {
        psi += t;
        dpsi += t * r;
      } else {
        phi += t;
        dphi += t * r;
      }
    }
    const g = 1 + psi + phi;
    if (Math.abs(g) <= 4 * EPS * err) return mu;
    if (g < 0) lo = mu;
    else hi = mu;
    if (hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) return (lo + hi) / 2;
    // Model: c + s/(left − x) + S/(right − x), matching ψ, ψ′, φ, φ′ at μ.
    const ul = left - mu;
    const s = dpsi * ul * ul;
    let next: number;
    if (right === Infinity) {
      const c = 1 + psi - dpsi * ul + phi;
      // c + s/(left − x) = 0 ⇒ x = left + s/c.
      next = c > 0 ? left + s / c : NaN;
    } else {
      const ur = right - mu;
      const S = dphi * ur * ur;
      const c = 1 + (psi - dpsi * ul) + (phi - dphi * ur);
      const D = right - left;
      // With u = left − x: c·u² + (c·D + s + S)·u + s·D = 0, the root with u ∈ (−D, 0).
      const b = c * D + s + S;
      const disc = b * b - 4 * c * s * D;
      next = NaN;
      if (disc >= 0) {
        const q = -(b + Math.sign(b || 1) * Math.sqrt(disc)) / 2;
        for (const u of [c !== 0 ? q / c : NaN, q !== 0 ? (s * D) / q : NaN]) if (u < 0 && u > -D) next = left - u;
      }
    }
    mu = next > lo && next < hi ? next : (lo + hi) / 2;
  }
  return mu;
}
