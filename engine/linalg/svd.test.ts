// The dense SVD (Householder bidiagonalisation + bidiagonal QR) on matrices built with known
// spectra: A = Q₁·diag(σ)·Q₂ᵀ with random orthonormal Q₁, Q₂, so the singular values are σ up to the
// rounding of forming A (about ε·σ₁). Backward stability promises each computed value within a small
// multiple of ε·‖A‖ of the exact one and U, V orthonormal to a small multiple of ε, whatever the
// spectrum: zeros, clusters, repeated values, 1e-300 and 1e300 scales, thin and empty shapes.
import { describe, expect, it } from 'vitest';
import { RandomSource } from '../random';
import { RankDeficientError, bidiagonalSvd, cholQrHost, identityMat, mat, mul, qr, svd, type Mat } from '.';
import { bidiagonalSvdDc } from './bdsdc';

const EPS = 2 ** -52;

function orthonormal(rows: number, cols: number, seed: number): Mat {
  const g = mat(rows, cols);
  new RandomSource(seed).fillNormal(g.data);
  return qr(g).q;
}

/** m × n with singular values σ (descending, length min(m, n)), times `scale`. */
function withSpectrum(m: number, n: number, sigma: number[], scale = 1, seed = 1): Mat {
  const k = sigma.length;
  const u = orthonormal(m, k, seed);
  const v = orthonormal(n, k, seed + 100);
  const us = mat(m, k, u.data.map((x, i) => x * sigma[i % k]!));
  const a = mul(us, v, { transB: true });
  return mat(m, n, a.data.map((x) => x * scale));
}

const maxAbsDiff = (a: Mat, b: Mat) => a.data.reduce((w, x, i) => Math.max(w, Math.abs(x - b.data[i]!)), 0);
const orthoError = (q: Mat) => (q.cols === 0 ? 0 : maxAbsDiff(mul(q, q, { transA: true }), identityMat(q.cols)));
const compose = (u: Mat, s: ArrayLike<number>, v: Mat) => mul(mat(u.rows, u.cols, u.data.map((x, i) => x * s[i % u.cols]!)), v, { transB: true });

/** Checks an SVD of `a` whose exact singular values are `sigma`·scale. */
function check(name: string, a: Mat, sigma: number[], scale = 1): void {
  const { u, s, v } = svd(a);
  const k = Math.min(a.rows, a.cols);
  expect([u.rows, u.cols, s.length, v.rows, v.cols], name).toEqual([a.rows, k, k, a.cols, k]);
  const top = Math.max(...sigma, 0) * scale;
  for (let i = 0; i < k; i++) {
    expect(Math.abs(s[i]! - sigma[i]! * scale), `${name}: σ${i}`).toBeLessThanOrEqual(64 * EPS * Math.max(top, Number.MIN_VALUE));
    if (i > 0) expect(s[i]!, `${name}: descending`).toBeLessThanOrEqual(s[i - 1]!);
    expect(s[i]!, `${name}: non-negative`).toBeGreaterThanOrEqual(0);
  }
  expect(orthoError(u), `${name}: UᵀU = I`).toBeLessThan(1e-12);
  expect(orthoError(v), `${name}: VᵀV = I`).toBeLessThan(1e-12);
  // Reconstruction, relative to the scale (U·S·Vᵀ of a 1e300 matrix is compared after scaling down).
  if (top > 0 && k > 0) {
    const back = compose(u, s.map((x) => x / scale), v);
    expect(maxAbsDiff(back, mat(a.rows, a.cols, a.data.map((x) => x / scale))) / (top / scale), `${name}: U·S·Vᵀ = A`).toBeLessThan(1e-13);
  }
}

