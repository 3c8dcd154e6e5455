// `--set` of one param followed by a re-run executes only that node and its descendants, asserted
// through the engine API with the real node registry and an example graph.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applySet } from '../cli/run-command';
import { fsResolver } from '../cli/node-io';
import { OutputCache, cpuBackend, parseGraphOrThrow, runGraph, type RunOptions } from '../engine';
import { registry } from '../nodes';

const file = new URL('../examples/tucker-noise.json', import.meta.url);

describe('re-running after --set', () => {
  it('re-executes only the affected nodes', async () => {
    const doc = parseGraphOrThrow(readFileSync(file, 'utf8'), registry);
    const written: string[] = [];
    const cache = new OutputCache();
    const opts: RunOptions = {
      registry,
      backend: cpuBackend,
      files: fsResolver(new URL('.', file).pathname),
      output: { write: async (name) => (written.push(name), name) },
      cache,
    };
    const first = await runGraph(doc, opts);
    expect(first.executed.sort()).toEqual(['approx', 'clean', 'compare', 'denoised', 'noisy', 'save', 'size', 'slice', 'tucker']);

    const second = await runGraph(applySet(doc, 'noisy.noise=0.02'), opts);
    // Everything downstream of the noisy tensor runs again; the clean tensor comes from the cache.
    expect(second.executed.sort()).toEqual(['approx', 'compare', 'denoised', 'noisy', 'save', 'size', 'slice', 'tucker']);
    expect(second.nodes.clean!.status).toBe('cached');

    const third = await runGraph(applySet(doc, 'save.name=other'), opts);
    expect(third.executed).toEqual(['save']);
    expect(written).toEqual(['noisy.npy', 'noisy.npy', 'other.npy']);
  });
});
