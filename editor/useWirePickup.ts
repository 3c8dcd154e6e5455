// A wire picked up from its input (ComfyUI's habit): pressing a connected input takes the wire off
// it and the drag continues from the wire's output, so it can be dropped on another input (or on
// empty canvas: removed, and the quick-add box offers what could take it). The canvas's onConnect
// and onConnectEnd finish it: the removal and the new wire are one undo step.
import { useEffect, useRef, type RefObject } from 'react';
import { removeItems } from '../engine/graph/edit';
import type { GraphDoc } from '../engine/graph/schema';
import { useEditor } from './store';

/** The document before the wire was picked up, while a picked-up wire is being dragged. */
export function useWirePickup(wrapper: RefObject<HTMLDivElement | null>): RefObject<GraphDoc | null> {
  const pickedUp = useRef<GraphDoc | null>(null);
  useEffect(() => {
    const el = wrapper.current;
    if (!el) return;
    const onDown = (e: MouseEvent) => {
      if (e.button !== 0 || !e.isTrusted) return;
      const handle = (e.target as HTMLElement).closest<HTMLElement>('.react-flow__handle.target');
      if (!handle) return;
      const st = useEditor.getState();
      const edge = st.doc.edges.find((x) => x.to.node === handle.dataset.nodeid && x.to.port === handle.dataset.handleid);
      if (!edge) return;
      const output = el.querySelector<HTMLElement>(`.react-flow__handle.source[data-nodeid="${CSS.escape(edge.from.node)}"][data-handleid="${CSS.escape(edge.from.port)}"]`);
      if (!output) return;
      // Keep React Flow from starting a wire out of the input; start one from the output instead,
      // under the pointer (the press that follows is React Flow's own connection drag).
      e.stopPropagation();
      e.preventDefault();
      pickedUp.current = st.doc;
      st.setTransient(removeItems(st.doc, [], [edge.id]));
      st.set({ selectedEdges: st.selectedEdges.filter((x) => x !== edge.id) });
      output.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true, clientX: e.clientX, clientY: e.clientY, screenX: e.screenX, screenY: e.screenY, button: 0, buttons: 1, view: window }));
      // A press without a drag starts no connection (and ends none): the wire goes back.
      document.addEventListener(
        'mouseup',
        () => {
          if (!pickedUp.current) return;
          useEditor.getState().setTransient(pickedUp.current);
          pickedUp.current = null;
        },
        { once: true },
      );
    };
    el.addEventListener('mousedown', onDown, true);
    return () => el.removeEventListener('mousedown', onDown, true);
  }, []);
  return pickedUp;
}
