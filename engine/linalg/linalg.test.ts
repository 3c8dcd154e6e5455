import { describe, expect, it } from 'vitest';
import { refBytes, refExpected as refJson, refNpy } from '../../test/refs/refs';
import { readNpy } from '../io/npy';
import { RandomSource } from '../random';
import {
  chooseRank, eigh, fromTensor, hadamard, identityMat, khatriRao, kronecker, lstsq, mat, mul, pinv, qr, svd, transpose, type Mat,
} from '.';

const refMat = (c: string, f = 'input.npy') => fromTensor(refNpy(c, f));

function gaussian(rows: number, cols: number, seed = 1): Mat {
  const m = mat(rows, cols);
  new RandomSource(seed).fillNormal(m.data);
  return m;
}
const maxAbsDiff = (a: Mat, b: Mat) => a.data.reduce((w, x, i) => Math.max(w, Math.abs(x - b.data[i]!)), 0);
const orthoError = (q: Mat) => maxAbsDiff(mul(q, q, { transA: true }), identityMat(q.cols));
/** U·diag(s)·Vᵀ */
const compose = (u: Mat, s: ArrayLike<number>, v: Mat) => mul(mat(u.rows, u.cols, u.data.map((x, i) => x * s[i % u.cols]!)), v, { transB: true });

/** Reads a member of an uncompressed .npz (stored, method 0): find "<key>.npy" and its local header. */
function npzMember(c: string, file: string, key: string): Mat {
  const bytes = refBytes(c, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let p = 0; p + 30 < bytes.length; ) {
    if (view.getUint32(p, true) !== 0x04034b50) break;
    const nameLen = view.getUint16(p + 26, true);
    const extraLen = view.getUint16(p + 28, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 30, p + 30 + nameLen));
    const start = p + 30 + nameLen + extraLen;
    let size = view.getUint32(p + 18, true);
    if (size === 0xffffffff) size = Number(view.getBigUint64(p + 30 + nameLen + 4 + 8, true)); // ZIP64 extra: usize, csize
    if (name === `${key}.npy`) return fromTensor(readNpy(bytes.subarray(start, start + size), `${file}/${name}`));
    p = start + size;
  }
  throw new Error(`${key} not in ${file}`);
}

describe('QR', () => {
  it.each([[7, 4], [4, 7], [50, 50], [1, 3]])('%i×%i: Q orthonormal, R upper triangular, QR = A', (m, n) => {
    const a = gaussian(m, n, m * 31 + n);
    const { q, r } = qr(a);
    expect(orthoError(q)).toBeLessThan(1e-13);
    for (let i = 0; i < r.rows; i++) for (let j = 0; j < Math.min(i, r.cols); j++) expect(r.data[i * r.cols + j]).toBe(0);
    for (let i = 0; i < r.rows; i++) expect(r.data[i * r.cols + i]).toBeGreaterThanOrEqual(0);
    expect(maxAbsDiff(mul(q, r), a)).toBeLessThan(1e-13);
  });
});

describe('eigh', () => {
  it('diagonalises a symmetric matrix: AV = VΛ, VᵀV = I, eigenvalues descending', () => {
    const b = gaussian(30, 30, 3);
    const a = mul(b, b, { transB: true });
    const { values, vectors } = eigh(a);
    expect(orthoError(vectors)).toBeLessThan(1e-12);
    const av = mul(a, vectors);
    const vl = mat(30, 30, vectors.data.map((x, i) => x * values[i % 30]!));
    expect(maxAbsDiff(av, vl)).toBeLessThan(1e-11 * values[0]!);
    for (let i = 1; i < 30; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]!);
  });

  it('finds the closed-form eigenvalues of the second-difference matrix', () => {
    // tridiag(−1, 2, −1) of size n has eigenvalues 2 − 2cos(kπ/(n+1)), k = 1…n.
    const n = 12;
    const a = mat(n, n);
    for (let i = 0; i < n; i++) {
      a.data[i * n + i] = 2;
      if (i > 0) a.data[i * n + i - 1] = a.data[(i - 1) * n + i] = -1;
    }
    const expected = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((x, y) => y - x);
    eigh(a).values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 13));
  });
});