describe('SVD with known spectra', () => {
  const geometric = (k: number, ratio: number) => Array.from({ length: k }, (_, i) => ratio ** i);

  it('well and badly conditioned squares (σ from 1 down to 1e-14)', () => {
    check('60² κ = 1e2', withSpectrum(60, 60, geometric(60, 0.925)), geometric(60, 0.925));
    check('60² κ = 1e14', withSpectrum(60, 60, geometric(60, 10 ** (-14 / 59)), 1, 2), geometric(60, 10 ** (-14 / 59)));
  });

  it('exact zeros: rank 3 of 40 × 30, and the zero matrix', () => {
    const sigma = [5, 4, 3, ...Array<number>(27).fill(0)];
    check('rank 3', withSpectrum(40, 30, sigma.slice(0, 3), 1, 3), sigma);
    check('zeros 7 × 5', mat(7, 5), Array<number>(5).fill(0));
    // Large enough for divide and conquer: every merge of zeros is one deflated arrow.
    check('zeros 60 × 50', mat(60, 50), Array<number>(50).fill(0));
    check('zeros 300 × 40 (tall)', mat(300, 40), Array<number>(40).fill(0));
  });

  it('clusters and repeated values', () => {
    const sigma = [2, 2, 2, 2, 1 + 1e-12, 1, 1, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 0, 0];
    check('clusters 30 × 14', withSpectrum(30, 14, sigma, 1, 4), sigma);
    // The identity: every value 1, any orthonormal basis will do.
    check('identity 25', identityMat(25), Array<number>(25).fill(1));
  });

  it('entries near the ends of float64: the spectrum scaled by 1e-300 and 1e300', () => {
    const sigma = [3, 2, 1, 0.5, 0.25, 1e-3];
    for (const scale of [1e-300, 1e300]) check(`scale ${scale}`, withSpectrum(12, 6, sigma, scale, 5), sigma, scale);
  });

  it('tall (through CholeskyQR2) and wide shapes, rank deficient too', () => {
    const sigma = geometric(20, 0.8);
    check('tall 300 × 20', withSpectrum(300, 20, sigma, 1, 6), sigma);
    check('wide 20 × 300', withSpectrum(20, 300, sigma, 1, 7), sigma);
    // Rank 5 of 200 × 20: CholeskyQR cannot factor it; the Householder route does.
    const deficient = [...geometric(5, 0.5), ...Array<number>(15).fill(0)];
    check('tall rank 5', withSpectrum(200, 20, deficient.slice(0, 5), 1, 8), deficient);
  });

  it('1 × n, n × 1 and empty matrices', () => {
    const row = mat(1, 9, Float64Array.from({ length: 9 }, (_, i) => i - 4));
    const norm = Math.hypot(...row.data);
    check('1 × 9', row, [norm]);
    check('9 × 1', mat(9, 1, row.data), [norm]);
    check('1 × 1', mat(1, 1, Float64Array.of(-3)), [3]);
    for (const [m, n] of [[0, 0], [0, 4], [4, 0]] as const) {
      const { u, s, v } = svd(mat(m, n));
      expect([u.rows, u.cols, s.length, v.rows, v.cols]).toEqual([m, 0, 0, n, 0]);
    }
  });

  it('a diagonal with values spread over 600 orders of magnitude keeps each to high relative accuracy', () => {
    // Bidiagonal QR with zero shifts is accurate relative to each value, not only to ‖B‖.
    const d = Float64Array.from([1e300, 1, 1e-100, 1e-300, 3]);
    const e = new Float64Array(4);
    const cols = () => Array.from({ length: 5 }, (_, j) => Float64Array.from({ length: 5 }, (_, i) => (i === j ? 1 : 0)));
    bidiagonalSvd(d, e, cols(), cols());
    expect([...d]).toEqual([1e300, 3, 1, 1e-100, 1e-300]);
  });

  it('a graded bidiagonal: values from the QR iterations to high relative accuracy', () => {
    // B = diag(1, 1e-8, 1e-16) with superdiagonal (1e-4, 1e-12): graded, every σᵢ determined to
    // relative accuracy ~nε by the entries (Demmel & Kahan 1990). Compared with B's SVD from the
    // eigenvalues of BᵀB in extended steps: here σ₁σ₂σ₃ = |det B| = 1e-24 exactly, a product identity
    // the values must honour to ~10ε relative.
    const d = Float64Array.from([1, 1e-8, 1e-16]);
    const e = Float64Array.from([1e-4, 1e-12]);
    const cols = () => Array.from({ length: 3 }, (_, j) => Float64Array.from({ length: 3 }, (_, i) => (i === j ? 1 : 0)));
    bidiagonalSvd(d, e, cols(), cols());
    expect(Math.abs((d[0]! * d[1]! * d[2]!) / 1e-24 - 1)).toBeLessThan(1e-14);
    expect(d[2]! / 1e-16).toBeGreaterThan(0.99);
  });
});

