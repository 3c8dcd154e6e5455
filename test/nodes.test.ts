// Each node of the foundation on real inputs: the reference grids of test/refs (sampled by
// numpy), closed forms for the metrics, and the structure of synthetic tensors.
import { describe, expect, it } from 'vitest';
import {
  OutputCache, RandomSource, Tensor, cpuBackend, loadGraph, readNpy, runGraph, syntheticTensor, unfold, validateGraph,
  type GraphDoc,
} from '../engine';
import { registry } from '../nodes';
import { compareTensors } from '../nodes/metrics/compare';
import { linspace } from '../nodes/source/function';
import { refFiles as files, refInput } from './refs/refs';

function graph(nodes: unknown[], edges: [string, string, string, string][] = []): GraphDoc {
  const r = loadGraph(
    { format: 'corespace.graph', version: 1, name: 't', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

async function run(doc: GraphDoc, written: Record<string, Uint8Array> = {}) {
  return runGraph(doc, { registry, backend: cpuBackend, files, output: { write: async (n, b) => ((written[n] = b), n) }, cache: new OutputCache() });
}

async function output(node: Record<string, unknown>): Promise<Tensor> {
  const r = await run(graph([{ id: 'n', ...node }]));
  if (r.nodes.n!.status !== 'done') throw new Error(r.nodes.n!.error);
  return r.outputs.get('n')!.tensor as Tensor;
}

/** Numerical rank by Gram–Schmidt on the rows in float64 (relative tolerance 1e-4 of the largest row). */
function numericalRank(m: Tensor): number {
  const [rows, cols] = m.shape as [number, number];
  const basis: Float64Array[] = [];
  let maxNorm = 0;
  for (let i = 0; i < rows; i++) maxNorm = Math.max(maxNorm, Math.hypot(...m.data.subarray(i * cols, (i + 1) * cols)));
  for (let i = 0; i < rows; i++) {
    const v = Float64Array.from(m.data.subarray(i * cols, (i + 1) * cols));
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        let d = 0;
        for (let j = 0; j < cols; j++) d += q[j]! * v[j]!;
        for (let j = 0; j < cols; j++) v[j]! -= d * q[j]!;
      }
    const n = Math.hypot(...v);
    if (n > 1e-4 * maxNorm) basis.push(v.map((x) => x / n));
  }
  return basis.length;
}

describe('source.function', () => {
  it('samples exactly numpy.linspace grids (refs: tucker_smooth_24cube, tt_sincos_6x6x6x6x6)', async () => {
    // input.npy = float32(f(numpy.linspace grid)), computed by NumPy in float64 (refs/README.md).
    const smooth = await output({ type: 'source.function', params: { expr: '1/(2 + x + y + z)', shape: [24, 24, 24], domain: [[0, 1]] } });
    expect(smooth.data).toEqual(refInput('tucker_smooth_24cube').data);
    const tt = await output({ type: 'source.function', params: { expr: 'sin(x0 + x1 + x2 + x3) * cos(x4)', shape: [6, 6, 6, 6, 6], domain: Array(5).fill([0, 2]) } });
    const ref = refInput('tt_sincos_6x6x6x6x6');
    let worst = 0;
    for (let i = 0; i < ref.size; i++) worst = Math.max(worst, Math.abs(tt.data[i]! - ref.data[i]!));
    // libm sin/cos may differ from NumPy's in the last float64 bit: at most one float32 ulp apart.
    expect(worst).toBeLessThanOrEqual(2 ** -23);
  });

  it('includes both ends like numpy.linspace', () => {
    expect([...linspace(-1, 1, 5)]).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linspace(0, 0.3, 7)[6]).toBe(0.3);
    expect([...linspace(2, 5, 1)]).toEqual([2]);
  });

  it('a domain wider than float64 can span ([1e308, -1e308]) is sampled, not turned into NaN', async () => {
    expect([...linspace(1e308, -1e308, 3)]).toEqual([1e308, 0, -1e308]);
    const t = await output({ type: 'source.function', params: { expr: 'x / 1e300', shape: [5], domain: [[1e308, -1e308]] } });
    expect([...t.data]).toEqual([1e8, 5e7, 0, -5e7, -1e8].map(Math.fround));
  });

  it('fails validation on a bad expression, naming the node, the param and the column', () => {
    const doc = graph([{ id: 'f', type: 'source.function', params: { expr: 'sin(x) + w', shape: [4, 4] } }]);
    const [p] = validateGraph(doc, registry).problems;
    expect(p).toMatchObject({ code: 'invalid-param', nodeId: 'f', path: '$.nodes[0].params.expr' });
    expect(p!.message).toMatch(/unknown name 'w' .*at column 10\n {2}sin\(x\) \+ w\n {11}\^/);
    const z = validateGraph(graph([{ id: 'f', type: 'source.function', params: { expr: 'x*z', shape: [4, 4] } }]), registry).problems[0]!;
    expect(z.message).toMatch(/variable 'z' is not available.*variables here: x, y, x0, x1/);
  });

  it('refuses a domain that does not match the shape', () => {
    const [p] = validateGraph(graph([{ id: 'f', type: 'source.function', params: { shape: [4, 4, 4], domain: [[0, 1], [0, 1]] } }]), registry).problems;
    expect(p).toMatchObject({ path: '$.nodes[0].params.domain', nodeId: 'f' });
    expect(p!.message).toMatch(/one \[lo, hi\] per axis \(3 for shape \[4, 4, 4\]\).*got 2/);
  });

  it('reports where an expression becomes non-finite', async () => {
    const r = await run(graph([{ id: 'f', type: 'source.function', params: { expr: '1/(x - y)', shape: [3, 3], domain: [[0, 1]] } }]));
    expect(r.nodes.f!.error).toMatch(/node 'f' \(source\.function\): param 'expr': 1\/\(x - y\) is Infinity at x=0, y=0/);
  });
});

describe('source.synthetic', () => {
  it('builds tensors of the requested multilinear, CP and TT ranks', () => {
    const rnd = () => new RandomSource(11);
    const tucker = syntheticTensor({ kind: 'tucker', shape: [9, 8, 7], ranks: [2, 3, 4], noise: 0 }, rnd()).tensor;
    expect([0, 1, 2].map((m) => numericalRank(unfold(tucker, m)))).toEqual([2, 3, 4]);
    const cp = syntheticTensor({ kind: 'cp', shape: [6, 7, 8], ranks: [3], noise: 0 }, rnd()).tensor;
    expect([0, 1, 2].map((m) => numericalRank(unfold(cp, m)))).toEqual([3, 3, 3]);
    const tt = syntheticTensor({ kind: 'tt', shape: [4, 5, 6, 3], ranks: [2, 3, 2], noise: 0 }, rnd()).tensor;
    // TT unfolding k: rows are the first k+1 modes (C order).
    const sep = (k: number) => {
      const rows = [4, 5, 6, 3].slice(0, k + 1).reduce((a, b) => a * b, 1);
      return new Tensor([rows, tt.size / rows], tt.data);
    };
    expect([0, 1, 2].map((k) => numericalRank(sep(k)))).toEqual([2, 3, 2]);
  });

  it('adds noise at exactly the requested relative level, on the same clean tensor', async () => {
    const r = await run(
      graph(
        [
          { id: 'a', type: 'source.synthetic', params: { kind: 'cp', shape: [10, 11, 12], ranks: [3], seed: 5 } },
          { id: 'b', type: 'source.synthetic', params: { kind: 'cp', shape: [10, 11, 12], ranks: [3], seed: 5, noise: 0.2 } },
          { id: 'm', type: 'metrics.compare' },
        ],
        [
          ['a', 'tensor', 'm', 'reference'],
          ['b', 'tensor', 'm', 'approx'],
        ],
      ),
    );
    const m = r.outputs.get('m')!.metrics as Record<string, { value: number }>;
    expect(m.relError!.value).toBeCloseTo(0.2, 6);
  });

  it('noiseSeed draws independent noisy copies of one clean tensor; draw 0 is the default', () => {
    const spec = { kind: 'tucker' as const, shape: [20, 30], ranks: [3, 3], noise: 0.1 };
    const [a, b, c] = [0, 1, 0].map((noiseSeed, i) => syntheticTensor({ ...spec, ...(i < 2 ? { noiseSeed } : {}) }, new RandomSource(4)));
    expect([...c!.tensor.data]).toEqual([...a!.tensor.data]);
    expect([...b!.clean.data]).toEqual([...a!.clean.data]);
    // The two noises N₁, N₂ (each 0.1·‖X0‖) are independent: ‖N₁ − N₂‖ ≈ √2 · 0.1 · ‖X0‖.
    let diff = 0;
    let x0 = 0;
    for (let i = 0; i < a!.tensor.size; i++) {
      diff += (a!.tensor.data[i]! - b!.tensor.data[i]!) ** 2;
      x0 += a!.clean.data[i]! ** 2;
    }
    expect(Math.sqrt(diff / x0)).toBeGreaterThan(0.12);
    expect(Math.sqrt(diff / x0)).toBeLessThan(0.16);
  });

  it('refuses ranks that do not fit the kind and shape', () => {
    const problems = (params: object) => validateGraph(graph([{ id: 's', type: 'source.synthetic', params }]), registry).problems.map((p) => p.message).join('\n');
    expect(problems({ kind: 'tucker', shape: [4, 5], ranks: [6, 2] })).toMatch(/Tucker rank 6 on mode 0 exceeds that mode's size 4/);
    expect(problems({ kind: 'cp', shape: [4, 5], ranks: [2, 2] })).toMatch(/a CP tensor takes one rank/);
    expect(problems({ kind: 'tt', shape: [4, 5, 6], ranks: [2, 2, 2] })).toMatch(/3 modes takes 2 bond ranks \(or 4 with 1 at both ends\)/);
    expect(problems({ kind: 'gaussian', shape: [4096, 4096, 4096] })).toMatch(/above the limit of 268 435 456 \(2²⁸, 1 GiB of float32\); use smaller modes/);
    expect(problems({ kind: 'gaussian', shape: [4, 5], ranks: [] })).toBe('');
  });
});

describe('source.npy, source.image, export.npy', () => {
  it('loads a .npy file relative to the graph and writes one back', async () => {
    const written: Record<string, Uint8Array> = {};
    const r = await run(
      graph([{ id: 'in', type: 'source.npy', params: { path: 'dct_2d_13x22/input.npy' } }, { id: 'out', type: 'export.npy', params: { name: 'copy', dtype: 'float64' } }], [['in', 'tensor', 'out', 'tensor']]),
      written,
    );
    expect(r.status).toBe('success');
    const back = readNpy(written['copy.npy']!, 'copy.npy');
    expect(back.data).toEqual(refInput('dct_2d_13x22').data);
    expect(new TextDecoder().decode(written['copy.npy']!.subarray(0, 64))).toContain("'descr': '<f8'");
  });

  it('names the file when it is not a .npy', async () => {
    const r = await run(graph([{ id: 'in', type: 'source.npy', params: { path: 'dct_2d_13x22/expected.json' } }]));
    expect(r.nodes.in!.error).toMatch(/node 'in' \(source\.npy\): dct_2d_13x22\/expected\.json: not a \.npy file/);
  });

  it('refuses an export name with a folder in it', () => {
    const [p] = validateGraph(graph([{ id: 'x', type: 'export.npy', params: { name: '../etc/passwd' } }, { id: 's', type: 'source.synthetic' }], [['s', 'tensor', 'x', 'tensor']]), registry).problems;
    expect(p).toMatchObject({ path: '$.nodes[0].params.name', nodeId: 'x' });
    expect(p!.message).toMatch(/no folders/);
  });
});

describe('metrics.compare', () => {
  it('matches the closed forms', () => {
    const ref = Tensor.from([2, 2], [1, -2, 3, 4]);
    const approx = Tensor.from([2, 2], [1.1, -2.2, 3.3, 4.4]);
    const m = compareTensors(ref, approx);
    expect(m.relError!.value).toBeCloseTo(0.1, 6);
    expect(m.maxAbsError!.value).toBeCloseTo(0.4, 6);
    // PSNR = 10 log10(peak² / MSE) with peak 4 and MSE = 0.01·30/4.
    expect(m.psnr!.value).toBeCloseTo(10 * Math.log10(16 / (0.3 / 4)), 4);
    expect(m.snr!.value).toBeCloseTo(20, 4);
    expect(m.psnr!.unit).toBe('dB');
  });

  it('says which inputs differ in shape', async () => {
    const r = await run(
      graph(
        [
          { id: 'a', type: 'source.synthetic', params: { shape: [4, 5], ranks: [2, 2] } },
          { id: 'b', type: 'source.synthetic', params: { shape: [5, 4], ranks: [2, 2] } },
          { id: 'm', type: 'metrics.compare' },
        ],
        [
          ['a', 'tensor', 'm', 'reference'],
          ['b', 'tensor', 'm', 'approx'],
        ],
      ),
    );
    expect(r.nodes.m!.error).toMatch(/inputs 'reference' \[4×5\] and 'approx' \[5×4\] differ in shape/);
  });
});
