// Bypassing a node (ComfyUI's "bypass"): the graph runs as if the node were a wire from its first
// input of each output's type; its params are kept and not checked; an output with nothing of its
// type to pass on is refused at validation, naming the edge that would get nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputCache, cpuBackend, loadGraph, runGraph, validateGraph, type FileResolver, type GraphDoc, type RunEvent, type Tensor } from '../engine';
import { registry } from '../nodes';
import { cli } from './cli/harness';
import { tempDir } from './temp';

type Edge = [string, string, string, string];
const files: FileResolver = { read: async (p) => Promise.reject(new Error(`no file ${p}`)), fingerprint: async (p) => p };

function graph(nodes: unknown[], edges: Edge[]): GraphDoc {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 'bypass', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

/** A fresh folder holding the graph as g.json. */
function graphFile(doc: GraphDoc): string {
  const dir = tempDir('bypass');
  writeFileSync(join(dir, 'g.json'), JSON.stringify(doc));
  return dir;
}

const source = { id: 'x', type: 'source.synthetic', params: { shape: [12, 10], ranks: [3, 3] } };
const chain = (bypass: boolean, dctParams: object = {}) =>
  graph([source, { id: 'dct', type: 'transform.dct', params: dctParams, ...(bypass ? { bypass: true } : {}) }, { id: 'svd', type: 'decompose.svd', params: { rank: 2 } }], [['x', 'tensor', 'dct', 'tensor'], ['dct', 'tensor', 'svd', 'tensor']]);

describe('bypass', () => {
  it('a bypassed DCT passes its input on: the SVD sees the source itself, and the DCT is not run', async () => {
    const cache = new OutputCache();
    const events: RunEvent[] = [];
    const r = await runGraph(chain(true), { registry, backend: cpuBackend, files, output: { write: async (n) => n }, cache, onEvent: (e) => events.push(e) });
    expect(r.status).toBe('success');
    expect(r.nodes.dct).toEqual({ status: 'bypassed' });
    expect(r.executed).toEqual(['x', 'svd']);
    expect(events).toContainEqual({ type: 'bypassed', node: 'dct' });
    expect(r.outputs.get('dct')!.tensor).toBe(r.outputs.get('x')!.tensor);
    // The same SVD as without the DCT node at all.
    const direct = await runGraph(graph([source, { id: 'svd', type: 'decompose.svd', params: { rank: 2 } }], [['x', 'tensor', 'svd', 'tensor']]), { registry, backend: cpuBackend, files, output: { write: async (n) => n } });
    const s = (id: Map<string, Record<string, unknown>>) => Array.from((id.get('svd')!.svd as { s: Tensor }).s.data);
    expect(s(r.outputs)).toEqual(s(direct.outputs));
    // Not bypassed any more: the DCT runs, and the SVD (of other values) runs again.
    const again = await runGraph(chain(false), { registry, backend: cpuBackend, files, output: { write: async (n) => n }, cache });
    expect(again.executed).toEqual(['dct', 'svd']);
    expect(again.nodes.x!.status).toBe('cached');
  });

  it('a bypassed node’s invalid params and unconnected inputs do not block the run', () => {
    const g = chain(true, { axes: 'not a list' });
    expect(validateGraph(g, registry).problems).toEqual([]);
    expect(validateGraph(chain(false, { axes: 'not a list' }), registry).problems[0]!.message).toMatch(/param 'axes'/);
  });

  it('an output with nothing of its type to pass on is refused at validation, naming the edge', () => {
    const g = graph(
      [source, { id: 'tk', type: 'decompose.tucker', params: { ranks: [2, 2] }, bypass: true }, { id: 'rec', type: 'reconstruct' }],
      [['x', 'tensor', 'tk', 'tensor'], ['tk', 'tucker', 'rec', 'decomposition']],
    );
    expect(validateGraph(g, registry).problems).toEqual([
      {
        code: 'bypassed-output',
        path: '$.edges[1]',
        nodeId: 'tk',
        message: "node 'tk' is bypassed, and its output 'tucker' (tucker) has no connected input of that type to pass on, so 'rec.decomposition' would get nothing; stop bypassing 'tk' or remove edge 'e1'",
      },
    ]);
  });

  it('validation carries shapes through a bypassed node as through a wire', () => {
    const g = graph(
      [source, { id: 'pad', type: 'tensor.pad', params: { widths: [[0, 10]] }, bypass: true }, { id: 'svd', type: 'decompose.svd', params: { rank: 11 } }],
      [['x', 'tensor', 'pad', 'tensor'], ['pad', 'tensor', 'svd', 'tensor']],
    );
    // Padded, the matrix would be 22×20; bypassed, it is the source's 12×10.
    expect(validateGraph(g, registry).problems.map((p) => p.message)).toEqual(["decompose.svd param 'rank': rank 11 exceeds min(12, 10) = 10, the most a 12×10 matrix has; use at most 10"]);
  });

  it('the CLI says which nodes were bypassed, and run.json records it', async () => {
    const dir = graphFile(chain(true));
    const r = await cli('run', join(dir, 'g.json'), '--out', join(dir, 'out'), '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.out + r.err).toMatch(/bypassed dct \(transform\.dct\): its inputs passed on/);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).nodes.dct).toMatchObject({ status: 'bypassed' });
  });
});

describe('--bypass on the command line', () => {
  it('runs the graph with those nodes bypassed, and refuses an id not in the graph', async () => {
    const dir = graphFile(chain(false));
    const r = await cli('run', join(dir, 'g.json'), '--out', join(dir, 'out'), '--backend', 'cpu', '--bypass', 'dct');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).nodes.dct).toMatchObject({ status: 'bypassed' });
    const bad = await cli('run', join(dir, 'g.json'), '--out', join(dir, 'out2'), '--backend', 'cpu', '--bypass', 'dtc');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--bypass: no node 'dtc' in the graph \(nodes: x, dct, svd\)/);
  });
});
