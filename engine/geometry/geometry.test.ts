// Plücker coordinates and subspace geometry against hand cases, identities, closed forms and SciPy
// (test/refs/grassmann/angles.json, made by make.py beside it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mat, mul, qr, type Mat } from '../linalg';
import { RandomSource } from '../random';
import { classicalMds, grassmannDistance, orthonormalBasis, principalAngles, subspaceSimilarity } from './grassmann';
import { kleinResidual, pluckerInto, pluckerLine, pluckerSize } from './plucker';

const p = (u: number[], v: number[]) => {
  const out = new Float64Array(pluckerSize(u.length));
  pluckerInto(u, v, u.length, out);
  return [...out];
};
const gaussian = (rows: number, cols: number, seed: number): Mat => {
  const m = mat(rows, cols);
  const r = new RandomSource(seed);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r.normal();
  return m;
};
const fromRows = (rows: number[][]): Mat => mat(rows.length, rows[0]!.length, Float64Array.from(rows.flat()));

describe('Plücker coordinates', () => {
  it('hand cases: the x-axis, and a line through (0, 1, 0) along x', () => {
    expect(p([1, 0, 0, 0], [1, 1, 0, 0])).toEqual([1, 0, 0, 0, 0, 0]);
    const line = pluckerLine(p([1, 0, 1, 0], [1, 1, 1, 0]));
    expect(line.direction).toEqual([1, 0, 0]);
    expect(line.moment.map((x) => x + 0)).toEqual([0, 0, -1]);
    expect(line.point.map((x) => x + 0)).toEqual([0, 1, 0]);
    expect(line.atInfinity).toBe(false);
  });

  it('is antisymmetric and unchanged by adding a multiple of u to v; lexicographic order', () => {
    const r = new RandomSource(3);
    const u = Array.from({ length: 6 }, () => r.normal());
    const v = Array.from({ length: 6 }, () => r.normal());
    const a = p(u, v);
    expect(p(v, u).map((x) => -x)).toEqual(a);
    const shifted = p(u, v.map((x, i) => x + 2.5 * u[i]!));
    for (let i = 0; i < a.length; i++) expect(shifted[i]!).toBeCloseTo(a[i]!, 12);
    // Index 5 of k = 6 is (1, 2): after (0,1) … (0,5).
    expect(a[5]).toBeCloseTo(u[1]! * v[2]! - u[2]! * v[1]!, 15);
  });

  it('the Klein residual of 10 000 random pairs is below 1e-12 in float64 and 1e-5 in float32', () => {
    const r = new RandomSource(7);
    const out = new Float64Array(6);
    let worst64 = 0;
    let worst32 = 0;
    for (let t = 0; t < 10_000; t++) {
      const u = Float64Array.from({ length: 4 }, () => r.normal() * 10 ** (4 * r.uniform() - 2));
      const v = Float64Array.from({ length: 4 }, () => r.normal());
      pluckerInto(u, v, 4, out);
      worst64 = Math.max(worst64, kleinResidual(out));
      pluckerInto(Float32Array.from(u), Float32Array.from(v), 4, out);
      worst32 = Math.max(worst32, kleinResidual(Float32Array.from(out)));
    }
    expect(worst64).toBeLessThan(1e-12);
    expect(worst32).toBeLessThan(1e-5);
  });

  it('a pair of parallel vectors is p = 0; a line with d = 0 is at infinity, not through the origin', () => {
    expect(pluckerInto([1, 2, 3, 4], [2, 4, 6, 8], 4, new Float64Array(6))).toBe(0);
    expect(kleinResidual(new Float64Array(6))).toBe(0);
    const far = pluckerLine([0, 0, 0, 1, 0, 0]);
    expect(far.atInfinity).toBe(true);
    expect(far.point.every(Number.isNaN)).toBe(true);
  });
});

