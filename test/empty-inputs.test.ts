// Inputs that would make a node report nonsense with exit 0 are refused instead, naming the node,
// the param or input and the fix: an empty (0, 8) array into metrics.size (compressionRatio NaN),
// tensor.reshape [0, -1] (numpy refuses it), transform.chebyshev (a 0-point expansion), and a rank
// sweep over a text param (a NaN x column).
import { describe, expect, it } from 'vitest';
import { OutputCache, Tensor, cpuBackend, loadGraph, runGraph, validateGraph, writeNpy, type FileResolver } from '../engine';
import { registry } from '../nodes';

const empty: FileResolver = { read: async () => writeNpy(new Tensor([0, 8], new Float32Array(0))), fingerprint: async (p) => p };

async function runOnEmpty(node: { id: string; type: string; params?: object }, port = 'tensor') {
  const r = loadGraph(
    { format: 'corespace.graph', version: 1, name: 'e', nodes: [{ id: 'src', type: 'source.npy', params: { path: 'e.npy' } }, node], edges: [{ id: 'e1', from: { node: 'src', port: 'tensor' }, to: { node: node.id, port } }] },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return runGraph(r.doc, { registry, backend: cpuBackend, files: empty, output: { write: async (n: string) => n }, cache: new OutputCache() });
}

describe('empty and non-numeric inputs', () => {
  it('metrics.size of a (0, 8) array fails saying it stores no numbers', async () => {
    const r = await runOnEmpty({ id: 'size', type: 'metrics.size' }, 'value');
    expect(r.nodes.src!.status).toBe('done');
    expect(r.nodes.size!.status).toBe('error');
    expect(r.nodes.size!.error).toMatch(/node 'size' \(metrics\.size\).*input 'value' stores no numbers/);
  });

  it('tensor.reshape [0, -1] of a (0, 8) array is refused as numpy refuses it', async () => {
    const r = await runOnEmpty({ id: 'rs', type: 'tensor.reshape', params: { shape: [0, -1] } });
    expect(r.nodes.rs!.status).toBe('error');
    expect(r.nodes.rs!.error).toMatch(/cannot infer the -1 of \[0×-1\]|cannot infer the -1/);
    // A shape with every size given still works.
    const ok = await runOnEmpty({ id: 'rs', type: 'tensor.reshape', params: { shape: [8, 0] } });
    expect(ok.nodes.rs!.status).toBe('done');
  });

  it('transform.chebyshev of (0, 8) samples fails, as decompose.chebyshev-tucker does', async () => {
    const r = await runOnEmpty({ id: 'ch', type: 'transform.chebyshev', params: { domain: [[-1, 1]] } }, 'samples');
    expect(r.nodes.ch!.status).toBe('error');
    expect(r.nodes.ch!.error).toMatch(/input 'samples' has shape \[0×8\]: every axis needs at least one sample/);
  });

  it('sweep.rank over a text param is refused at validation, saying what to do instead', () => {
    const r = loadGraph(
      {
        format: 'corespace.graph',
        version: 1,
        name: 's',
        nodes: [
          { id: 'x', type: 'source.synthetic', params: { shape: [8, 8], ranks: [2, 2] } },
          { id: 'svd', type: 'decompose.svd', params: { rank: 2 } },
          { id: 'sweep', type: 'sweep.rank', params: { node: 'svd', param: 'method', values: ['exact', 'randomized'] } },
        ],
        edges: [{ id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 'svd', port: 'tensor' } }],
      },
      registry,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const problems = validateGraph(r.doc, registry).problems;
    expect(problems.map((p) => [p.nodeId, p.message])).toEqual([['sweep', expect.stringMatching(/param 'values'.*value 0 \("exact"\) is not a number or a list of numbers/)]]);
  });
});
