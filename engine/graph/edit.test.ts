// The pure document edits the editor's undo stack is built on: each returns a new document and
// leaves its argument as it was.
import { describe, expect, it } from 'vitest';
import { addNode, connect, extractFragment, freshId, frameNodes, moveNodes, nodesInFrame, pasteInto, removeFrame, removeItems, setBypass, setCollapsed, setTitle, updateFrame } from './edit';
import { GraphSchema } from './schema';
import type { GraphDoc } from './schema';

const empty = (): GraphDoc => ({ format: 'corespace.graph', version: 1, name: 'g', nodes: [], edges: [], layout: { positions: {} }, meta: {} });

describe('graph edits', () => {
  it('a copy takes the next free number on its stem: compare2 → compare3, not compare22', () => {
    const doc = { format: 'corespace.graph', version: 1, name: 'g', nodes: ['compare', 'compare2', 'e1', 'x9'].map((id) => ({ id, type: 'metrics.compare', params: {} })), edges: [], layout: { positions: {} }, meta: {} } as unknown as GraphDoc;
    expect(freshId(doc, 'compare2')).toBe('compare3');
    expect(freshId(doc, 'compare')).toBe('compare3');
    expect(freshId(doc, 'x9')).toBe('x10');
    expect(freshId(doc, 'dct')).toBe('dct');
    expect(freshId(doc, 'compare2', new Set(['compare3']))).toBe('compare4');
    expect(freshId(doc, 'e1')).toBe('e2');
  });

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

describe('bypass, collapsed nodes and frames', () => {
  const three = () => {
    let d = addNode(empty(), 'source.synthetic', { x: 0, y: 0 }).doc;
    d = addNode(d, 'transform.dct', { x: 300, y: 0 }).doc;
    return addNode(d, 'decompose.svd', { x: 900, y: 400 }).doc;
  };
  const sizes = { synthetic: { width: 200, height: 120 }, dct: { width: 200, height: 100 }, svd: { width: 220, height: 140 } };

  it('bypass is set and cleared on the node (no "bypass: false" left behind)', () => {
    const on = setBypass(three(), ['dct'], true);
    expect(on.nodes.find((n) => n.id === 'dct')!.bypass).toBe(true);
    const off = setBypass(on, ['dct'], false);
    expect('bypass' in off.nodes.find((n) => n.id === 'dct')!).toBe(false);
  });

  it('collapsed ids stay in node order, go when the node is removed, and the layout loses the list when empty', () => {
    let d = setCollapsed(three(), ['svd', 'synthetic'], true);
    expect(d.layout.collapsed).toEqual(['synthetic', 'svd']);
    d = removeItems(d, ['svd']);
    expect(d.layout.collapsed).toEqual(['synthetic']);
    d = setCollapsed(d, ['synthetic'], false);
    expect('collapsed' in d.layout).toBe(false);
  });

  it('a frame around selected nodes holds them; moving it moves them, not the nodes outside', () => {
    const { doc: d, id } = frameNodes(three(), ['synthetic', 'dct'], sizes, 'transform');
    const frame = d.layout.frames![0]!;
    expect(frame).toMatchObject({ id, title: 'transform', x: -24, y: -56, width: 548, height: 200 });
    expect(nodesInFrame(d, frame, sizes)).toEqual(['synthetic', 'dct']);
    const moved = updateFrame(d, id, { x: frame.x + 50, y: frame.y - 10 }, sizes);
    expect(moved.layout.positions).toMatchObject({ synthetic: { x: 50, y: -10 }, dct: { x: 350, y: -10 }, svd: { x: 900, y: 400 } });
    // Resizing from the bottom-right does not move anything.
    expect(updateFrame(d, id, { width: 900 }, sizes).layout.positions).toEqual(d.layout.positions);
    expect(() => frameNodes(three(), [], sizes)).toThrow(/select the nodes/);
    const gone = removeFrame(moved, id);
    expect('frames' in gone.layout).toBe(false);
    expect(gone.layout.positions).toEqual(moved.layout.positions);
  });

  it('frames and collapsed nodes are part of the file format', () => {
    const d = setCollapsed(frameNodes(three(), ['dct'], sizes).doc, ['dct'], true);
    const parsed = GraphSchema.parse(JSON.parse(JSON.stringify(d)));
    expect(parsed.layout.frames).toEqual(d.layout.frames);
    expect(parsed.layout.collapsed).toEqual(['dct']);
  });
});
