// The Grassmann and Plücker nodes: hand cases through the nodes, planted angles through an SVD and a
// Tucker factor, LoRA similarity of one subspace in two bases, the distances of a stack and its MDS,
// the Grassmann-flow features against their definition, and bad inputs refused by port with the fix.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, loadGraph, syntheticTensor, validateGraph, type AnyNodeDefinition, type Metrics, type RunContext, type TableValue, type ViewRequest } from '../engine';
import { registry } from '../nodes';

const node = (type: string) => registry.nodes.find((n) => n.type === type)! as AnyNodeDefinition;
const ctx = { nodeId: 'n', progress: () => {}, backend: cpuBackend, random: new RandomSource(0) } as unknown as RunContext;
/** Runs one node on its inputs with its params parsed (defaults filled in). */
const call = async (type: string, inputs: Record<string, unknown>, params: Record<string, unknown> = {}) =>
  (await node(type).run(inputs as never, node(type).params.parse(params), ctx)) as Record<string, unknown>;
const gaussian = (shape: number[], seed: number) => {
  const t = new Tensor(shape);
  new RandomSource(seed).fillNormal(t.data);
  return t;
};

describe('embed.plucker and plucker.lines', () => {
  it('the hand cases of the issue: the x-axis, and the line through (0, 1, 0) along x', async () => {
    const u = Tensor.from([2, 4], [1, 0, 0, 0, 1, 0, 1, 0]);
    const v = Tensor.from([2, 4], [1, 1, 0, 0, 1, 1, 1, 0]);
    const out = await call('embed.plucker', { u, v });
    expect([...(out.tensor as Tensor).data]).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0]);
    expect((out.info as Metrics).kleinResidual!.value).toBe(0);
    const lines = (await call('plucker.lines', { coordinates: out.tensor })).table as TableValue;
    expect(lines.columns).toEqual(['px', 'py', 'pz', 'dx', 'dy', 'dz', 'mx', 'my', 'mz', 'atInfinity']);
    expect(lines.rows.map((r) => r.map((x) => x + 0))).toEqual([
      [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      [0, 1, 0, 1, 0, 0, 0, 0, -1, 0],
    ]);
  });

  it('normalize puts each row on the unit sphere; a parallel pair is counted, not divided by zero', async () => {
    const u = Tensor.from([2, 3], [1, 2, 3, 1, 0, 0]);
    const v = Tensor.from([2, 3], [2, 4, 6, 0, 5, 0]);
    const out = await call('embed.plucker', { u, v }, { normalize: true });
    const t = out.tensor as Tensor;
    expect([...t.data.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect(Math.hypot(...t.data.subarray(3))).toBeCloseTo(1, 6);
    expect((out.info as Metrics).degeneratePairs!.value).toBe(1);
    expect((out.info as Metrics).kleinResidual).toBeUndefined(); // k = 3: no Klein quadric
  });

  it('refuses mismatched shapes, k < 2, NaN and lines from coordinates that are not 6 wide, by port', async () => {
    await expect(call('embed.plucker', { u: new Tensor([3, 4]), v: new Tensor([3, 5]) })).rejects.toThrow("inputs 'u' [3×4] and 'v' [3×5] differ in shape");
    await expect(call('embed.plucker', { u: new Tensor([3, 1]), v: new Tensor([3, 1]) })).rejects.toThrow(/need k ≥ 2/);
    await expect(call('embed.plucker', { u: Tensor.from([2], [1, NaN]), v: new Tensor([2]) })).rejects.toThrow(/input 'u' holds NaN at index \[1\]/);
    await expect(call('plucker.lines', { coordinates: new Tensor([2, 10]) })).rejects.toThrow(/input 'coordinates' is \[2×10\]; lines need four-dimensional Plücker coordinates/);
  });

  it('validation refuses mismatched inputs before anything runs, naming the node and the port', () => {
    const doc = loadGraph(
      {
        format: 'corespace.graph',
        version: 1,
        name: 't',
        nodes: [
          { id: 'a', type: 'source.synthetic', params: { shape: [5, 4], kind: 'gaussian' } },
          { id: 'b', type: 'source.synthetic', params: { shape: [5, 3], kind: 'gaussian' } },
          { id: 'p', type: 'embed.plucker' },
        ],
        edges: [
          { id: 'e0', from: { node: 'a', port: 'tensor' }, to: { node: 'p', port: 'u' } },
          { id: 'e1', from: { node: 'b', port: 'tensor' }, to: { node: 'p', port: 'v' } },
        ],
      },
      registry,
    );
    if (!doc.ok) throw new Error(JSON.stringify(doc.problems));
    const v = validateGraph(doc.doc, registry);
    expect(v.problems.map((p) => [p.code, p.nodeId, p.message])).toContainEqual(['input-shape', 'p', "embed.plucker input 'v': is [5×3] and 'u' is [5×4]; pair vectors of the same shape"]);
  });
});

describe('grassmann.angles and grassmann.similarity', () => {
  /** A = Q1, B = Q1·cos θ + Q2·sin θ (columnwise), both then mixed by random matrices. */
  function planted(m: number, theta: number[], seed: number) {
    const k = theta.length;
    const g = gaussian([m, 2 * k], seed);
    // Gram–Schmidt on the columns, in float64.
    const cols = Array.from({ length: 2 * k }, (_, j) => Float64Array.from({ length: m }, (_, i) => g.data[i * 2 * k + j]!));
    for (let j = 0; j < cols.length; j++) {
      for (let i = 0; i < j; i++) {
        const d = cols[j]!.reduce((s, x, r) => s + x * cols[i]![r]!, 0);
        cols[j] = cols[j]!.map((x, r) => x - d * cols[i]![r]!);
      }
      const n = Math.hypot(...cols[j]!);
      cols[j] = cols[j]!.map((x) => x / n);
    }
    const a = new Tensor([m, k]);
    const b = new Tensor([m, k]);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < k; j++) {
        a.data[i * k + j] = cols[j]![i]!;
        b.data[i * k + j] = Math.cos(theta[j]!) * cols[j]![i]! + Math.sin(theta[j]!) * cols[k + j]![i]!;
      }
    return { a, b };
  }

  it('recovers planted angles through an SVD value and a Tucker factor, with the three distances', async () => {
    const theta = [0.01, 0.4, 1.1];
    const { a, b } = planted(30, theta, 5);
    const svd = { kind: 'svd' as const, u: a, s: Tensor.from([3], [3, 2, 1]), v: new Tensor([4, 3]) };
    const tucker = { kind: 'tucker' as const, core: new Tensor([2, 3]), factors: [new Tensor([7, 2]), b] };
    const out = await call('grassmann.angles', { a: svd, b: tucker }, { mode: 1 });
    const got = [...(out.angles as Tensor).data];
    // The basis is float32 here (2⁻²⁴ ≈ 6e-8 per entry): angles to ~1e-6.
    for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - theta[i]!)).toBeLessThan(2e-6);
    const info = out.info as Metrics;
    expect(info.geodesic!.value).toBeCloseTo(Math.hypot(...theta), 5);
    expect(info.chordal!.value).toBeCloseTo(Math.hypot(...theta.map(Math.sin)), 5);
    expect(info.projection!.value).toBeCloseTo(Math.sin(1.1), 5);
    await expect(call('grassmann.angles', { a: svd, b: tucker }, { mode: 2 })).rejects.toThrow("param 'mode' is 2, but the Tucker decomposition on input 'a'".replace("'a'", "'b'"));
  });

  it('a rank-deficient basis is measured at its actual dimension, and said so; a zero basis is refused', async () => {
    const a = gaussian([12, 2], 1);
    const dup = new Tensor([12, 3]);
    for (let i = 0; i < 12; i++) dup.data.set([a.data[i * 2]!, a.data[i * 2 + 1]!, a.data[i * 2]! - a.data[i * 2 + 1]!], i * 3);
    const out = await call('grassmann.angles', { a: dup, b: gaussian([12, 4], 2) });
    expect((out.angles as Tensor).shape).toEqual([2]);
    expect((out.info as Metrics).dimA!.value).toBe(2);
    expect((out.info as Metrics).dimA!.doc).toMatch(/its 3 columns are rank deficient/);
    await expect(call('grassmann.angles', { a: new Tensor([12, 2]), b: a })).rejects.toThrow("input 'a' spans nothing (all its 2 columns are zero)");
    await expect(call('grassmann.angles', { a, b: gaussian([11, 2], 3) })).rejects.toThrow("inputs 'a' (12 × 2) and 'b' (11 × 2) live in different spaces");
    await expect(call('grassmann.similarity', { a: dup, b: gaussian([12, 4], 4) }, { r: 3 })).rejects.toThrow("input 'a' spans a subspace of dimension 2 (its 3 columns are rank deficient), so it has no 3 leading directions; use r ≤ 2");
  });

  it('φ of the SVDs of two noisy copies keeps the singular order: their leading directions agree one by one', async () => {
    const spec = { kind: 'tucker' as const, shape: [80, 60], ranks: [6, 6], noise: 0.05 };
    const copies = [0, 1].map((noiseSeed) => syntheticTensor({ ...spec, noiseSeed }, new RandomSource(7)).tensor);
    const svds = await Promise.all(copies.map(async (t) => (await call('decompose.svd', { tensor: t }, { rank: 6 })).svd));
    const phi = (await call('grassmann.similarity', { a: svds[0], b: svds[1] }, { r: 6 })).tensor as Tensor;
    // σ₁ … σ₅ are well apart (3.5, 2.8, 2.0, 1.8, 1.3): each leading i-space matches the other's.
    for (let i = 0; i < 5; i++) expect(phi.data[i * 6 + i]).toBeGreaterThan(0.99);
    // Re-running the SVD on U (its singular values all 1) would have scrambled this order.
  });

  it('φ of a matrix against itself has φ(i, i) = 1; against an orthogonal one, 0', async () => {
    const { a, b } = planted(20, [Math.PI / 2, Math.PI / 2, Math.PI / 2], 9);
    const self = (await call('grassmann.similarity', { a, b: a }, { r: 3 })).tensor as Tensor;
    for (let i = 0; i < 3; i++) expect(self.data[i * 3 + i]).toBeCloseTo(1, 6);
    const apart = (await call('grassmann.similarity', { a, b }, { r: 3 })).tensor as Tensor;
    for (const x of apart.data) expect(Math.abs(x)).toBeLessThan(1e-10);
    await expect(call('grassmann.similarity', { a, b }, { r: 4 })).rejects.toThrow("param 'r' is 4, but the inputs have only 3 singular directions");
  });
});

