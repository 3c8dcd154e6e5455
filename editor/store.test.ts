// The editor store's history and selection: an undo never leaves a removed node selected, and
// typing that ends where it began leaves no step in the history.
import { describe, expect, it } from 'vitest';
import { addNode, setParams } from '../engine/graph/edit';
import { emptyGraph, useEditor } from './store';

const fresh = () => useEditor.getState().open('g', emptyGraph());

describe('editor store', () => {
  it('an undo that removes the selected node drops it from the selection (and frames, wires, red fields with it)', () => {
    fresh();
    const st = useEditor.getState();
    const a = addNode(st.doc, 'source.synthetic', { x: 0, y: 0 });
    st.edit(a.doc);
    const b = addNode(useEditor.getState().doc, 'transform.dct', { x: 300, y: 0 });
    useEditor.getState().edit(b.doc);
    useEditor.getState().set({ selected: [a.id, b.id], invalidFields: { [`${b.id}.axes`]: 'bad', [`${a.id}.noise`]: 'bad' } });
    useEditor.getState().undo();
    expect(useEditor.getState().selected).toEqual([a.id]);
    expect(Object.keys(useEditor.getState().invalidFields)).toEqual([`${a.id}.noise`]);
    // Redo brings the node back, not its selection.
    useEditor.getState().redo();
    expect(useEditor.getState().selected).toEqual([a.id]);
    expect(useEditor.getState().doc.nodes.map((n) => n.id)).toEqual([a.id, b.id]);
  });

  it('merged edits that return to where they began leave no history step; others make one', () => {
    fresh();
    const a = addNode(useEditor.getState().doc, 'source.synthetic', { x: 0, y: 0 });
    useEditor.getState().edit(a.doc);
    const steps = () => useEditor.getState().past.length;
    expect(steps()).toBe(1);
    const typed = (noise?: number) =>
      useEditor.getState().edit((d) => setParams(d, a.id, noise === undefined ? {} : { noise }), `param:${a.id}:noise`);
    typed(5);
    typed(50);
    expect(steps()).toBe(2);
    typed(undefined); // the field turned red: back to the value at focus (unset)
    expect(steps()).toBe(1);
    expect(useEditor.getState().doc.nodes[0]!.params).toEqual({});
    typed(0.5);
    expect(steps()).toBe(2);
    useEditor.getState().undo();
    expect(useEditor.getState().doc.nodes[0]!.params).toEqual({});
  });

  it('opening a graph clears the notice and red fields of the last one', () => {
    useEditor.getState().set({ notice: 'old', invalidFields: { 'x.noise': 'bad' } });
    fresh();
    expect(useEditor.getState().notice).toBeNull();
    expect(useEditor.getState().invalidFields).toEqual({});
  });
});
