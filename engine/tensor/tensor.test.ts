import { describe, expect, it } from 'vitest';
import { Tensor } from './tensor';
import { add, axpy, dot, fold, frobeniusNorm, maxAbs, permute, reshape, scale, sub, unfold } from './ops';
import { gemmRowsByRows, identity, matmul, modeProduct, multiModeProduct, outer, syrkRows } from './matmul';

const arange = (shape: number[]) => Tensor.from(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i));

describe('tensor core', () => {
  it('indexes in C order', () => {
    const t = arange([2, 3, 4]);
    expect(t.get(1, 2, 3)).toBe(23);
    expect(t.get(0, 1, 0)).toBe(4);
    expect(t.strides).toEqual([12, 4, 1]);
    expect(() => t.get(0, 3, 0)).toThrow(/index 3 out of range \[0, 3\) on mode 1/);
    expect(() => new Tensor([2, 2], new Float32Array(3))).toThrow(/3 elements but shape \[2, 2\] needs 4/);
  });

  it('reshapes with an inferred size and refuses a wrong size', () => {
    expect(reshape(arange([2, 3, 4]), [6, -1]).shape).toEqual([6, 4]);
    expect(() => reshape(arange([2, 3]), [4, -1])).toThrow(/cannot reshape 6 elements/);
  });

  it('permutes like numpy.transpose', () => {
    const t = arange([2, 3, 4]);
    const p = permute(t, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(p.get(k, i, j)).toBe(t.get(i, j, k));
    expect(permute(permute(t, [2, 0, 1]), [1, 2, 0]).data).toEqual(t.data);
    expect(() => permute(t, [0, 0, 1])).toThrow(/not a permutation/);
  });

  it('unfolds as moveaxis(X, n, 0).reshape(I_n, -1) and folds back', () => {
    const t = arange([2, 3, 4]);
    const u1 = unfold(t, 1);
    expect(u1.shape).toEqual([3, 8]);
    // Row j of X_(1) lists X[i, j, k] with i slow, k fast.
    expect([...u1.data.subarray(8, 16)]).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
    for (let mode = 0; mode < 3; mode++) expect(fold(unfold(t, mode), mode, t.shape).data).toEqual(t.data);
    expect(() => unfold(t, 3)).toThrow(/mode 3 is out of range for a tensor with 3 modes/);
  });

  it('multiplies matrices with transpose flags', () => {
    const a = Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]);
    const b = Tensor.from([3, 2], [7, 8, 9, 10, 11, 12]);
    expect([...matmul(a, b).data]).toEqual([58, 64, 139, 154]);
    expect([...matmul(b, a, { transA: true, transB: true }).data]).toEqual([58, 139, 64, 154]);
    expect(matmul(a, identity(3)).data).toEqual(a.data);
    expect(() => matmul(a, a)).toThrow(/inner sizes differ, \[2×3\] · \[2×3\]/);
  });

  it('computes the mode-n product as M·X_(n), and its chain equals the Kronecker form', () => {
    const x = arange([2, 3, 4]);
    const m = Tensor.from([2, 3], [1, 0, -1, 2, 1, 0]);
    const y = modeProduct(x, m, 1);
    expect(y.shape).toEqual([2, 2, 4]);
    for (let i = 0; i < 2; i++)
      for (let r = 0; r < 2; r++)
        for (let k = 0; k < 4; k++) {
          let s = 0;
          for (let j = 0; j < 3; j++) s += m.get(r, j) * x.get(i, j, k);
          expect(y.get(i, r, k)).toBe(s);
        }
    // The transposed product with the same matrix: Mᵀ (3×2) applied to y's mode 1.
    expect(modeProduct(y, m, 1, { transpose: true }).shape).toEqual([2, 3, 4]);
    // Rank-one Tucker: core [1] ×ₙ column vectors equals their outer product.
    const vs = [Float32Array.of(1, 2), Float32Array.of(3, 4, 5), Float32Array.of(-1, 1, 2, 0.5)];
    const tucker = multiModeProduct(Tensor.from([1, 1, 1], [1]), vs.map((v) => new Tensor([v.length, 1], v)));
    expect(tucker.data).toEqual(outer(vs).data);
  });

  it('computes norms and elementwise ops in float64', () => {
    const t = Tensor.from([2, 2], [3, 4, 0, 0]);
    expect(frobeniusNorm(t)).toBe(5);
    expect(dot(t, t)).toBe(25);
    expect(maxAbs(sub(t, scale(t, 2)))).toBe(4);
    expect([...add(t, t).data]).toEqual([6, 8, 0, 0]);
    expect([...axpy(-1, t, t).data]).toEqual([0, 0, 0, 0]);
    // 1e6 entries of 0.1f: a float32 running sum drifts by ~1e-3 relative; float64 keeps it to ~1e-10.
    const big = Tensor.fill([1000, 1000], 0.1);
    const exact = Math.sqrt(1e6) * Math.fround(0.1);
    expect(Math.abs(frobeniusNorm(big) - exact) / exact).toBeLessThan(1e-9);
    expect(() => add(t, Tensor.zeros([4]))).toThrow(/add: shapes differ, \[2×2\] vs \[4\]/);
  });
});

