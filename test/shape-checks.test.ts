// Shapes known before running (a source of a given shape, carried through reshape, permute, pad,
// DCT) let validation refuse params that cannot fit them — a rank above a mode's size — instead
// of the run finding out; shapes from files are not known, and the run still checks them.
import { describe, expect, it } from 'vitest';
import { OutputCache, Tensor, cpuBackend, loadGraph, runGraph, validateGraph, writeNpy, type FileResolver } from '../engine';
import { registry } from '../nodes';

type Edge = [string, string, string, string];

function doc(nodes: unknown[], edges: Edge[]) {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 's', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const problemsOf = (nodes: unknown[], edges: Edge[]) => validateGraph(doc(nodes, edges), registry).problems.map((p) => `${p.path}: ${p.message}`);

const synthetic = { id: 'x', type: 'source.synthetic', params: { shape: [32, 24, 16], ranks: [4, 4, 4] } };

describe('validation knows the shapes it can', () => {
  it('Tucker ranks above a mode of a synthetic source are refused, naming the param, the mode and the input', () => {
    expect(problemsOf([synthetic, { id: 't', type: 'decompose.tucker', params: { ranks: [40, 4, 20] } }], [['x', 'tensor', 't', 'tensor']])).toEqual([
      "$.nodes[1].params.ranks: decompose.tucker param 'ranks': rank 40 on mode 0 exceeds that mode's size 32 (the input [32×24×16]); use at most 32",
      "$.nodes[1].params.ranks: decompose.tucker param 'ranks': rank 20 on mode 2 exceeds that mode's size 16 (the input [32×24×16]); use at most 16",
    ]);
    expect(problemsOf([synthetic, { id: 't', type: 'decompose.tucker', params: { ranks: [4, 4, 4, 4] } }], [['x', 'tensor', 't', 'tensor']])[0]).toMatch(/4 ranks for the 3 modes of the input \[32×24×16\]/);
    expect(problemsOf([synthetic, { id: 't', type: 'decompose.tucker', params: { ranks: [20], modes: [2] } }], [['x', 'tensor', 't', 'tensor']])[0]).toMatch(/rank 20 on mode 2 exceeds that mode's size 16/);
    expect(problemsOf([synthetic, { id: 't', type: 'decompose.tucker', params: { ranks: [32, 24, 16] } }], [['x', 'tensor', 't', 'tensor']])).toEqual([]);
  });

  it('shapes are carried through permute, reshape, pad and DCT to an SVD rank', () => {
    const nodes: { id: string; type: string; params: object }[] = [
      { id: 'f', type: 'source.function', params: { expr: 'x*y', shape: [8, 4, 5] } },
      { id: 'p', type: 'tensor.permute', params: { axes: [1, 2, 0] } }, // [4, 5, 8]
      { id: 'r', type: 'tensor.reshape', params: { shape: [-1, 8] } }, // [20, 8]
      { id: 'pad', type: 'tensor.pad', params: { widths: [[0, 0], [1, 1]] } }, // [20, 10]
      { id: 'd', type: 'transform.dct', params: {} },
      { id: 's', type: 'decompose.svd', params: { rank: 11 } },
    ];
    const edges: Edge[] = [['f', 'tensor', 'p', 'tensor'], ['p', 'tensor', 'r', 'tensor'], ['r', 'tensor', 'pad', 'tensor'], ['pad', 'tensor', 'd', 'tensor'], ['d', 'tensor', 's', 'tensor']];
    expect(problemsOf(nodes, edges)).toEqual(["$.nodes[5].params.rank: decompose.svd param 'rank': rank 11 exceeds min(20, 10) = 10, the most a 20×10 matrix has; use at most 10"]);
    nodes[5] = { id: 's', type: 'decompose.svd', params: { rank: 10 } };
    expect(problemsOf(nodes, edges)).toEqual([]);
    nodes[5] = { id: 's', type: 'decompose.svd', params: { rank: 3, mode: 3 } };
    expect(problemsOf(nodes, edges)[0]).toMatch(/param 'mode': mode 3 is out of range for the input \[20×10\]/);
    nodes[1] = { id: 'p', type: 'tensor.permute', params: { axes: [1, 1, 0] } };
    expect(problemsOf(nodes, edges)[0]).toMatch(/tensor\.permute param 'axes': \[1, 1, 0\] is not a permutation of the 3 axes of the input \[8×4×5\]/);
    nodes[1] = { id: 'p', type: 'tensor.permute', params: { axes: [1, 2, 0] } };
    nodes[2] = { id: 'r', type: 'tensor.reshape', params: { shape: [7, -1] } };
    expect(problemsOf(nodes, edges)[0]).toMatch(/tensor\.reshape param 'shape': \[7, -1\] does not hold the 160 entries of the input \[4×5×8\]/);
  });

  it('an SVD of a 3-D source without a mode, and a TT reshape of the wrong size, are refused', () => {
    expect(problemsOf([synthetic, { id: 's', type: 'decompose.svd', params: { rank: 2 } }], [['x', 'tensor', 's', 'tensor']])[0]).toMatch(/param 'mode': the input \[32×24×16\] is not a matrix: set 'mode'/);
    expect(problemsOf([synthetic, { id: 's', type: 'decompose.svd', params: { rank: 30, mode: 1 } }], [['x', 'tensor', 's', 'tensor']])[0]).toMatch(/rank 30 exceeds min\(24, 512\) = 24, the most the mode-1 unfolding \(24×512\) of the input \[32×24×16\] has/);
    expect(problemsOf([synthetic, { id: 't', type: 'decompose.tt', params: { maxRank: 2, reshape: [4, 4, 4] } }], [['x', 'tensor', 't', 'tensor']])[0]).toMatch(/param 'reshape': \[4×4×4\] holds 64 entries but the input \[32×24×16\] has 12288/);
  });

  it('a shape from a file is not known at validation: the run still refuses the rank, naming the node', async () => {
    const nodes = [{ id: 'n', type: 'source.npy', params: { path: 'a.npy' } }, { id: 't', type: 'decompose.tucker', params: { ranks: [9, 2] } }];
    const g = doc(nodes, [['n', 'tensor', 't', 'tensor']]);
    expect(validateGraph(g, registry).problems).toEqual([]);
    const files: FileResolver = { read: async () => writeNpy(new Tensor([8, 8])), fingerprint: async (p) => p };
    const r = await runGraph(g, { registry, backend: cpuBackend, files, output: { write: async (n) => n }, cache: new OutputCache() });
    expect(r.nodes.t!.error).toMatch(/node 't' \(decompose\.tucker\): rank 9 on mode 0 exceeds that mode's size 8/);
  });
});