describe('SVD', () => {
  it('matches LAPACK on svd_decay_240x180 (refs): singular values and vectors', () => {
    const a = refMat('svd_decay_240x180');
    const ref = refJson('svd_decay_240x180');
    const { u, s, v } = svd(a);
    (ref.top_singular_values as number[]).forEach((x, i) => expect(Math.abs(s[i]! - x) / x).toBeLessThan(1e-9));
    const uRef = npzMember('svd_decay_240x180', 'singular_vectors_top5.npz', 'U');
    const vRef = npzMember('svd_decay_240x180', 'singular_vectors_top5.npz', 'V');
    // The refs suggest 1e-4 for a float32 pipeline; we agree with LAPACK to about 1e-8.
    for (let i = 0; i < 240; i++) for (let j = 0; j < 5; j++) expect(Math.abs(u.data[i * 180 + j]! - uRef.data[i * 5 + j]!)).toBeLessThan(1e-7);
    for (let i = 0; i < 180; i++) for (let j = 0; j < 5; j++) expect(Math.abs(v.data[i * 180 + j]! - vRef.data[i * 5 + j]!)).toBeLessThan(1e-7);
    expect(orthoError(u)).toBeLessThan(1e-12);
    expect(orthoError(v)).toBeLessThan(1e-12);
    expect(maxAbsDiff(compose(u, s, v), a)).toBeLessThan(1e-12);
  });

  it('chooses the ranks of the refs for energy 0.9 / 0.99 / 0.999 and the rank-k errors', () => {
    const s = svd(refMat('svd_decay_240x180')).s;
    const ref = refJson('svd_decay_240x180');
    for (const [f, want] of Object.entries(ref.rank_for_energy as Record<string, { rank: number }>)) expect(chooseRank(s, { energy: Number(f) })).toBe(want.rank);
    const total = Math.hypot(...s);
    for (const [k, err] of Object.entries(ref.rank_k_relative_frobenius_error as Record<string, number>)) {
      expect(Math.abs(Math.hypot(...s.slice(Number(k))) / total - err)).toBeLessThan(1e-9);
      expect(chooseRank(s, { tol: err * 1.0001 })).toBe(Number(k));
    }
  });

  it('handles wide, rank-deficient and tiny matrices', () => {
    const b = gaussian(6, 2, 9);
    const lowRank = mul(b, gaussian(2, 9, 10), {}); // 6×9 of rank 2
    const { u, s, v } = svd(lowRank);
    expect(s.length).toBe(6);
    expect(s[2]! / s[0]!).toBeLessThan(1e-14);
    expect(orthoError(u)).toBeLessThan(1e-12);
    expect(orthoError(v)).toBeLessThan(1e-12);
    expect(maxAbsDiff(compose(u, s, v), lowRank)).toBeLessThan(1e-12);
    expect([...svd(mat(1, 1, Float64Array.of(-3))).s]).toEqual([3]);
    expect([...svd(mat(2, 2)).s]).toEqual([0, 0]);
  });

  it('refuses NaN or Infinity naming the matrix, the first entry and what to do', () => {
    const a = mat(2, 3, Float64Array.of(1, 2, 3, 4, Infinity, NaN));
    expect(() => svd(a)).toThrow(/^the 2×3 matrix given to the SVD holds Infinity \(first at row 1, column 1\): .*scale the input towards magnitude 1$/);
    expect(() => svd(mat(1, 2, Float64Array.of(NaN, 1)))).toThrow(/holds NaN \(first at row 0, column 0\)/);
  });

  // Structured rank-one matrices round identically in every entry: before the negligible-column
  // rule their noise columns stayed parallel to the leading one until they underflowed, and the
  // SVD gave up after 80 sweeps (issue 12).
  it('converges on exactly rank-deficient structured matrices, with orthonormal U and V', () => {
    const cases: [string, Mat][] = [
      ['ones(8, 8)', mat(8, 8, new Float64Array(64).fill(1))],
      ['ones(16, 16)', mat(16, 16, new Float64Array(256).fill(1))],
      ['outer(1..8, 1..8)', mat(8, 8, Float64Array.from({ length: 64 }, (_, i) => (Math.floor(i / 8) + 1) * ((i % 8) + 1)))],
      ['1e-200 · ones(5, 7)', mat(5, 7, new Float64Array(35).fill(1e-200))],
      ['1e150 · ones(9, 4)', mat(9, 4, new Float64Array(36).fill(1e150))],
      ['5e-324 · ones(3, 3) (subnormal)', mat(3, 3, new Float64Array(9).fill(5e-324))],
      ['two equal rank-one blocks', mat(6, 6, Float64Array.from({ length: 36 }, (_, i) => (Math.floor(i / 6) < 3) === (i % 6 < 3) ? 1 : 0))],
    ];
    for (const [name, a] of cases) {
      const { u, s, v } = svd(a);
      const scale = Math.sqrt(a.data.reduce((t, x) => t + (x / a.data[0]!) ** 2, 0)) * Math.abs(a.data[0]!);
      const rank = name.startsWith('two') ? 2 : 1;
      for (let k = 0; k < rank; k++) expect(s[k]! / scale, name).toBeGreaterThan(0.1);
      for (let k = rank; k < s.length; k++) expect(s[k]! / scale, name).toBeLessThan(1e-14);
      expect(orthoError(u), name).toBeLessThan(1e-12);
      expect(orthoError(v), name).toBeLessThan(1e-12);
      expect(maxAbsDiff(compose(u, s, v), a) / scale, name).toBeLessThan(1e-13);
      // (A⁺ of a subnormal or huge matrix overflows or underflows.)
      if (scale > 1e-150 && scale < 1e150) expect(maxAbsDiff(pinv(pinv(a)), a) / scale, `${name}: pinv(pinv(A)) = A`).toBeLessThan(1e-12);
    }
    // Repeated singular values: the two blocks of rank one have equal σ = 3.
    const blocks = svd(cases.find(([n]) => n.startsWith('two'))![1]);
    expect(Math.abs(blocks.s[0]! - 3)).toBeLessThan(1e-13);
    expect(Math.abs(blocks.s[1]! - 3)).toBeLessThan(1e-13);
  });

  it('eigh of a rank-deficient Gram matrix: eigenvalues ‖a‖² and zeros, orthonormal vectors', () => {
    const a = mat(10, 6, Float64Array.from({ length: 60 }, (_, i) => (Math.floor(i / 6) + 1) * ((i % 6) + 1)));
    const g = mul(a, a, { transA: true });
    const { values, vectors } = eigh(g);
    const total = g.data.reduce((t, x, i) => (i % 7 === 0 ? t + x : t), 0);
    expect(Math.abs(values[0]! - total) / total).toBeLessThan(1e-14);
    for (let k = 1; k < 6; k++) expect(Math.abs(values[k]!)).toBeLessThan(1e-12 * total);
    expect(orthoError(vectors)).toBeLessThan(1e-12);
  });
});