describe('principal angles', () => {
  const cases = JSON.parse(readFileSync(new URL('../../test/refs/grassmann/angles.json', import.meta.url), 'utf8')).cases as { name: string; a: number[][]; b: number[][]; angles: number[] }[];

  it.each(cases.map((c) => [c.name, c] as const))('%s equals scipy.linalg.subspace_angles', (_, c) => {
    const { angles } = principalAngles(fromRows(c.a), fromRows(c.b));
    expect(angles).toHaveLength(c.angles.length);
    // Relative accuracy, tiny angles included (the nearby case's are ~1e-7).
    for (let i = 0; i < angles.length; i++) expect(Math.abs(angles[i]! - c.angles[i]!)).toBeLessThanOrEqual(1e-9 * c.angles[i]! + 1e-14);
  });

  it('recovers planted angles from 1e-6 to π/2 in a random, non-orthonormal basis', () => {
    const m = 20;
    const want = [1e-6, 1e-3, 0.3, 1.2, Math.PI / 2];
    const k = want.length;
    // Orthonormal [Q1 Q2] (m × 2k): A = Q1, B = Q1·cos θ + Q2·sin θ column by column.
    const q = qr(gaussian(m, 2 * k, 11)).q;
    const a = mat(m, k);
    const b = mat(m, k);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < k; j++) {
        a.data[i * k + j] = q.data[i * 2 * k + j]!;
        b.data[i * k + j] = Math.cos(want[j]!) * q.data[i * 2 * k + j]! + Math.sin(want[j]!) * q.data[i * 2 * k + k + j]!;
      }
    // Mix both by random invertible matrices: the spans, and so the angles, stay.
    const got = principalAngles(mul(a, gaussian(k, k, 12)), mul(b, gaussian(k, k, 13))).angles;
    for (let i = 0; i < k; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-9 * want[i]!);
  });

  it('identical spans are 0 apart; the distances follow from the angles', () => {
    const a = gaussian(15, 3, 1);
    const { angles } = principalAngles(a, mul(a, gaussian(3, 3, 2)));
    for (const t of angles) expect(t).toBeLessThan(1e-7);
    const theta = [0.1, 0.5, 1.5];
    expect(grassmannDistance(theta, 'geodesic')).toBeCloseTo(Math.hypot(...theta), 15);
    expect(grassmannDistance(theta, 'chordal')).toBeCloseTo(Math.hypot(...theta.map(Math.sin)), 15);
    expect(grassmannDistance(theta, 'projection')).toBe(Math.sin(1.5));
    // Dimensions 3 and 5: two more right angles (Ye & Lim 2016).
    expect(grassmannDistance(theta, 'geodesic', 2)).toBeCloseTo(Math.hypot(...theta, Math.PI / 2, Math.PI / 2), 15);
    expect(grassmannDistance(theta, 'chordal', 2)).toBeCloseTo(Math.hypot(...theta.map(Math.sin), 1, 1), 15);
    expect(grassmannDistance([0], 'projection', 1)).toBe(1);
  });

  it('a rank-deficient basis counts its actual dimension; mismatched spaces are refused', () => {
    const a = gaussian(10, 2, 5);
    const dup = mat(10, 4);
    for (let i = 0; i < 10; i++) dup.data.set([a.data[i * 2]!, a.data[i * 2 + 1]!, a.data[i * 2]! + a.data[i * 2 + 1]!, 0], i * 4);
    expect(orthonormalBasis(dup).rank).toBe(2);
    const r = principalAngles(dup, gaussian(10, 3, 6));
    expect([r.rankA, r.rankB, r.angles.length]).toEqual([2, 3, 2]);
    expect(orthonormalBasis(mat(5, 2)).rank).toBe(0);
    expect(() => principalAngles(gaussian(4, 2, 1), gaussian(5, 2, 1))).toThrow(/different spaces: 4 rows against 5/);
  });
});

describe('subspace similarity and MDS', () => {
  it('φ(i, i) = 1 for one span in two bases, and φ = 0 for orthogonal spans', () => {
    const a = gaussian(12, 4, 21);
    const phi = subspaceSimilarity(a, mul(a, gaussian(4, 4, 22)), 4);
    // Only the whole spans coincide: the leading singular directions of two bases differ, but
    // φ(4, 4) compares the full 4-D spans.
    expect(phi.data[15]).toBeCloseTo(1, 12);
    const q = qr(gaussian(12, 6, 23)).q;
    const left = mat(12, 3);
    const right = mat(12, 3);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 3; j++) (left.data[i * 3 + j] = q.data[i * 6 + j]!), (right.data[i * 3 + j] = q.data[i * 6 + 3 + j]!);
    const zero = subspaceSimilarity(left, right, 3);
    for (const x of zero.data) expect(Math.abs(x)).toBeLessThan(1e-24);
    const same = subspaceSimilarity(left, left, 3);
    for (let i = 0; i < 3; i++) expect(same.data[i * 3 + i]).toBeCloseTo(1, 12);
    expect(() => subspaceSimilarity(left, right, 4)).toThrow(/r = 4 exceeds/);
    // An orthonormal input keeps its column order (an SVD's U): φ(1, 1) compares the first columns.
    // Swapping b's first two columns makes φ(1, 1) = 0 and φ(2, 2) = 1.
    const swapped = mat(12, 3);
    for (let i = 0; i < 12; i++) swapped.data.set([left.data[i * 3 + 1]!, left.data[i * 3]!, left.data[i * 3 + 2]!], i * 3);
    const order = subspaceSimilarity(left, swapped, 3);
    expect(order.data[0]).toBeLessThan(1e-24);
    expect(order.data[4]).toBeCloseTo(1, 12);
  });

  it('MDS of points that are exactly Euclidean in 3-D recovers their distances (stress 0)', () => {
    const pts = gaussian(9, 3, 31);
    const d = mat(9, 9);
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) d.data[i * 9 + j] = Math.hypot(...[0, 1, 2].map((k) => pts.data[i * 3 + k]! - pts.data[j * 3 + k]!));
    const { points, stress } = classicalMds(d);
    expect(stress).toBeLessThan(1e-12);
    for (let i = 0; i < 9; i++)
      for (let j = 0; j < 9; j++) expect(Math.hypot(...[0, 1, 2].map((k) => points.data[i * 3 + k]! - points.data[j * 3 + k]!))).toBeCloseTo(d.data[i * 9 + j]!, 10);
    // Points spread in 5-D do not fit in 3: a positive stress.
    const wide = gaussian(8, 5, 32);
    const dw = mat(8, 8);
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) dw.data[i * 8 + j] = Math.hypot(...[0, 1, 2, 3, 4].map((k) => wide.data[i * 5 + k]! - wide.data[j * 5 + k]!));
    expect(classicalMds(dw).stress).toBeGreaterThan(0.01);
  });
});
