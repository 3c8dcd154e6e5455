// Energy curves (engine/model/curves.ts) against the references: the relative error of keeping the k
// largest coefficients equals the one read off SciPy's dctn(norm='ortho'), the natural-order
// Hadamard transform and PyWavelets' packed wavedec2 coefficients, at every k; the SVD's against
// NumPy's singular values and its direct rank-k errors; and the curves of a matrix built to be
// compact in one representation say so.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, energyCurves, inverseTransform, type EnergyCurve } from '../engine';
import { refExpected, refInput, refNpy } from './refs/refs';

/** √(share of Σc² left out) after the k largest |c|, k = 1…n, summed from the small end (no
 * cancellation), in float64 from the reference coefficients. */
function referenceCurve(c: ArrayLike<number>): number[] {
  const e = Array.from(c, (v) => v * v).sort((a, b) => b - a);
  const total = e.reduce((a, b) => a + b, 0);
  const tails = new Array<number>(e.length);
  let left = 0;
  for (let k = e.length - 1; k >= 0; k--) {
    tails[k] = Math.sqrt(left / total);
    left += e[k]!;
  }
  return tails;
}

const of = (curves: EnergyCurve[], m: string) => curves.find((c) => c.method === m)!;

describe('energy curves', () => {
  it.each([
    ['dct', 'dct_2d_13x22', 'expected.npy', 'db4', 1],
    ['wht', 'wht_2d_32x64', 'expected.npy', 'db4', 1],
    ['dwt', 'dwt_2d_64x96', 'expected_db4_L1_packed.npy', 'db4', 1],
    ['dwt', 'dwt_2d_64x96', 'expected_haar_L2_packed.npy', 'haar', 2],
    ['dwt', 'dwt_2d_64x96', 'expected_db2_L2_packed.npy', 'db2', 2],
  ] as const)('%s of %s (%s) follows the reference coefficients at every count', async (method, name, file, wavelet, levels) => {
    const x = refInput(name);
    const [rows, cols] = x.shape as [number, number];
    const want = referenceCurve(refNpy(name, file).data);
    const got = of(await energyCurves(x.data, rows, cols, { wavelet, levels, points: Infinity, methods: [method] }), method);
    // The first point is nothing kept; then one per coefficient while its params fit the matrix.
    expect(got.relError[0]).toBe(1);
    expect(got.relError.length).toBeGreaterThan(rows * cols * 0.45);
    let worst = 0;
    for (let k = 1; k < got.relError.length; k++) worst = Math.max(worst, Math.abs(got.relError[k]! - want[k - 1]!));
    expect(worst).toBeLessThan(2e-6);
  });

  it("the SVD's follows NumPy's singular values, and its rank-k errors are the direct ones", async () => {
    const x = refInput('svd_decay_240x180');
    const ref = refExpected('svd_decay_240x180');
    const svd = of(await energyCurves(x.data, 240, 180, { wavelet: 'db4', levels: 1, points: Infinity, methods: ['svd'] }), 'svd');
    const want = referenceCurve(ref.all_singular_values);
    for (let r = 1; r < svd.params.length; r++) {
      expect(svd.params[r]).toBe(r * 420);
      expect(svd.relError[r]).toBeCloseTo(want[r - 1]!, 6);
    }
    for (const [k, e] of Object.entries(ref.rank_k_relative_frobenius_error_direct as Record<string, number>)) expect(svd.relError[Number(k)]).toBeCloseTo(e, 5);
  });

  it('a matrix of 40 DCT coefficients reaches 0 on the dct curve at 80 params and nowhere else so soon; a rank-2 one on the svd curve', async () => {
    const c = new Tensor([48, 64]);
    const r = new RandomSource(3);
    for (let t = 0; t < 40; t++) c.data[Math.floor(r.uniform() * c.size)] = 1 + r.uniform();
    const sparse = await inverseTransform(c, 48, 64, { kind: 'dct' });
    const curves = await energyCurves(sparse, 48, 64, { wavelet: 'db4', levels: 1, points: Infinity });
    const at = (m: string, params: number) => {
      const cv = of(curves, m);
      let i = 0;
      while (i + 1 < cv.params.length && cv.params[i + 1]! <= params) i++;
      return cv.relError[i]!;
    };
    const kept = of(curves, 'dct').relError.findIndex((e) => e < 1e-6);
    expect(of(curves, 'dct').params[kept]).toBeLessThanOrEqual(80);
    for (const m of ['svd', 'wht', 'dwt', 'lowrank-subbands']) expect(at(m, 80)).toBeGreaterThan(0.1);
    const u = Array.from({ length: 48 * 2 }, () => r.normal());
    const v = Array.from({ length: 2 * 64 }, () => r.normal());
    const lowRank = Float64Array.from({ length: 48 * 64 }, (_, i) => u[Math.floor(i / 64) * 2]! * v[i % 64]! + u[Math.floor(i / 64) * 2 + 1]! * v[64 + (i % 64)]!);
    const lr = await energyCurves(lowRank, 48, 64, { wavelet: 'db4', levels: 1, points: Infinity });
    expect(of(lr, 'svd').relError[2]).toBeLessThan(1e-6);
    expect(of(lr, 'svd').params[2]).toBe(224);
    for (const m of ['dct', 'wht', 'dwt']) expect(of(lr, m).relError[of(lr, m).params.findIndex((p) => p > 224) - 1]!).toBeGreaterThan(0.05);
  });

  it('thins each curve to about the points asked for, keeping its ends', async () => {
    const x = refInput('dwt_2d_64x96');
    const curves = await energyCurves(x.data, 64, 96, { wavelet: 'db4', levels: 1, points: 50 });
    for (const c of curves) {
      expect(c.params.length).toBeLessThanOrEqual(52);
      expect([c.method, c.params.length > (c.method === 'svd' ? 20 : 30)]).toEqual([c.method, true]);
      expect(c.params.every((p, i) => i === 0 || p > c.params[i - 1]!)).toBe(true);
      expect(c.params.at(-1)).toBeLessThanOrEqual(64 * 96);
    }
  });
});
