// A node's context menu (right-click): run up to here, bypass, collapse, group in a frame,
// duplicate, delete.
import { frameNodes, removeItems, setBypass, setCollapsed } from '../../engine/graph/edit';
import type { GraphDoc } from '../../engine/graph/schema';
import { useEditor } from '../store';

/** A node's context menu: it acts on the node right-clicked, or on the whole selection when that
 * node is part of it. */
export function NodeMenu({ id, at, onClose, onRunTo, onDuplicate }: { id: string; at: { x: number; y: number }; onClose: () => void; onRunTo: (id: string) => void; onDuplicate: (ids: string[]) => void }) {
  const doc = useEditor((s) => s.doc);
  const selected = useEditor((s) => s.selected);
  const ids = selected.includes(id) ? selected : [id];
  const bypassed = ids.every((n) => doc.nodes.find((x) => x.id === n)?.bypass);
  const collapsed = ids.every((n) => doc.layout.collapsed?.includes(n));
  const act = (f: () => void) => () => (f(), onClose());
  const edit = (f: (d: GraphDoc) => GraphDoc) => act(() => useEditor.getState().edit(f));
  return (
    <ul className="cs-menu" style={{ left: at.x, top: at.y }} data-testid="context-menu" onMouseLeave={onClose}>
      <li onClick={act(() => onRunTo(id))}>Run up to here</li>
      <li onClick={edit((d) => setBypass(d, ids, !bypassed))} title="Ctrl+B">
        {bypassed ? 'Stop bypassing' : 'Bypass'}
      </li>
      <li onClick={edit((d) => setCollapsed(d, ids, !collapsed))} title="Alt+C">
        {collapsed ? 'Expand' : 'Collapse'}
      </li>
      <li
        onClick={act(() => {
          const st = useEditor.getState();
          const r = frameNodes(st.doc, ids, st.measured);
          st.edit(r.doc);
          st.set({ selected: [], selectedFrames: [r.id] });
        })}
        title="Ctrl+G"
      >
        Group in a frame
      </li>
      <li onClick={act(() => onDuplicate(ids))}>Duplicate</li>
      <li onClick={edit((d) => removeItems(d, ids))}>Delete</li>
    </ul>
  );
}
