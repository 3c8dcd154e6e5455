// The engine and the nodes must run unchanged in a browser worker. Bundle them for the browser
// with Vite, then run a graph inside a bare V8 context that has only what a worker has (no
// require, process, Buffer or node: modules): a Node-only dependency fails here, not in the editor.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { workerBundle } from './fixtures/bundle';

describe('browser worker bundle', () => {
  it('builds without Node built-ins and runs a Tucker graph in a worker-like context', async () => {
    const { code, warnings } = await workerBundle();
    expect(warnings).toEqual([]);

    // What a dedicated worker offers (WorkerGlobalScope), and nothing Node-specific.
    const worker = {
      crypto: globalThis.crypto,
      TextEncoder,
      TextDecoder,
      performance,
      AbortController,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      atob,
      WebAssembly,
      console,
    };
    const context: Record<string, unknown> = { ...worker, self: undefined };
    context.self = context;
    runInNewContext(`${code}\nself.Corespace = Corespace;`, context);
    const Corespace = context.Corespace as typeof import('./fixtures/worker-entry');
    expect(typeof Corespace.runGraph).toBe('function');
    const doc = Corespace.parseGraphOrThrow(
      JSON.stringify({
        format: 'corespace.graph',
        version: 1,
        name: 'in-worker',
        nodes: [
          { id: 'x', type: 'source.synthetic', params: { kind: 'tucker', shape: [12, 10, 8], ranks: [3, 3, 3], noise: 0.01, seed: 2 } },
          { id: 't', type: 'decompose.tucker', params: { ranks: [3, 3, 3] } },
          { id: 'r', type: 'reconstruct' },
          { id: 'm', type: 'metrics.compare' },
        ],
        edges: [
          { id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 't', port: 'tensor' } },
          { id: 'e2', from: { node: 't', port: 'tucker' }, to: { node: 'r', port: 'decomposition' } },
          { id: 'e3', from: { node: 'x', port: 'tensor' }, to: { node: 'm', port: 'reference' } },
          { id: 'e4', from: { node: 'r', port: 'tensor' }, to: { node: 'm', port: 'approx' } },
        ],
      }),
      Corespace.registry,
    );
    const result = await Corespace.runGraph(doc, {
      registry: Corespace.registry,
      backend: Corespace.cpuBackend,
      files: { read: async (p) => { throw new Error(`no file ${p}`); }, fingerprint: async () => '' },
      output: { write: async (n) => n },
    });
    expect(result.status).toBe('success');
    const rel = (result.outputs.get('m')!.metrics as Record<string, { value: number }>).relError!.value;
    // At the true ranks the fit error sits just below the 1 % noise.
    expect(rel).toBeGreaterThan(0.005);
    expect(rel).toBeLessThan(0.01);
  });
});
