// The scheduler with a backend that leaves results elsewhere (deferred tensors, as the WebGPU
// backend does): nodes marked deviceInputs receive them unread, every other node gets them read
// back first, summaries take norms from the source, and a cached result whose source is gone is
// computed again. The backend here is the CPU's, with its transform results wrapped as deferred.
import { describe, expect, it } from 'vitest';
import { OutputCache, Tensor, cpuBackend, loadGraph, runGraph, type Backend, type DeferredValues, type GraphDoc, type Metrics } from '../engine';
import { registry } from '../nodes';

/** cpuBackend whose DCT results are deferred ("on its device", which its DCT reads without a
 * readback); `sources` lists them with their read counts. */
function deferringBackend() {
  const sources: { reads: number; sums: number; alive: boolean }[] = [];
  const onDevice = new Map<Tensor, Tensor>();
  const backend: Backend = {
    ...cpuBackend,
    async dct(x, o) {
      const y = await cpuBackend.dct(onDevice.get(x) ?? x, o);
      const rec = { reads: 0, sums: 0, alive: true };
      sources.push(rec);
      const src: DeferredValues = {
        where: 'a test device',
        alive: () => rec.alive,
        read: async () => (rec.reads++, y.data),
        sumSquares: async () => (rec.sums++, y.data.reduce((a, v) => a + v * v, 0)),
      };
      const t = Tensor.deferred(y.shape, src);
      onDevice.set(t, y);
      return t;
    },
  };
  return { backend, sources };
}

// s → d (DCT) → i (inverse DCT, deviceInputs) → m (compare with s); d → x (export.npy).
const doc: GraphDoc = (() => {
  const r = loadGraph(
    {
      format: 'corespace.graph', version: 1, name: 'deferred',
      nodes: [
        { id: 's', type: 'source.synthetic', params: { kind: 'tucker', shape: [12, 10, 8], ranks: [2, 2, 2], noise: 0.01, seed: 1 } },
        { id: 'd', type: 'transform.dct' },
        { id: 'i', type: 'transform.dct', params: { inverse: true } },
        { id: 'm', type: 'metrics.compare' },
        { id: 'x', type: 'export.npy', params: { name: 'd.npy' } },
      ],
      edges: [
        { id: 'e0', from: { node: 's', port: 'tensor' }, to: { node: 'd', port: 'tensor' } },
        { id: 'e1', from: { node: 'd', port: 'tensor' }, to: { node: 'i', port: 'tensor' } },
        { id: 'e2', from: { node: 's', port: 'tensor' }, to: { node: 'm', port: 'reference' } },
        { id: 'e3', from: { node: 'i', port: 'tensor' }, to: { node: 'm', port: 'approx' } },
        { id: 'e4', from: { node: 'd', port: 'tensor' }, to: { node: 'x', port: 'tensor' } },
      ],
    },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
})();

const files = { read: async (p: string): Promise<Uint8Array> => { throw new Error(`no file ${p}`); }, fingerprint: async () => '' };
const written: Record<string, number> = {};
const output = { write: async (name: string, bytes: Uint8Array) => ((written[name] = bytes.length), name) };

describe('the scheduler and deferred results', () => {
  it('reads a deferred result back only for nodes that read values, and summarizes it from its source', async () => {
    const { backend, sources } = deferringBackend();
    const r = await runGraph(doc, { registry, backend, files, output, targets: ['m'] });
    expect(r.status).toBe('success');
    const [d, i] = sources;
    expect(d).toEqual({ reads: 0, sums: 1, alive: true }); // fed only the inverse DCT (deviceInputs): never read
    expect(i!.reads).toBe(1); // metrics.compare reads values
    expect((r.outputs.get('d')!.tensor as Tensor).materialized).toBe(false);
    expect(r.nodes.d!.summary!.tensor!.norm).toBeCloseTo(r.nodes.s!.summary!.tensor!.norm!, 4); // Parseval
    expect((r.outputs.get('m')!.metrics as Metrics).relError.value).toBeLessThan(1e-6);
  });

  it('an export reads it back, once', async () => {
    const { backend, sources } = deferringBackend();
    const r = await runGraph(doc, { registry, backend, files, output });
    expect(r.status).toBe('success');
    expect(sources[0]!.reads).toBe(1);
    expect(written['d.npy']).toBeGreaterThan(4 * 12 * 10 * 8);
  });

  it('a cached result whose source can no longer be read is computed again', async () => {
    const { backend, sources } = deferringBackend();
    const cache = new OutputCache();
    await runGraph(doc, { registry, backend, files, output, cache, targets: ['d'] });
    sources[0]!.alive = false; // its device was lost
    const r = await runGraph(doc, { registry, backend, files, output, cache, targets: ['m'] });
    expect(r.status).toBe('success');
    expect(r.nodes.s!.status).toBe('cached');
    expect(r.nodes.d!.status).toBe('done');
    expect(sources).toHaveLength(3); // d again, and i
  });
});
