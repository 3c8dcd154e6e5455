// Staleness of results: a param change marks the node and everything downstream; a change in a
// parallel branch marks nothing else; moving a node (layout) marks nothing.
import { describe, expect, it } from 'vitest';
import { addNode, connect, moveNodes, setParams } from '../engine/graph/edit';
import type { GraphDoc } from '../engine/graph/schema';
import { signatures, staleReason } from './stale';
import { emptyGraph } from './store';

function chain(): { doc: GraphDoc; ids: Record<string, string> } {
  let doc = emptyGraph();
  const ids: Record<string, string> = {};
  for (const [k, type] of [['src', 'source.synthetic'], ['dct', 'transform.dct'], ['tk', 'decompose.tucker'], ['other', 'source.function']] as const) {
    const r = addNode(doc, type, { x: 0, y: 0 });
    doc = r.doc;
    ids[k] = r.id;
  }
  doc = connect(doc, { node: ids.src!, port: 'tensor' }, { node: ids.dct!, port: 'tensor' });
  doc = connect(doc, { node: ids.dct!, port: 'tensor' }, { node: ids.tk!, port: 'tensor' });
  return { doc, ids };
}

describe('stale results', () => {
  it('a param change makes the node stale (params) and its descendants stale (input), nothing else', () => {
    const { doc, ids } = chain();
    const before = signatures(doc);
    const after = signatures(setParams(doc, ids.src!, { noise: 0.1 }));
    const why = (k: string) => staleReason(before.get(ids[k]!), after.get(ids[k]!));
    expect(why('src')).toBe('stale — params changed');
    expect(why('dct')).toBe('stale — an input changed');
    expect(why('tk')).toBe('stale — an input changed');
    expect(why('other')).toBeNull();
  });

  it('moving nodes or re-saving the same params changes no signature; a removed wire does', () => {
    const { doc, ids } = chain();
    const before = signatures(doc);
    const moved = signatures(moveNodes(setParams(doc, ids.dct!, {}), { [ids.src!]: { x: 500, y: 20 } }));
    for (const id of Object.values(ids)) expect(staleReason(before.get(id), moved.get(id))).toBeNull();
    const unwired = { ...doc, edges: doc.edges.slice(1) };
    expect(staleReason(before.get(ids.dct!), signatures(unwired).get(ids.dct!))).toBe('stale — an input changed');
    expect(staleReason(undefined, before.get(ids.dct!))).toBeNull();
  });
});
