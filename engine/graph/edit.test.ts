// The pure document edits the editor's undo stack is built on: each returns a new document and
// leaves its argument as it was.
import { describe, expect, it } from 'vitest';
import { addNode, connect, extractFragment, moveNodes, pasteInto, removeItems, setTitle } from './edit';
import type { GraphDoc } from './schema';

const empty = (): GraphDoc => ({ format: 'corespace.graph', version: 1, name: 'g', nodes: [], edges: [], layout: { positions: {} }, meta: {} });

describe('graph edits', () => {
  it('adds nodes under fresh ids with positions, and leaves the old document alone', () => {
    const d0 = empty();
    const a = addNode(d0, 'decompose.tucker', { x: 1, y: 2 });
    const b = addNode(a.doc, 'decompose.tucker', { x: 3, y: 4 });
    expect([a.id, b.id]).toEqual(['tucker', 'tucker2']);
    expect(b.doc.layout.positions).toEqual({ tucker: { x: 1, y: 2 }, tucker2: { x: 3, y: 4 } });
    expect(d0.nodes).toEqual([]);
  });

  it('keeps one edge per input (a new one replaces the old) and removes nodes with their edges', () => {
    let d = addNode(addNode(addNode(empty(), 'source.synthetic', { x: 0, y: 0 }).doc, 'source.synthetic', { x: 0, y: 0 }).doc, 'decompose.tucker', { x: 0, y: 0 }).doc;
    d = connect(d, { node: 'synthetic', port: 'tensor' }, { node: 'tucker', port: 'tensor' });
    d = connect(d, { node: 'synthetic2', port: 'tensor' }, { node: 'tucker', port: 'tensor' });
    expect(d.edges.map((e) => e.from.node)).toEqual(['synthetic2']);
    expect(new Set(d.edges.map((e) => e.id)).size).toBe(d.edges.length);
    const r = removeItems(d, ['synthetic2']);
    expect(r.edges).toEqual([]);
    expect(Object.keys(r.layout.positions).sort()).toEqual(['synthetic', 'tucker']);
    expect(d.edges).toHaveLength(1);
  });

  it('copy and paste: a fragment keeps the edges among its nodes and pastes under fresh ids, shifted', () => {
    let d = addNode(empty(), 'source.synthetic', { x: 10, y: 20 }, { shape: [4, 4] }).doc;
    d = addNode(d, 'decompose.tucker', { x: 300, y: 20 }, { ranks: [2, 2] }).doc;
    d = addNode(d, 'reconstruct', { x: 600, y: 20 }).doc;
    d = connect(d, { node: 'synthetic', port: 'tensor' }, { node: 'tucker', port: 'tensor' });
    d = connect(d, { node: 'tucker', port: 'tucker' }, { node: 'reconstruct', port: 'decomposition' });
    const frag = extractFragment(d, ['synthetic', 'tucker']);
    expect(frag.edges).toHaveLength(1);
    const pasted = pasteInto(d, JSON.parse(JSON.stringify(frag)), { x: 40, y: 40 });
    expect(pasted.ids).toEqual(['synthetic2', 'tucker2']);
    expect(pasted.doc.edges.at(-1)).toMatchObject({ from: { node: 'synthetic2' }, to: { node: 'tucker2' } });
    expect(pasted.doc.layout.positions.tucker2).toEqual({ x: 340, y: 60 });
    expect(pasted.doc.nodes.find((n) => n.id === 'tucker2')!.params).toEqual({ ranks: [2, 2] });
    expect(d.nodes).toHaveLength(3);
  });

  it('moves nodes and sets or clears titles', () => {
    const d = addNode(empty(), 'reconstruct', { x: 0, y: 0 }).doc;
    expect(moveNodes(d, { reconstruct: { x: 5, y: 6 } }).layout.positions.reconstruct).toEqual({ x: 5, y: 6 });
    const t = setTitle(d, 'reconstruct', 'mine');
    expect(t.nodes[0]!.title).toBe('mine');
    expect('title' in setTitle(t, 'reconstruct', '').nodes[0]!).toBe(false);
  });
});