describe('CholeskyQR2', () => {
  it('orthonormalises to ~ε at κ = 1e10 (through a shifted pass) and A = QR', () => {
    const sigma = Array.from({ length: 12 }, (_, i) => 10 ** (-10 * (i / 11)));
    const a = withSpectrum(500, 12, sigma, 1, 9);
    const { q, r, shifted } = cholQrHost(a);
    expect(shifted).toBe(true);
    expect(orthoError(q)).toBeLessThan(1e-13);
    expect(maxAbsDiff(mul(q, r), a)).toBeLessThan(1e-14);
    for (let i = 0; i < 12; i++) for (let j = 0; j < i; j++) expect(r.data[i * 12 + j]).toBe(0);
  });

  it('refuses a matrix with a zero column (RankDeficientError), for the Householder fallback', () => {
    const a = withSpectrum(50, 6, [1, 1, 1, 1, 1, 1], 1, 10);
    for (let i = 0; i < 50; i++) a.data[i * 6 + 3] = 0;
    expect(() => cholQrHost(a)).toThrow(RankDeficientError);
  });
});

describe('bidiagonal divide and conquer', () => {
  const unit = (n: number) => Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)));
  /** Singular values by the bidiagonal QR (an independent algorithm), descending. */
  const byQr = (d: Float64Array, e: Float64Array) => {
    const dd = Float64Array.from(d);
    bidiagonalSvd(dd, Float64Array.from(e), unit(d.length), unit(d.length));
    return dd;
  };
  const bidiagonal = (d: Float64Array, e: Float64Array) => {
    const n = d.length;
    const b = mat(n, n);
    for (let i = 0; i < n; i++) {
      b.data[i * n + i] = d[i]!;
      if (i + 1 < n) b.data[i * n + i + 1] = e[i]!;
    }
    return b;
  };

  const rnd = new RandomSource(21);
  const normal = (n: number) => {
    const x = new Float64Array(n);
    rnd.fillNormal(x);
    return x;
  };
  const cases: [string, Float64Array, Float64Array][] = [
    ['random 300', normal(300), normal(299)],
    // Equal diagonal entries and a zero superdiagonal except a few: deflation by equal values and by
    // zero entries of z at every merge.
    ['repeated 200', new Float64Array(200).fill(1), Float64Array.from({ length: 199 }, (_, i) => (i % 37 === 0 ? 0.5 : 0))],
    // Tiny couplings (z below the tolerance) and values at zero.
    ['tiny and zero 150', Float64Array.from({ length: 150 }, (_, i) => (i % 5 === 0 ? 0 : 1 + i / 150)), Float64Array.from({ length: 149 }, (_, i) => (i % 3 === 0 ? 1e-18 : 0.3))],
    // Graded: entries falling over 30 orders of magnitude.
    ['graded 120', Float64Array.from({ length: 120 }, (_, i) => 10 ** (-i / 4)), Float64Array.from({ length: 119 }, (_, i) => 10 ** (-i / 4 - 0.1))],
    // The Wilkinson-like bidiagonal with clustered values: d = 1, e = 1.
    ['ones 257', new Float64Array(257).fill(1), new Float64Array(256).fill(1)],
  ];
  it.each(cases)('%s: the values of the bidiagonal QR, orthonormal vectors, B = U·S·Vᵀ', (_, d, e) => {
    const { u, s, v } = bidiagonalSvdDc(d, e);
    const ref = byQr(d, e);
    const top = ref[0]!;
    for (let i = 0; i < d.length; i++) expect(Math.abs(s[i]! - ref[i]!), `σ${i}`).toBeLessThan(32 * EPS * top);
    expect(orthoError(u)).toBeLessThan(1e-13);
    expect(orthoError(v)).toBeLessThan(1e-13);
    expect(maxAbsDiff(compose(u, s, v), bidiagonal(d, e)) / top).toBeLessThan(1e-13);
  });

  it('a matrix with three values, each 50 times, and zeros', () => {
    const sigma = [...Array<number>(50).fill(3), ...Array<number>(50).fill(1), ...Array<number>(50).fill(0.25), ...Array<number>(30).fill(0)];
    check('repeated 180²', withSpectrum(180, 180, sigma.slice(0, 150), 1, 11), sigma);
  });
});

describe('the product kernel’s memory', () => {
  it('is given back after each decomposition and does not grow across repeated runs', async () => {
    const { heapBytes } = await import('../tensor');
    const { randomizedSvd } = await import('../decomp/svd');
    const a = withSpectrum(600, 500, Array.from({ length: 500 }, (_, i) => 0.99 ** i), 1, 12);
    const before = heapBytes().used;
    const run = async () => {
      svd(a);
      await randomizedSvd(a, { rank: 20, oversample: 5, powerIters: 2, random: new RandomSource(1) });
      return heapBytes();
    };
    const first = await run();
    expect(first.used).toBe(before);
    expect(first.reserved).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect(await run()).toEqual(first);
  });
});
