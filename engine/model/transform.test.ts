// Transform-domain weights: Parseval on the padded grids (so dropped energy is the weight error), a
// matrix built from k DCT coefficients (or k WHT coefficients) recovered exactly from its k largest
// in that domain and not in the other, and the cost of positions (indices or a bitmask).
import { describe, expect, it } from 'vitest';
import { RandomSource } from '../random';
import { Tensor } from '../tensor';
import { coefficientParams, coefficientTails, forwardTransform, gridOf, inverseTransform, largest, type TransformSpec } from './transform';

const gaussian = (n: number, seed: number) => {
  const d = new Float32Array(n);
  new RandomSource(seed).fillNormal(d);
  return d;
};
const energy = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0);
const relError = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / energy(b));

/** The matrix whose coefficients under `spec` are k Gaussian values at k random positions. */
async function sparseIn(spec: TransformSpec, rows: number, cols: number, k: number, seed: number): Promise<Float64Array> {
  const [gr, gc] = gridOf(spec, rows, cols);
  if (gr !== rows || gc !== cols) throw new Error('pick sizes the grid does not pad');
  const c = new Tensor([rows, cols]);
  const r = new RandomSource(seed);
  const v = gaussian(k, seed + 1);
  for (let t = 0; t < k; t++) c.data[Math.floor(r.uniform() * rows * cols)] = 3 + Math.abs(v[t]!);
  return inverseTransform(c, rows, cols, spec);
}

describe('transform-domain weights', () => {
  it.each([
    [{ kind: 'dct' } as TransformSpec, 12, 20],
    [{ kind: 'wht' } as TransformSpec, 12, 20],
    [{ kind: 'dwt', wavelet: 'db4', levels: 2 } as TransformSpec, 12, 20],
  ])('%j keeps the energy of a 12 × 20 matrix on its grid (Parseval), and round-trips', async (spec, rows, cols) => {
    const w = gaussian(rows * cols, 3);
    const c = await forwardTransform(w, rows, cols, spec);
    expect(c.shape).toEqual(gridOf(spec, rows, cols));
    expect(energy(c.data) / energy(w)).toBeCloseTo(1, 5);
    expect(relError(await inverseTransform(c, rows, cols, spec), w)).toBeLessThan(1e-6);
  });

  it('the WHT pads to powers of two and the DWT to multiples of 2^levels', () => {
    expect(gridOf({ kind: 'wht' }, 120, 6625)).toEqual([128, 8192]);
    expect(gridOf({ kind: 'dwt', levels: 3 }, 120, 6625)).toEqual([120, 6632]);
    expect(gridOf({ kind: 'dct' }, 120, 6625)).toEqual([120, 6625]);
  });

  it('a matrix of k DCT coefficients comes back exactly from its k largest DCT coefficients, not from k WHT ones; and the other way round', async () => {
    for (const [own, other] of [[{ kind: 'dct' }, { kind: 'wht' }], [{ kind: 'wht' }, { kind: 'dct' }]] as [TransformSpec, TransformSpec][]) {
      const w = await sparseIn(own, 16, 32, 10, 7);
      for (const [spec, exact] of [[own, true], [other, false]] as const) {
        const c = await forwardTransform(w, 16, 32, spec);
        const keep = largest(c.data, 10);
        const kept = new Tensor(c.shape);
        for (const p of keep) kept.data[p] = c.data[p]!;
        const err = relError(await inverseTransform(kept, 16, 32, spec), w);
        if (exact) expect(err, `${own.kind} in ${spec.kind}`).toBeLessThan(1e-5);
        else expect(err, `${own.kind} in ${spec.kind}`).toBeGreaterThan(0.1);
        // The tail shares say the same: 0 after 10 in its own domain.
        expect(coefficientTails(c.data)[9]! < 1e-10).toBe(exact);
      }
    }
  });

  it('positions cost an index each, or a bitmask of the grid once that is cheaper', () => {
    expect(coefficientParams(10, 1024)).toBe(20); // 10 values + 10 indices (a mask would be 32)
    expect(coefficientParams(100, 1024)).toBe(132); // 100 values + a 32-param mask
    expect(coefficientParams(0, 1024)).toBe(0);
    expect([...largest(Float64Array.from([1, -5, 3, 5, 0]), 2)]).toEqual([1, 3]);
  });
});
