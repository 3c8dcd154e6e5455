import { describe, expect, it } from 'vitest';
import { refExpected as expected, refNpy as npy } from '../../test/refs/refs';
import { Tensor, frobeniusNorm } from '../tensor';
import { dct, dctMatrix, dwt, filters, sequencyPermutation, wht, WAVELETS, type Wavelet } from '.';
import { DCT_TABLE_MAX, dctLines } from './dct';

function maxAbs(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}
const peak = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The refs' tolerance for coefficients (1e-5 × max|c|) and for inverses (1e-6 relative). */
function expectTransform(x: Tensor, y: Tensor, ref: Tensor, back: Tensor): void {
  expect(maxAbs(y, ref)).toBeLessThanOrEqual(1e-5 * peak(ref));
  expect(Math.abs(frobeniusNorm(y) / frobeniusNorm(x) - 1)).toBeLessThan(1e-6); // Parseval
  expect(maxAbs(back, x) / peak(x)).toBeLessThan(1e-6);
}

describe('DCT-II (scipy.fft.dctn type 2, ortho)', () => {
  for (const c of ['dct_3d_12x20x18', 'dct_2d_13x22']) {
    it(`${c}: coefficients, inverse, Parseval, top-5 % error`, async () => {
      const x = npy(c, 'input.npy');
      const y = (await dct(x));
      expectTransform(x, y, npy(c, 'expected.npy'), (await dct(y, { inverse: true })));
      const ref = expected(c);
      const k = Math.round(0.05 * x.size);
      const order = [...y.data.keys()].sort((a, b) => Math.abs(y.data[b]!) - Math.abs(y.data[a]!));
      const kept = new Tensor(y.shape);
      for (const i of order.slice(0, k)) kept.data[i] = y.data[i]!;
      const rec = (await dct(kept, { inverse: true }));
      const err = Math.sqrt(rec.data.reduce((s, v, i) => s + (v - x.data[i]!) ** 2, 0)) / frobeniusNorm(x);
      const want = ref.top_k_reconstruction_relative_error;
      expect(Math.abs(err - (typeof want === 'number' ? want : want.relative_error ?? want[String(k)]))).toBeLessThan(1e-4);
    });
  }

  it("lines past the table's length go by FFT (radix 2, Bluestein for the others) and equal the cosine matrix's product, both ways", () => {
    for (const n of [DCT_TABLE_MAX + 1, 97, 128, 200, 1000, 4099]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i) + (i % 7) - 3 + (i === 5 ? 1e3 : 0));
      const c = dctMatrix(n);
      const want = new Float64Array(n);
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) want[k]! += c[k * n + i]! * x[i]!;
      const y = Float64Array.from(x);
      dctLines(n, false)(y);
      const scale = Math.max(...want.map(Math.abs));
      expect([n, Math.max(...y.map((v, k) => Math.abs(v - want[k]!))) / scale < 1e-12]).toEqual([n, true]);
      dctLines(n, true)(y);
      expect([n, Math.max(...y.map((v, i) => Math.abs(v - x[i]!))) / scale < 1e-12]).toEqual([n, true]);
    }
  });

  it('transforms only the given axes', async () => {
    const x = npy('dct_2d_13x22', 'input.npy');
    const rows = (await dct(x, { axes: [1] }));
    const both = (await dct(rows, { axes: [0] }));
    expect(maxAbs(both, (await dct(x)))).toBeLessThan(1e-5);
    expect(maxAbs((await dct(x, { axes: [-1] })), rows)).toBe(0);
    await expect(dct(x, { axes: [2] })).rejects.toThrow(/axis 2 is out of range for a 2-D input/);
  });
});

