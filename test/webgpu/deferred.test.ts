// Results left on the device (deferred tensors, engine/tensor/tensor.ts + GpuOps.result): in a graph
// on the WebGPU backend a transform's output that only feeds other GPU nodes is never read back,
// its summary norm comes from a device reduction (Parseval: ‖DCT(x)‖ = ‖x‖), nodes that read values
// get them read back by the scheduler, the pinned copies stay within the resident cache's cap, and a
// deferred result of a lost device is computed again instead of failing later.
import { create } from 'webgpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputCache, RandomSource, Tensor, cpuBackend, dct, loadGraph, runGraph, WebGpuBackend, type Backend, type GraphDoc, type Metrics, type RunOptions } from '../../engine';
import { GpuOps } from '../../engine/webgpu/ops';
import { dctGpu } from '../../engine/webgpu/transforms';
import { registry } from '../../nodes';
import { gaussian, gpuAvailable, relMax } from './gpu';

let backend: WebGpuBackend;
beforeAll(async () => {
  backend = await WebGpuBackend.create(create([]), 'corespace deferred tests');
});
afterAll(() => backend?.destroy());

const files = { read: async (p: string): Promise<Uint8Array> => { throw new Error(`no file ${p}`); }, fingerprint: async () => '' };

// s → d (DCT) → w (DWT) → iw (inverse DWT) → i (inverse DCT) → m (compare with s): d, w and iw
// feed only GPU nodes. t (Tucker) and tt (TT-SVD of a reshape) of d: at this size they read d back,
// for the float64 subspaces of small unfoldings (HOST_SUBSPACE_WORK). cp (CP-ALS) of d, and sv (a
// randomized SVD) of d2, the DCT of a matrix s2.
const doc: GraphDoc = (() => {
  const chain = [['s', 'd'], ['d', 'w'], ['w', 'iw'], ['iw', 'i'], ['d', 't'], ['d', 'tt'], ['d', 'cp'], ['s2', 'd2'], ['d2', 'sv']];
  const r = loadGraph(
    {
      format: 'corespace.graph', version: 1, name: 'deferred',
      nodes: [
        { id: 's', type: 'source.synthetic', params: { kind: 'tucker', shape: [24, 20, 16], ranks: [3, 3, 3], noise: 0.01, seed: 4 } },
        { id: 'd', type: 'transform.dct' },
        { id: 'w', type: 'transform.dwt', params: { wavelet: 'db2', levels: 2 } },
        { id: 'iw', type: 'transform.dwt', params: { wavelet: 'db2', levels: 2, inverse: true } },
        { id: 'i', type: 'transform.dct', params: { inverse: true } },
        { id: 'm', type: 'metrics.compare' },
        { id: 't', type: 'decompose.tucker', params: { ranks: [3, 3, 3] } },
        { id: 'tt', type: 'decompose.tt', params: { maxRank: 6, reshape: [24, 320] } },
        { id: 'cp', type: 'decompose.cp', params: { rank: 3, maxIter: 30 } },
        { id: 's2', type: 'source.synthetic', params: { kind: 'tucker', shape: [64, 48], ranks: [4, 4], noise: 0.01, seed: 5 } },
        { id: 'd2', type: 'transform.dct' },
        { id: 'sv', type: 'decompose.svd', params: { rank: 4, method: 'randomized' } },
      ],
      edges: chain
        .map(([a, b], k) => ({ id: `e${k}`, from: { node: a!, port: 'tensor' }, to: { node: b!, port: 'tensor' } }))
        .concat([{ id: 'ea', from: { node: 's', port: 'tensor' }, to: { node: 'm', port: 'reference' } }, { id: 'eb', from: { node: 'i', port: 'tensor' }, to: { node: 'm', port: 'approx' } }]),
    },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
})();

const run = (b: Backend, extra: Partial<RunOptions> = {}) => runGraph(doc, { registry, backend: b, files, output: { write: async (n) => n }, ...extra });

describe.skipIf(!gpuAvailable)('results left on the device', () => {
  it('transforms that feed only GPU nodes are never read back, and give the CPU results', async () => {
    const stats = () => ({ ...backend!.ops.stats });
    const before = stats();
    const gpu = await run(backend, { targets: ['m'] });
    const after = stats();
    const cpu = await run(cpuBackend);
    expect(gpu.status).toBe('success');
    const out = (id: string) => gpu.outputs.get(id)!.tensor as Tensor;
    expect(['d', 'w', 'iw', 'i'].map((id) => out(id).materialized)).toEqual([false, false, false, true]); // compare reads i's values
    expect(after.deferred - before.deferred).toBe(4);
    expect(after.deferredRead - before.deferredRead).toBe(1);
    // What came back: i (30 KiB) and reduction partials for the summaries' norms, nothing of d, w, iw.
    expect(after.readbackBytes - before.readbackBytes).toBeLessThan(4 * out('d').size + 1024);
    // The summaries' norms came from the device: Parseval (orthonormal DCT and db2) against ‖s‖.
    const norm = (id: string) => gpu.nodes[id]!.summary!.tensor!.norm!;
    for (const id of ['d', 'w', 'iw']) expect(Math.abs(norm(id) - norm('s'))).toBeLessThan(1e-5 * norm('s'));
    expect((gpu.outputs.get('m')!.metrics as Metrics).relError.value).toBeLessThan(1e-5);
    // Read on demand, they hold the CPU's values.
    for (const id of ['d', 'w', 'iw']) expect(relMax(await out(id).materialize(), cpu.outputs.get(id)!.tensor as Tensor)).toBeLessThan(1e-5);
    expect(relMax(out('d'), (await dct(cpu.outputs.get('s')!.tensor as Tensor)))).toBeLessThan(1e-5);
  });

  it('Tucker, TT-SVD (of a reshape), CP-ALS and a randomized SVD of deferred DCTs give the CPU results', async () => {
    const [gpu, cpu] = [await run(backend), await run(cpuBackend)];
    expect(gpu.status).toBe('success');
    const relError = (g: typeof gpu, id: string) => (g.outputs.get(id)!.info as Metrics).relError.value;
    expect(Math.abs(relError(gpu, 't') - relError(cpu, 't'))).toBeLessThan(1e-5);
    expect(Math.abs(relError(gpu, 'tt') - relError(cpu, 'tt'))).toBeLessThan(1e-4);
    expect(Math.abs(relError(gpu, 'cp') - relError(cpu, 'cp'))).toBeLessThan(1e-4);
    expect(Math.abs(relError(gpu, 'sv') - relError(cpu, 'sv'))).toBeLessThan(1e-4);
  });

  it('a result left on a lost device is computed again by the next run, and reading it says why it cannot be', async () => {
    const cache = new OutputCache();
    const first = await run(backend, { cache, targets: ['w'] });
    const d = first.outputs.get('d')!.tensor as Tensor;
    expect(d.materialized).toBe(false);
    backend.ops.ctx.device.destroy();
    await new Promise((r) => setTimeout(r, 20)); // device.lost settles
    await expect(d.materialize()).rejects.toThrow(/\[24×20×16\] result were on the GPU .*, which was lost before they were read; run the graph again/);
    const second = await run(backend, { cache });
    expect(second.status).toBe('success');
    expect(second.nodes.d!.status).toBe('done'); // not 'cached': its cached value was unreadable
    expect(second.nodes.s!.status).toBe('cached'); // on the host, still good
    expect((second.outputs.get('m')!.metrics as Metrics).relError.value).toBeLessThan(1e-5);
  });

  it('pinned results stay within the cache cap: beyond it results are read back at once, and the pinned ones stay right', async () => {
    const ops = new GpuOps(backend.ops.ctx, 5000); // room for two 2.4 KB tensors, pinned or not
    ops.defer = true;
    const xs = [4, 5, 6].map((seed) => gaussian([600], seed));
    const ys = [];
    for (const x of xs) ys.push(await dctGpu(ops, x, {}));
    expect(ys.map((y) => y.materialized)).toEqual([false, false, true]);
    expect(ops.resident.size.pinnedBytes).toBeLessThanOrEqual(5000);
    for (const [k, y] of ys.entries()) expect(relMax(await y.materialize(), (await dct(xs[k]!)))).toBeLessThan(1e-5);
    expect(ops.resident.size.pinned).toBe(0);
  });

  it('a deferred input holding Inf is refused by the next GPU node with the index, as a host one is', async () => {
    // Finite input whose DCT overflows float32: the DC coefficient of each row is ½·4·3e38.
    const y = await backend.dct(Tensor.fill([2, 4], 3e38), { axes: [1] });
    expect(y.materialized).toBe(false);
    await expect(backend.tucker(y, { ranks: [1, 1], method: 'hosvd', init: 'svd', maxIter: 0, tol: 0, random: new RandomSource(1) })).rejects.toThrow(/input holds Infinity at index \[0, 0\]; remove or replace non-finite values first/);
    expect(y.materialized).toBe(true); // read back only to name the index
  });
});