describe('products and least squares', () => {
  it('Khatri-Rao columns are Kronecker products of columns; Kronecker mixes products', () => {
    const a = gaussian(3, 2, 1);
    const b = gaussian(4, 2, 2);
    const kr = khatriRao(a, b);
    const kron = kronecker(a, b);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) for (let c = 0; c < 2; c++) expect(kr.data[(i * 4 + j) * 2 + c]).toBe(a.data[i * 2 + c]! * b.data[j * 2 + c]!);
    // (A⊗B)(x⊗y) = Ax ⊗ By
    const x = gaussian(2, 1, 3);
    const y = gaussian(2, 1, 4);
    expect(maxAbsDiff(mul(kron, kronecker(x, y)), kronecker(mul(a, x), mul(b, y)))).toBeLessThan(1e-12);
    // (A⊙B)ᵀ(A⊙B) = AᵀA ∗ BᵀB
    expect(maxAbsDiff(mul(kr, kr, { transA: true }), hadamard(mul(a, a, { transA: true }), mul(b, b, { transA: true })))).toBeLessThan(1e-12);
  });

  it('pinv satisfies the Moore–Penrose conditions and lstsq solves a consistent system', () => {
    const a = mul(gaussian(8, 3, 5), gaussian(3, 5, 6)); // 8×5 of rank 3
    const p = pinv(a);
    expect(maxAbsDiff(mul(mul(a, p), a), a)).toBeLessThan(1e-11);
    expect(maxAbsDiff(mul(mul(p, a), p), p)).toBeLessThan(1e-11);
    const ap = mul(a, p);
    expect(maxAbsDiff(ap, transpose(ap))).toBeLessThan(1e-12);
    const full = gaussian(10, 4, 7);
    const x = gaussian(4, 2, 8);
    expect(maxAbsDiff(lstsq(full, mul(full, x)), x)).toBeLessThan(1e-12);
  });
});

describe('Cholesky', () => {
  it('factors an SPD matrix as RᵀR with R upper triangular, inverts R, and refuses an indefinite one', async () => {
    const { cholesky, invertUpper } = await import('.');
    const b = gaussian(20, 12, 4);
    const g = mul(b, b, { transA: true });
    const r = cholesky(g)!;
    expect(r).not.toBeNull();
    for (let i = 0; i < 12; i++) for (let j = 0; j < i; j++) expect(r.data[i * 12 + j]).toBe(0);
    expect(maxAbsDiff(mul(r, r, { transA: true }), g)).toBeLessThan(1e-12 * g.data[0]!);
    expect(maxAbsDiff(mul(r, invertUpper(r)), identityMat(12))).toBeLessThan(1e-12);
    expect(cholesky(mat(2, 2, Float64Array.of(1, 2, 2, 1)))).toBeNull();
  });
});
