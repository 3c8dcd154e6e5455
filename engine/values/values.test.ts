// Every registered value kind has what the engine, the CLI and the editor read from it, and the
// parts agree with each other on the kind's own example.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { DECOMPOSITIONS, isDecomposition, kindOf, previewOf, reconstruct, sizes, subspaceOf, summarizeValue, tensorsIn, valueKind, valueKinds, type Decomposition, type PortType } from '.';

describe.each(valueKinds.map((k) => [k.kind, k] as const))('value kind %s', (name, k) => {
  const kind = valueKind(name as string);
  const example = () => kind.example();

  it('has a doc, a colour of its own and a summary of its type', async () => {
    expect(k.doc.length).toBeGreaterThan(20);
    expect(k.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(valueKinds.filter((o) => o.color === k.color).map((o) => o.kind)).toEqual([name]);
    const s = await summarizeValue(name, example());
    expect(s.type).toBe(name);
    // The summary crosses to the editor and into run.json: plain JSON, nothing lost on the way.
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('has a thumbnail, or says why not', async () => {
    const p = await kind.preview(example(), 'out');
    if (kind.noPreview) {
      expect(p).toBeNull();
      expect(kind.noPreview.length).toBeGreaterThan(10);
    } else {
      expect(p).not.toBeNull();
      expect(p!.label).toMatch(/^out\b/);
      const values = p!.values;
      expect(values.length).toBeGreaterThan(0);
      if (p!.kind === 'heatmap') expect(values).toHaveLength(p!.rows * p!.cols);
    }
  });

  it('is told apart by its tag, and lists its tensors', () => {
    const v = example();
    // Metrics are the one untagged kind (their keys are metric names); every other value says
    // what it is, so an input that takes several kinds never guesses from its fields.
    expect(kindOf(v)).toBe(name === 'metrics' ? undefined : name);
    const ts = kind.tensors(v);
    for (const t of ts) expect(t).toBeInstanceOf(Tensor);
    expect(tensorsIn(v)).toEqual(name === 'metrics' ? [] : ts);
  });

  if ('reconstruct' in k) it('rebuilds a dense tensor the size its summary and sizes say', async () => {
    const v = example() as Decomposition;
    expect(isDecomposition(v)).toBe(true);
    const dense = reconstruct(v);
    const s = await summarizeValue(name, v);
    expect([...dense.shape]).toEqual(s.shape);
    const { params, dense: entries } = sizes(v);
    expect(entries).toBe(dense.size);
    expect(params).toBe(s.parameters);
    expect(params).toBe(kind.tensors(v).filter((t) => t !== (v as { spectrum?: Tensor }).spectrum).reduce((n, t) => n + t.size, 0));
    // Its mode-0 subspace is a matrix of the first mode's size; a mode it lacks is named.
    const basis = subspaceOf(v, 0);
    expect([basis.ndim, basis.shape[0]]).toEqual([2, s.shape![0]]);
    expect(() => subspaceOf(v, 9)).toThrow(/not( mode)? 9/);
  });
});

describe('the registry', () => {
  it('names each kind once, and the decompositions are the kinds that rebuild a tensor', () => {
    const names = valueKinds.map((k) => k.kind);
    expect(new Set(names).size).toBe(names.length);
    expect(DECOMPOSITIONS).toEqual(valueKinds.filter((k) => 'reconstruct' in k).map((k) => k.kind));
    expect(DECOMPOSITIONS).toEqual(['svd', 'tucker', 'cp', 'tt']);
    expect(() => valueKind('subspace' as PortType)).toThrow(/unknown value kind 'subspace' \(known: tensor, table, .*tt, model, weights, radiance\)/);
  });

  it('a value with a field another kind uses is still what its tag says (no guessing by property)', () => {
    // A Tucker value that also carries a `u` (as a future subspace kind might) stays a Tucker value.
    const t = { ...valueKind('tucker').example(), u: Tensor.from([1], [1]) };
    expect(kindOf(t)).toBe('tucker');
    expect(sizes(t).dense).toBe(6);
    expect(kindOf({ u: 1, s: 2, v: 3 })).toBeUndefined();
    expect(isDecomposition({ core: new Tensor([1]), factors: [] })).toBe(false);
  });

  it('exact reconstructions: SVD, Tucker, CP and TT examples give the products written out by hand', () => {
    // svd: 5 · [0.6, 0.8, 0]ᵀ [1, 0]
    expect([...reconstruct(valueKind('svd').example()).data]).toEqual([3, 0, 4, 0, 0, 0].map(Math.fround));
    // tucker: core [2, 1] (1×2), U₀ = [1; 0], U₁ = [e₀ e₁; 0 0 …] → X[0, :] = [2, 1, 0], X[1, :] = 0
    expect([...reconstruct(valueKind('tucker').example()).data]).toEqual([2, 1, 0, 0, 0, 0]);
    // cp: 3 · e₀ ∘ e₀ + 1 · e₁ ∘ (e₁ + e₂)
    expect([...reconstruct(valueKind('cp').example()).data]).toEqual([3, 0, 3, 0, 1, 1]);
    // tt: G₀ = I₂ (1×2×2), G₁ (2×3×1) = [[1, 2, 3], [4, 5, 6]] → X = G₁ as a 2×3 matrix
    expect([...reconstruct(valueKind('tt').example()).data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('thumbnails: the middle slice of a 3-D tensor by block means, a trace as a sparkline, a function sampled', async () => {
    // t[i, j, k] = 1000 i + j: slice i = 1 of [3 × 96 × 10], rows averaged in pairs down to 48.
    const t = Tensor.from([3, 96, 10], Array.from({ length: 2880 }, (_, n) => 1000 * Math.floor(n / 960) + Math.floor((n % 960) / 10)));
    const p = await previewOf(t, 'tensor');
    expect(p).toMatchObject({ kind: 'heatmap', rows: 48, cols: 10, min: 1000.5, max: 1094.5 });
    expect(p!.kind === 'heatmap' && p!.values.slice(0, 2)).toEqual([1000.5, 1000.5]);
    expect(await previewOf(Tensor.from([3], [0.5, 0.1, 0.01]), 'trace')).toEqual({ kind: 'sparkline', values: [0.5, 0.1, 0.01].map((v) => Math.fround(v)), label: 'trace' });
    expect(await previewOf(new Tensor([0, 4]), 'empty')).toBeNull();
    // f = x·y on [−1, 1] × [0, 2]: corners −2 (x = −1, y = 2) and 2 (x = 1, y = 2).
    const f = await previewOf(valueKind('function').example(), 'f');
    expect(f).toMatchObject({ kind: 'heatmap', rows: 48, cols: 48, min: -2, max: 2, label: 'f x * y' });
    // A long table's sparkline keeps at most 200 points, evenly strided.
    const rows = Array.from({ length: 1000 }, (_, i) => [i, 1 / (i + 1)]);
    const s = await previewOf({ kind: 'table', columns: ['rank', 'relError'], rows }, 'table');
    expect(s).toMatchObject({ kind: 'sparkline', label: 'table relError' });
    expect(s!.values).toHaveLength(200);
    expect(s!.values[1]).toBe(1 / 6);
  });
});