describe('grassmann.distances and grassmann.flow', () => {
  it('a stack of 1-D subspaces in the plane: geodesic distances are the angles between the lines; MDS keeps them', async () => {
    // Lines at 0°, 30°, 75°: pairwise angles 30°, 75°, 45° (all below 90°, so no wrap).
    const deg = [0, 30, 75];
    const stack = Tensor.from([3, 2, 1], deg.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
    const out = await call('grassmann.distances', { subspaces: stack });
    const d = out.distances as Tensor;
    const rad = (x: number) => (x * Math.PI) / 180;
    expect(d.data[1]).toBeCloseTo(rad(30), 6);
    expect(d.data[2]).toBeCloseTo(rad(75), 6);
    expect(d.data[5]).toBeCloseTo(rad(45), 6);
    expect([d.data[0], d.data[4], d.data[8]]).toEqual([0, 0, 0]);
    // Three points always embed exactly in 3-D.
    expect((out.info as Metrics).stress!.value).toBeLessThan(1e-6);
    const e = out.embedding as Tensor;
    const dist = (i: number, j: number) => Math.hypot(...[0, 1, 2].map((k) => e.data[i * 3 + k]! - e.data[j * 3 + k]!));
    expect(dist(0, 2)).toBeCloseTo(rad(75), 5);
    const chordal = (await call('grassmann.distances', { subspaces: stack }, { metric: 'chordal' })).distances as Tensor;
    expect(chordal.data[2]).toBeCloseTo(Math.sin(rad(75)), 6);
    // Nested subspaces of growing dimension (zero-padded): a line, the plane holding it, a 3-space
    // holding both. Their angles are all 0; the dimension gaps count as right angles.
    const nested = new Tensor([3, 4, 3]);
    for (let k = 0; k < 3; k++) for (let j = 0; j <= k; j++) nested.data[(k * 4 + j) * 3 + j] = 1;
    const dn = (await call('grassmann.distances', { subspaces: nested })).distances as Tensor;
    expect(dn.data[1]).toBeCloseTo(Math.PI / 2, 6);
    expect(dn.data[2]).toBeCloseTo(Math.PI / Math.SQRT2, 6);
    await expect(call('grassmann.distances', { subspaces: new Tensor([1, 4, 2]) })).rejects.toThrow(/holds 1 subspace; distances need at least two/);
    await expect(call('grassmann.distances', { subspaces: new Tensor([2, 4, 2]) })).rejects.toThrow(/subspace 0 of input 'subspaces' spans nothing/);
  });

  it('flow features are the mean normalised Plücker coordinates over the lags that fit; zeros at t = 0', async () => {
    const z = gaussian([6, 3], 4);
    const out = (await call('grassmann.flow', { z }, { lags: [1, 2, 4] })).tensor as Tensor;
    expect(out.shape).toEqual([6, 3]);
    expect([...out.data.subarray(0, 3)]).toEqual([0, 0, 0]);
    const row = (t: number) => [...z.data.subarray(t * 3, t * 3 + 3)];
    const p = (u: number[], v: number[]) => {
      const q = [u[0]! * v[1]! - u[1]! * v[0]!, u[0]! * v[2]! - u[2]! * v[0]!, u[1]! * v[2]! - u[2]! * v[1]!];
      const n = Math.max(Math.hypot(...q), 1e-8);
      return q.map((x) => x / n);
    };
    // t = 3: lags 1 and 2 fit (4 does not).
    const want = [0, 1, 2].map((j) => (p(row(3), row(2))[j]! + p(row(3), row(1))[j]!) / 2);
    for (let j = 0; j < 3; j++) expect(out.data[9 + j]).toBeCloseTo(want[j]!, 6);
    // t = 5: lags 1, 2 and 4.
    const want5 = [0, 1, 2].map((j) => (p(row(5), row(4))[j]! + p(row(5), row(3))[j]! + p(row(5), row(1))[j]!) / 3);
    for (let j = 0; j < 3; j++) expect(out.data[15 + j]).toBeCloseTo(want5[j]!, 6);
    await expect(call('grassmann.flow', { z: new Tensor([5, 1]) })).rejects.toThrow(/r = 1; Plücker features need vectors of length r ≥ 2/);
  });
});

describe('view.points and view.lines', () => {
  /** Runs a viewer node and returns the view it sent. */
  async function shown(type: string, inputs: Record<string, unknown>, params: Record<string, unknown> = {}) {
    const sent: ViewRequest[] = [];
    const c = { nodeId: 'v', progress: () => {}, views: { show: async (_: string, v: ViewRequest) => (sent.push(v), {}) } } as unknown as RunContext;
    await node(type).run(inputs as never, node(type).params.parse(params), c);
    return sent[0]!;
  }

  it('points: [s, 3] as is, [s, 2] in the plane z = 0, labels and values passed on; mismatches refused', async () => {
    const v = await shown('view.points', { points: Tensor.from([2, 2], [1, 2, 3, 4]), values: Tensor.from([2], [0.5, 1.5]) }, { labels: ['a', 'b'] });
    expect(v).toEqual({ kind: 'points', title: 'v: 2 points', points: [1, 2, 0, 3, 4, 0], labels: ['a', 'b'], values: [0.5, 1.5] });
    await expect(shown('view.points', { points: new Tensor([2, 4]) })).rejects.toThrow("input 'points' is [2×4]; give coordinates [s, 3] (or [s, 2])");
    await expect(shown('view.points', { points: new Tensor([2, 3]), values: new Tensor([3]) })).rejects.toThrow("input 'values' has 3 entries for 2 points");
    await expect(shown('view.points', { points: new Tensor([2, 3]) }, { labels: ['only one'] })).rejects.toThrow("param 'labels' has 1 labels for 2 points");
  });

  it('lines: drawn through their closest points, a line at infinity listed in the note, not drawn', async () => {
    const u = Tensor.from([3, 4], [1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    const v = Tensor.from([3, 4], [1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0]);
    const coords = (await call('embed.plucker', { u, v })).tensor as Tensor;
    const table = (await call('plucker.lines', { coordinates: coords })).table as TableValue;
    expect(table.rows.map((r) => r[9])).toEqual([0, 0, 1]); // (0,1,0,0) ∧ (0,0,1,0) has d = 0
    const view = (await shown('view.lines', { lines: table, values: Tensor.from([3], [5, 6, 7]) })) as Extract<ViewRequest, { kind: 'lines' }>;
    expect(view.lines.map((x) => x + 0)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect([...view.coordinates]).toEqual([...coords.data.subarray(0, 12)]);
    expect(view.indices).toEqual([0, 1]);
    expect(view.values).toEqual([5, 6]);
    expect(view.note).toBe('1 line at infinity (d = 0) not drawn: 2');
    await expect(shown('view.lines', { lines: { kind: 'table', columns: ['rank', 'relError'], rows: [] } })).rejects.toThrow(/connect the table of a plucker.lines node/);
  });
});
