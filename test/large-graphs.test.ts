// Validation of large graphs is linear in their size: 10 000 edges naming missing nodes (each
// used to be compared with every node id: 107 s), a fan-out of one source into 20 000 nodes (the
// ready list was a sorted array), a chain of 50 000 bypassed nodes (each looked through every
// edge). The results are what they were: every problem listed, the run order the file order.
import { describe, expect, it } from 'vitest';
import { adjacency, topologicalOrder } from '../engine/graph/topo';
import { validateGraph } from '../engine';
import { registry } from '../nodes';

const graph = (nodes: object[], edges: object[]) =>
  ({ format: 'corespace.graph', version: 1, name: 'big', nodes: nodes.map((n) => ({ typeVersion: 1, params: {}, ...n })), edges, layout: { positions: {} }, meta: {} }) as never;

describe('large graphs', () => {
  it('10 000 edges from missing nodes: each is reported, the first few with a "did you mean"', () => {
    const n = 10_000;
    const doc = graph(
      Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'metrics.size' })),
      Array.from({ length: n }, (_, i) => ({ id: `e${i}`, from: { node: `n${i}x`, port: 'tensor' }, to: { node: `n${i}`, port: 'value' } })),
    );
    const problems = validateGraph(doc, registry).problems.filter((p) => p.code === 'dangling-edge');
    expect(problems).toHaveLength(n);
    expect(problems[0]!.message).toMatch(/node 'n0x', which is not in the graph.*did you mean 'n0'/);
    expect(problems.filter((p) => /did you mean/.test(p.message)).length).toBeLessThanOrEqual(20);
  });

  it('a fan-out of 20 000 and a chain of 50 000 bypassed nodes validate, in file order', () => {
    const fan = graph(
      [{ id: 'src', type: 'source.synthetic', params: { shape: [4, 4], ranks: [2, 2] } }, ...Array.from({ length: 20_000 }, (_, i) => ({ id: `m${i}`, type: 'metrics.size' }))],
      Array.from({ length: 20_000 }, (_, i) => ({ id: `e${i}`, from: { node: 'src', port: 'tensor' }, to: { node: `m${i}`, port: 'value' } })),
    );
    expect(validateGraph(fan, registry).problems).toEqual([]);
    const order = topologicalOrder(adjacency(fan as never))!;
    expect(order.slice(0, 3)).toEqual(['src', 'm0', 'm1']);
    expect(order.at(-1)).toBe('m19999');
    const chain = graph(
      [{ id: 'src', type: 'source.synthetic', params: { shape: [4, 4], ranks: [2, 2] } }, ...Array.from({ length: 50_000 }, (_, i) => ({ id: `d${i}`, type: 'transform.dct', bypass: true }))],
      Array.from({ length: 50_000 }, (_, i) => ({ id: `e${i}`, from: { node: i ? `d${i - 1}` : 'src', port: 'tensor' }, to: { node: `d${i}`, port: 'tensor' } })),
    );
    const r = validateGraph(chain, registry);
    expect(r.problems).toEqual([]);
    expect(r.bypass.get('d49999')!.get('tensor')).toBe('tensor');
  });

  it('file order wins among ready nodes, whatever the edges order', () => {
    // b and c become ready together when a is done; c comes first in the file.
    const doc = { nodes: [{ id: 'a' }, { id: 'c' }, { id: 'b' }, { id: 'd' }], edges: [{ from: { node: 'a' }, to: { node: 'b' } }, { from: { node: 'a' }, to: { node: 'c' } }, { from: { node: 'c' }, to: { node: 'd' } }] };
    expect(topologicalOrder(adjacency(doc as never))).toEqual(['a', 'c', 'b', 'd']);
  });
});

describe('messages about large or odd inputs', () => {
  it('a cycle of 100 000 nodes is named by its first few and its length', () => {
    const n = 100_000;
    const doc = graph(
      Array.from({ length: n }, (_, i) => ({ id: `d${i}`, type: 'transform.dct' })),
      Array.from({ length: n }, (_, i) => ({ id: `e${i}`, from: { node: `d${i}`, port: 'tensor' }, to: { node: `d${(i + 1) % n}`, port: 'tensor' } })),
    );
    const cycle = validateGraph(doc, registry).problems.find((p) => p.code === 'cycle')!;
    expect(cycle.message).toMatch(/a cycle through 10000[01] nodes: 'd\d+' → .* → … → 'd\d+'/);
    expect(cycle.message.length).toBeLessThan(400);
  });
});
