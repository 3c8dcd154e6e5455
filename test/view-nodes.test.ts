// The viewer nodes on real inputs: what each sends to the view sink (slices, block means past the
// display limits with a note, the plot kinds an input picks, a CP core on the superdiagonal) and the
// errors they give.
import { describe, expect, it } from 'vitest';
import { OutputCache, cpuBackend, loadGraph, runGraph, type FileResolver, type GraphDoc, type ViewRequest } from '../engine';
import { registry } from '../nodes';

const files: FileResolver = { read: async (p) => Promise.reject(new Error(`no file ${p}`)), fingerprint: async (p) => p };

function graph(nodes: unknown[], edges: [string, string, string, string][]): GraphDoc {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 'v', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

async function views(doc: GraphDoc): Promise<{ shown: Record<string, ViewRequest>; errors: Record<string, string> }> {
  const shown: Record<string, ViewRequest> = {};
  const r = await runGraph(doc, { registry, backend: cpuBackend, files, output: { write: async (n) => n }, cache: new OutputCache(), views: { show: async (node, v) => ((shown[node] = v), {}) } });
  const errors = Object.fromEntries(Object.entries(r.nodes).filter(([, n]) => n.status === 'error').map(([id, n]) => [id, n.error!]));
  return { shown, errors };
}

// f(i, j, k) = 100 i + 10 j + k on a grid of integers.
const grid = (shape: number[]) => ({ id: 'f', type: 'source.function', params: { expr: shape.length === 3 ? '100*x + 10*y + z' : 'x + y', shape, domain: shape.map((n) => [0, n - 1]) } });

describe('viewer nodes', () => {
  it('a heatmap of a 3-D tensor shows the chosen slice; past 160 per axis, block means with a note', async () => {
    const { shown } = await views(graph([grid([3, 4, 5]), { id: 'h', type: 'view.heatmap', params: { index: [2] } }, grid2('g', [400, 90]), { id: 'big', type: 'view.heatmap' }], [['f', 'tensor', 'h', 'tensor'], ['g', 'tensor', 'big', 'tensor']]));
    const h = shown.h as Extract<ViewRequest, { kind: 'heatmap' }>;
    expect([h.rows, h.cols]).toEqual([4, 5]);
    expect(h.values.slice(0, 6).map((v) => Math.round(v))).toEqual([200, 201, 202, 203, 204, 210]);
    expect(h.signed).toBe(false);
    const big = shown.big as Extract<ViewRequest, { kind: 'heatmap' }>;
    expect([big.rows, big.cols]).toEqual([160, 90]);
    expect(big.note).toMatch(/\[400×90\] shown as \[160×90\] block means/);
  });

  it('plots pick their kind from the input: spectrum of an SVD (rank marked), convergence of a trace, histogram of a tensor', async () => {
    const { shown } = await views(
      graph(
        [
          grid([6, 5, 4]),
          { id: 'svd', type: 'decompose.svd', params: { rank: 3, mode: 0 } },
          { id: 'noise', type: 'source.synthetic', params: { kind: 'gaussian', shape: [8, 6] } },
          { id: 'svd2', type: 'decompose.svd', params: { rank: 2 } },
          { id: 't', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
          { id: 'spec', type: 'view.plot' },
          { id: 'spec2', type: 'view.plot' },
          { id: 'conv', type: 'view.plot' },
          { id: 'hist', type: 'view.plot', params: { bins: 7 } },
        ],
        [['f', 'tensor', 'svd', 'tensor'], ['f', 'tensor', 't', 'tensor'], ['svd', 'svd', 'spec', 'data'], ['noise', 'tensor', 'svd2', 'tensor'], ['svd2', 'svd', 'spec2', 'data'], ['t', 'trace', 'conv', 'data'], ['f', 'tensor', 'hist', 'data']],
      ),
    );
    // A truncated SVD plots its whole spectrum with the cut marked, not only the values it kept.
    // The mode-0 unfolding of an affine grid (6×20) has rank 2: its last four singular values are
    // at the rounding floor (about ε·σ₁, as LAPACK's), which a log axis shows; a Gaussian 8×6
    // spectrum is logarithmic too. Exact zeros (below) make a plot linear.
    expect(shown.spec).toMatchObject({ plot: 'spectrum', mark: 3, title: 'spec: singular values (rank 3 kept of 6 computed)' });
    const y = (shown.spec as { y: number[] }).y;
    expect(y).toHaveLength(6);
    expect(y[1]!).toBeGreaterThan(1e-3 * y[0]!);
    for (const v of y.slice(2)) expect(v).toBeLessThan(1e-12 * y[0]!);
    expect((shown.spec as { logY: boolean }).logY).toBe(y.every((v) => v > 0));
    expect(shown.spec2).toMatchObject({ plot: 'spectrum', mark: 2, logY: true });
    const y2 = (shown.spec2 as { y: number[] }).y;
    expect(y2).toHaveLength(6);
    expect(y2.every((v, i) => v > 0 && (i === 0 || v <= y2[i - 1]!))).toBe(true);
    expect(shown.conv).toMatchObject({ plot: 'convergence', xLabel: 'iteration' });
    const hist = shown.hist as Extract<ViewRequest, { kind: 'plot' }>;
    expect(hist.plot).toBe('histogram');
    // 120 entries, one of them 0 (left out): the counts add up to 119.
    expect(hist.y.reduce((a, b) => a + b, 0)).toBe(119);
    expect(hist.note).toBe('1 zeros left out');
  });

  it('plots draw at most 2 000 points: a 2048² spectrum and a 1 M-point trace keep their ends, spikes and envelope, with a note', async () => {
    const { shown, errors } = await views(
      graph(
        [
          { id: 'big', type: 'source.function', params: { expr: 'x * y', shape: [2048, 2048], domain: [[-1, 1]] } },
          { id: 'trace', type: 'source.function', params: { expr: 'exp(-x / 1e5) + 3 * exp(-(x - 654321)^2)', shape: [1_000_000], domain: [[0, 999_999]] } },
          { id: 'spec', type: 'view.plot', params: { plot: 'spectrum' } },
          { id: 'conv', type: 'view.plot' },
        ],
        [['big', 'tensor', 'spec', 'data'], ['trace', 'tensor', 'conv', 'data']],
      ),
    );
    expect(errors).toEqual({});
    const spec = shown.spec as Extract<ViewRequest, { kind: 'plot' }>;
    expect(spec.y.length).toBeLessThanOrEqual(2000);
    expect(spec.x.length).toBe(spec.y.length);
    // |x·y| on the grid: the largest is 1 (the corners) at index 1, the smallest (1/2047)² (the
    // points next to 0 on both axes) at the end.
    expect([spec.x[0], spec.y[0]]).toEqual([1, 1]);
    expect(spec.x.at(-1)).toBe(2048 * 2048);
    expect(spec.y.at(-1)! * 2047 ** 2).toBeCloseTo(1, 5);
    expect(spec.y.every((v, i) => i === 0 || v <= spec.y[i - 1]!)).toBe(true);
    expect(spec.note).toMatch(/^4,194,304 points drawn as 1,9\d\d: the least and greatest of each run of about 4,199 \(display limit 2,000 points\)$/);
    const conv = shown.conv as Extract<ViewRequest, { kind: 'plot' }>;
    expect(conv.y.length).toBeLessThanOrEqual(2000);
    // The one spike survives, at its own iteration.
    expect(conv.y[conv.x.indexOf(654322)]).toBeCloseTo(3 + Math.exp(-6.54321), 5);
    expect(conv.x[0]).toBe(1);
    expect(conv.x.at(-1)).toBe(1_000_000);
    expect(conv.note).toMatch(/^1,000,000 points drawn as/);
  });

  it('a CP result in the 3-D view: its weights on the superdiagonal, factors beside; volumes must be 3-D', async () => {
    const { shown, errors } = await views(
      graph(
        [grid([6, 5, 4]), { id: 'cp', type: 'decompose.cp', params: { rank: 2, maxIter: 20 } }, { id: 'v', type: 'view.tensor3d' }, grid2('g', [4, 4]), { id: 'vol', type: 'view.volume' }],
        [['f', 'tensor', 'cp', 'tensor'], ['cp', 'cp', 'v', 'data'], ['g', 'tensor', 'vol', 'volume']],
      ),
    );
    const v = shown.v as Extract<ViewRequest, { kind: 'tensor3d' }>;
    expect(v.shape).toEqual([2, 2, 2]);
    expect(v.values.filter((x) => x !== 0)).toHaveLength(2);
    expect(v.values[1]).toBe(0);
    expect(v.factors!.map((f) => [f.rows, f.cols])).toEqual([[6, 2], [5, 2], [4, 2]]);
    expect(errors.vol).toMatch(/input 'volume' must be 3-D, got \[4×4\]/);
  });
});

function grid2(id: string, shape: number[]) {
  return { id, type: 'source.function', params: { expr: 'x - y', shape, domain: [[0, 1]] } };
}
