// The WebGPU backend under the nodes: graphs run on it give the CPU backend's results (the
// definition) at float32 tolerance, node by node; a lost device fails only the running node and
// the next run gets a fresh device.
import { create } from 'webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, loadGraph, materializeValues, runGraph, syntheticTensor, WebGpuBackend, type Backend, type GraphDoc, type Metrics } from '../../engine';
import { registry } from '../../nodes';
import { refFiles as files } from '../refs/refs';
import { gpuAvailable, relMax } from './gpu';

let backend: WebGpuBackend;
beforeAll(async () => {
  backend = await WebGpuBackend.create(create([]), 'corespace backend tests');
});
afterAll(() => backend?.destroy());

function graph(nodes: unknown[], edges: [string, string, string, string][]): GraphDoc {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 't', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

async function run(doc: GraphDoc, b: Backend) {
  const r = await runGraph(doc, { registry, backend: b, files, output: { write: async (n) => n } });
  for (const [id, rec] of Object.entries(r.nodes)) if (rec.status !== 'done') throw new Error(`${id} on ${b.name}: ${rec.error}`);
  for (const outputs of r.outputs.values()) await materializeValues(...Object.values(outputs)); // results a GPU left there
  return r.outputs;
}

/** relMax of two output values that must be tensors. */
function relMaxOf(a: unknown, b: unknown): number {
  if (!(a instanceof Tensor && b instanceof Tensor)) throw new Error('not tensors');
  return relMax(a, b);
}

describe.skipIf(!gpuAvailable)('graphs on the WebGPU backend equal the CPU backend', () => {
  it('transforms: DCT (scipy ref input, all axes), WHT in sequency order on one axis, a 2-level db2 DWT, and their inverses', async () => {
    const doc = graph(
      [
        { id: 'x', type: 'source.npy', params: { path: 'dct_3d_12x20x18/input.npy' } },
        { id: 'dct', type: 'transform.dct' },
        { id: 'idct', type: 'transform.dct', params: { inverse: true } },
        { id: 'w', type: 'source.npy', params: { path: 'wht_2d_32x64/input.npy' } },
        { id: 'wht', type: 'transform.wht', params: { axes: [0], order: 'sequency' } },
        { id: 'iwht', type: 'transform.wht', params: { axes: [0], order: 'sequency', inverse: true } },
        { id: 'dwt', type: 'transform.dwt', params: { wavelet: 'db2', levels: 2 } },
        { id: 'idwt', type: 'transform.dwt', params: { wavelet: 'db2', levels: 2, inverse: true } },
      ],
      [['x', 'tensor', 'dct', 'tensor'], ['dct', 'tensor', 'idct', 'tensor'], ['w', 'tensor', 'wht', 'tensor'], ['wht', 'tensor', 'iwht', 'tensor'], ['w', 'tensor', 'dwt', 'tensor'], ['dwt', 'tensor', 'idwt', 'tensor']],
    );
    const [gpu, cpu] = [await run(doc, backend), await run(doc, cpuBackend)];
    for (const id of ['dct', 'idct', 'wht', 'iwht', 'dwt', 'idwt']) expect(relMaxOf(gpu.get(id)!.tensor, cpu.get(id)!.tensor)).toBeLessThan(1e-5);
    expect(relMaxOf(gpu.get('idct')!.tensor, cpu.get('x')!.tensor)).toBeLessThan(1e-5);
  });

  it('decompositions: Tucker HOOI (TensorLy ref input), randomized SVD of an unfolding, TT-SVD by eps and CP-ALS (TensorLy ref input)', async () => {
    const doc = graph(
      [
        { id: 'x', type: 'source.npy', params: { path: 'tucker_lowrank_36x44x52/input.npy' } },
        { id: 'tucker', type: 'decompose.tucker', params: { ranks: [4, 5, 6] } },
        { id: 'rt', type: 'reconstruct' },
        { id: 'mt', type: 'metrics.compare' },
        { id: 'svd', type: 'decompose.svd', params: { rank: 6, method: 'randomized', mode: 2 } },
        { id: 'tt', type: 'decompose.tt', params: { eps: 0.05 } },
        { id: 'rtt', type: 'reconstruct' },
        { id: 'c', type: 'source.npy', params: { path: 'cp_rank4_25x35x45/input.npy' } },
        { id: 'cp', type: 'decompose.cp', params: { rank: 4 } },
      ],
      [['x', 'tensor', 'tucker', 'tensor'], ['tucker', 'tucker', 'rt', 'decomposition'], ['x', 'tensor', 'mt', 'reference'], ['rt', 'tensor', 'mt', 'approx'], ['x', 'tensor', 'svd', 'tensor'], ['x', 'tensor', 'tt', 'tensor'], ['tt', 'tt', 'rtt', 'decomposition'], ['c', 'tensor', 'cp', 'tensor']],
    );
    const [gpu, cpu] = [await run(doc, backend), await run(doc, cpuBackend)];
    const metric = (o: typeof gpu, id: string, port: string, m: string) => (o.get(id)![port] as Metrics)[m]!.value;
    expect(Math.abs(metric(gpu, 'tucker', 'info', 'relError') - 0.00995485)).toBeLessThan(1e-4); // TensorLy, test/refs
    expect(Math.abs(metric(gpu, 'tucker', 'info', 'relError') - metric(cpu, 'tucker', 'info', 'relError'))).toBeLessThan(1e-6);
    expect(Math.abs(metric(gpu, 'mt', 'metrics', 'relError') - metric(cpu, 'mt', 'metrics', 'relError'))).toBeLessThan(1e-6);
    expect(metric(gpu, 'tucker', 'info', 'iterations')).toBe(metric(cpu, 'tucker', 'info', 'iterations'));
    expect(relMaxOf(gpu.get('rt')!.tensor, cpu.get('rt')!.tensor)).toBeLessThan(1e-4);
    expect(relMaxOf(gpu.get('svd')!.spectrum, cpu.get('svd')!.spectrum)).toBeLessThan(1e-5);
    expect(Math.abs(metric(gpu, 'svd', 'info', 'relError') - metric(cpu, 'svd', 'info', 'relError'))).toBeLessThan(1e-5);
    expect(Math.abs(metric(gpu, 'tt', 'info', 'relError') - metric(cpu, 'tt', 'info', 'relError'))).toBeLessThan(1e-6);
    expect(metric(gpu, 'tt', 'info', 'maxRank')).toBe(metric(cpu, 'tt', 'info', 'maxRank'));
    expect(relMaxOf(gpu.get('rtt')!.tensor, cpu.get('rtt')!.tensor)).toBeLessThan(1e-4);
    expect(Math.abs(metric(gpu, 'cp', 'info', 'relError') - 0.00995487)).toBeLessThan(1e-6); // TensorLy's best, test/refs
    expect(Math.abs(metric(gpu, 'cp', 'info', 'iterations') - metric(cpu, 'cp', 'info', 'iterations'))).toBeLessThanOrEqual(2);
  });

  it('the zero tensor: Tucker, CP, TT and the randomized SVD report relError 0 after one sweep; a rank-one matrix through the randomized SVD (issue 12)', async () => {
    const doc = graph(
      [
        { id: 'z', type: 'source.function', params: { expr: '0', shape: [20, 21, 22] } },
        { id: 'tucker', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
        { id: 'cp', type: 'decompose.cp', params: { rank: 3 } },
        { id: 'tt', type: 'decompose.tt', params: { maxRank: 2 } },
        { id: 'svd', type: 'decompose.svd', params: { rank: 2, method: 'randomized', mode: 0 } },
        { id: 'outer', type: 'source.function', params: { expr: '(x + 2) * (y + 3)', shape: [40, 30] } },
        { id: 'svd1', type: 'decompose.svd', params: { rank: 4, method: 'randomized' } },
      ],
      [['z', 'tensor', 'tucker', 'tensor'], ['z', 'tensor', 'cp', 'tensor'], ['z', 'tensor', 'tt', 'tensor'], ['z', 'tensor', 'svd', 'tensor'], ['outer', 'tensor', 'svd1', 'tensor']],
    );
    const gpu = await run(doc, backend);
    const metric = (id: string, m: string) => (gpu.get(id)!.info as Metrics)[m]!.value;
    for (const id of ['tucker', 'cp', 'tt', 'svd']) expect(metric(id, 'relError'), id).toBe(0);
    expect(metric('tucker', 'iterations')).toBe(1);
    expect(metric('cp', 'iterations')).toBe(1);
    // A rank-one matrix at rank 4: the sketch is rank deficient (CholeskyQR gives way to Householder).
    expect(metric('svd1', 'relError')).toBeLessThan(1e-5);
  });
});

describe.skipIf(!gpuAvailable)('Chebyshev on the WebGPU backend', () => {
  it('evaluate.points of a Chebyshev-Tucker expansion equals the CPU backend\'s float64 evaluation', async () => {
    const doc = graph(
      [
        { id: 's', type: 'source.npy', params: { path: 'cheb_gauss3d_12/input.npy' } },
        { id: 'ct', type: 'decompose.chebyshev-tucker', params: { domain: [[-1, 1], [-1, 1], [-1, 1]], n: 12, ranks: [2, 2, 2] } },
        { id: 'e', type: 'evaluate.points', params: { points: 'cheb_gauss3d_12/test_points.npy' } },
      ],
      [['s', 'tensor', 'ct', 'samples'], ['ct', 'expansion', 'e', 'expansion']],
    );
    const [gpu, cpu] = [await run(doc, backend), await run(doc, cpuBackend)];
    expect(relMaxOf(gpu.get('e')!.tensor, cpu.get('e')!.tensor)).toBeLessThan(1e-5);
  });
});

describe.skipIf(!gpuAvailable)('device loss', () => {
  it('fails the node that was running with a clear message; the next call gets a fresh device', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [20, 20, 20], ranks: [3, 3, 3], noise: 0.3 }, new RandomSource(1)).tensor;
    const opts = { ranks: [3, 3, 3], method: 'hooi' as const, init: 'random' as const, maxIter: 50, tol: 0, random: new RandomSource(2) };
    const before = (await backend.tucker(x, { ...opts, random: new RandomSource(2) })).relError;
    const device = backend.ops.ctx.device;
    await expect(backend.tucker(x, { ...opts, onIteration: (i) => void (i === 1 && device.destroy()) })).rejects.toThrow(/the GPU device was lost during the Tucker \(destroyed: .*\); this node failed, and the next run gets a fresh device/);
    const after = await backend.tucker(x, { ...opts, random: new RandomSource(2) });
    expect(backend.ops.ctx.device).not.toBe(device);
    expect(after.relError).toBe(before);
  });
});
