// "Run to here" (targets) validates the targets and their ancestors only (issue 12, item 10): a
// half-built node or an unknown-type placeholder elsewhere in the graph does not block it, while
// a problem upstream of the target still does, with its path in the whole file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphError, OutputCache, cpuBackend, loadGraph, runGraph, type GraphDoc } from '../engine';
import { registry } from '../nodes';
import { cli } from './cli/harness';
import { tempDir } from './temp';

const raw = (extra: unknown[] = [], extraEdges: unknown[] = []) => ({
  format: 'corespace.graph',
  version: 1,
  name: 'here',
  nodes: [
    { id: 'loose', type: 'decompose.tucker', params: { ranks: [2, 2] } }, // no input: invalid
    { id: 'future', type: 'from.a.newer.corespace', params: { x: 1 } },
    { id: 'f', type: 'source.function', params: { expr: 'x*y', shape: [6, 5] } },
    { id: 'svd', type: 'decompose.svd', params: { rank: 1 } },
    ...extra,
  ],
  edges: [{ id: 'e1', from: { node: 'f', port: 'tensor' }, to: { node: 'svd', port: 'tensor' } }, ...extraEdges],
});

const load = (r: unknown): GraphDoc => {
  const l = loadGraph(r, registry);
  if (!l.ok) throw new Error(JSON.stringify(l.problems));
  return l.doc;
};
const run = (doc: GraphDoc, targets?: string[]) => runGraph(doc, { registry, backend: cpuBackend, files: { read: () => Promise.reject(new Error('none')), fingerprint: async (p) => p }, output: { write: async (n) => n }, cache: new OutputCache(), ...(targets ? { targets } : {}) });

describe('run to here', () => {
  it('runs the target and its ancestors although other nodes are invalid or unknown', async () => {
    const doc = load(raw());
    await expect(run(doc)).rejects.toThrow(GraphError);
    const r = await run(doc, ['svd']);
    expect(r.status).toBe('success');
    expect(r.executed).toEqual(['f', 'svd']);
  });

  it('a problem upstream of the target still refuses the run, with the path of the whole file', async () => {
    const doc = load(raw([{ id: 'bad', type: 'source.function', params: { expr: 'x +', shape: [3] } }, { id: 'save', type: 'export.npy' }], [{ id: 'e2', from: { node: 'bad', port: 'tensor' }, to: { node: 'save', port: 'tensor' } }]));
    const e = await run(doc, ['save']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GraphError);
    const problems = (e as GraphError).problems;
    expect(problems.map((p) => [p.nodeId, p.path])).toEqual([['bad', '$.nodes[4].params.expr']]);
  });

  it('the CLI: --targets runs past an invalid node elsewhere; without --targets the graph is refused', async () => {
    const dir = tempDir('here');
    const file = join(dir, 'g.json');
    writeFileSync(file, JSON.stringify(raw()));
    expect((await cli('run', file, '--out', join(dir, 'all'))).code).toBe(2);
    const r = await cli('run', file, '--targets', 'svd', '--out', join(dir, 'here'));
    expect(r.err).toMatch(/ok: 2 nodes, 2 ran, 0 failed/);
    expect(r.code).toBe(0);
  });
});