describe('Walsh–Hadamard', () => {
  it('wht_1d_512: natural and sequency order, self-inverse, the permutation', async () => {
    const x = npy('wht_1d_512', 'input.npy');
    const nat = (await wht(x));
    expectTransform(x, nat, npy('wht_1d_512', 'expected.npy'), (await wht(nat)));
    const seq = (await wht(x, { order: 'sequency' }));
    expectTransform(x, seq, npy('wht_1d_512', 'expected_sequency.npy'), (await wht(seq, { order: 'sequency', inverse: true })));
    expect([...sequencyPermutation(512)]).toEqual([...npy('wht_1d_512', 'sequency_perm_512.npy').data]);
  });

  it('wht_2d_32x64 over both axes', async () => {
    const x = npy('wht_2d_32x64', 'input.npy');
    const y = (await wht(x));
    expectTransform(x, y, npy('wht_2d_32x64', 'expected.npy'), (await wht(y)));
    const s = (await wht(x, { order: 'sequency' }));
    expectTransform(x, s, npy('wht_2d_32x64', 'expected_sequency.npy'), (await wht(s, { order: 'sequency', inverse: true })));
  });

  it('refuses a length that is not a power of two and suggests a pad', async () => {
    await expect(wht(Tensor.zeros([4, 12]))).rejects.toThrow(/axis 1 of \[4×12\] has 12; pad it to 16 with a tensor\.pad node/);
  });
});

describe('DWT (pywt.wavedecn, periodization, coeffs_to_array layout)', () => {
  const cases: [string, string, Wavelet, number, number[] | undefined][] = [];
  for (const c of ['dwt_1d_384', 'dwt_2d_64x96', 'dwt_3d_16x24x32']) {
    for (const [key, r] of Object.entries(expected(c).results as Record<string, { wavelet: Wavelet; level: number; axes: number[] }>)) {
      cases.push([c, key, r.wavelet, r.level, r.axes]);
    }
  }
  it.each(cases)('%s %s', async (c, key, wavelet, levels, axes) => {
    const x = npy(c, 'input.npy');
    const y = (await dwt(x, { wavelet, levels, ...(axes ? { axes } : {}) }));
    expectTransform(x, y, npy(c, `expected_${key}_packed.npy`), (await dwt(y, { wavelet, levels, ...(axes ? { axes } : {}), inverse: true })));
  });

  it('matches the refs probes (Haar and db2 on short signals)', async () => {
    const probes = expected('dwt_2d_64x96').probes;
    for (const [w, p] of [['haar', probes.haar_1d], ['db2', probes.db2_1d_periodization]] as const) {
      const y = (await dwt(Tensor.from([p.x.length], p.x), { wavelet: w, levels: 1 }));
      [...p.cA, ...p.cD].forEach((v: number, i: number) => expect(y.data[i]).toBeCloseTo(v, 4));
    }
  });

  it('uses orthonormal filters', async () => {
    for (const w of WAVELETS) {
      const { lo, hi } = filters(w);
      const dot = (a: Float64Array, b: Float64Array, shift: number) => a.reduce((s, v, i) => s + v * (b[i + shift] ?? 0), 0);
      expect(dot(lo, lo, 0)).toBeCloseTo(1, 12);
      expect(dot(hi, hi, 0)).toBeCloseTo(1, 12);
      expect(dot(lo, hi, 0)).toBeCloseTo(0, 12);
      for (let s = 2; s < lo.length; s += 2) expect(dot(lo, lo, s)).toBeCloseTo(0, 12);
    }
  });

  it('refuses lengths not divisible by 2^levels', async () => {
    await expect(dwt(Tensor.zeros([24, 20]), { wavelet: 'haar', levels: 3 })).rejects.toThrow(/3 levels of periodized DWT need axis 1 of \[24×20\] divisible by 8, but it has 20; pad it to 24/);
    await expect(dwt(Tensor.zeros([8]), { wavelet: 'haar', levels: 0 })).rejects.toThrow(/levels must be a positive integer/);
  });
});

describe('bad input', () => {
  it('every transform names the first non-finite entry and refuses empty input', async () => {
    const x = Tensor.from([2, 4], [0, 1, 2, 3, 4, NaN, 6, 7]);
    for (const f of [() => dct(x), () => wht(x), () => dwt(x, { wavelet: 'haar', levels: 1 })]) await expect(f()).rejects.toThrow(/input holds NaN at index \[1, 1\]/);
    await expect(dct(Tensor.zeros([0, 3]))).rejects.toThrow(/input is empty \[0×3\]/);
  });
});