describe('matmul on shapes that do not divide the 2×2 block', () => {
  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [4, 3, 2],
    [5, 1, 6],
    [2, 9, 1],
  ])('%i×%i · %i×… equals the naive triple loop exactly', (m, k, n) => {
    const a = Tensor.from([m, k], Array.from({ length: m * k }, (_, i) => Math.sin(i + 1)));
    const b = Tensor.from([k, n], Array.from({ length: k * n }, (_, i) => Math.cos(3 * i)));
    const c = matmul(a, b);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a.get(i, p) * b.get(p, j);
        expect(c.get(i, j)).toBe(Math.fround(s));
      }
    expect(matmul(b, a, { transA: true, transB: true }).data).toEqual(permute(c, [1, 0]).data);
  });
});

describe('syrk', () => {
  it.each([1, 3, 4, 5, 9])('A·Aᵀ of a %i-row matrix equals the general product exactly', (rows) => {
    const a = Tensor.from([rows, 7], Array.from({ length: rows * 7 }, (_, i) => Math.sin(i * 1.7)));
    const g = syrkRows(a.data, rows, 7, new Float64Array(rows * rows));
    const full = gemmRowsByRows(a.data, a.data, rows, rows, 7, new Float64Array(rows * rows));
    expect([...g]).toEqual([...full]);
  });
});

describe('deferred tensors (values left where a backend computed them)', () => {
  /** A source holding `values` elsewhere, counting its reads and reductions. */
  const source = (values: number[], alive = () => true) => {
    const calls = { read: 0, sumSquares: 0 };
    let reading: Promise<Float32Array> | null = null;
    return {
      calls,
      where: 'a test device',
      alive,
      read: () => {
        calls.read++;
        return (reading ??= Promise.resolve(Float32Array.from(values)));
      },
      sumSquares: async () => {
        calls.sumSquares++;
        return values.reduce((a, v) => a + v * v, 0);
      },
    };
  };

  it('refuses host reads until materialized, then holds the values', async () => {
    const src = source([1, 2, 3, 4, 5, 6]);
    const t = Tensor.deferred([2, 3], src);
    expect(t.materialized).toBe(false);
    expect(t.size).toBe(6);
    expect(() => t.data).toThrow(/the values of this \[2×3\] tensor are still on a test device and were not read back .*await materialize\(\) first/);
    expect(await t.sumSquares()).toBe(91); // from the source, not a read
    expect(src.calls).toEqual({ read: 0, sumSquares: 1 });
    const [a, b] = await Promise.all([t.materialize(), t.materialize()]);
    expect(a).toBe(t);
    expect(b).toBe(t);
    expect(src.calls.read).toBe(1); // concurrent calls share one read
    expect(t.get(1, 2)).toBe(6);
    expect(await t.sumSquares()).toBe(91);
    expect(frobeniusNorm(t)).toBeCloseTo(Math.sqrt(91), 12);
  });

  it('a reshape stays deferred and shares the source', async () => {
    const src = source([1, 2, 3, 4, 5, 6]);
    const t = Tensor.deferred([2, 3], src);
    const r = t.reshaped([3, 2]);
    expect(r.materialized).toBe(false);
    expect(r.deferred).toBe(src);
    expect(() => t.reshaped([4, 2])).toThrow(/cannot reshape \[2×3\] \(6 elements\) into \[4×2\]/);
    await r.materialize();
    expect(r.get(2, 1)).toBe(6);
    expect(t.materialized).toBe(false);
    expect([...(await t.materialize()).data]).toEqual([...r.data]);
  });

  it('a source that can no longer be read says so', async () => {
    const t = Tensor.deferred([4], source([1, 2, 3, 4], () => false));
    await expect(t.materialize()).rejects.toThrow(/the values of a \[4\] result were on a test device, which was lost before they were read; run the graph again/);
  });
});
