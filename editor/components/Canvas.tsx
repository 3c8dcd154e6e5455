// The React Flow canvas: nodes and edges derived from the document; drops from the palette,
// connections checked by port type (a refused one says why), one edge per input, deletion,
// dragging as one undo step, the quick-add box on double-click or "/", a node context menu, a
// minimap that can be hidden.
import { Background, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow, useStore, type Connection, type FinalConnectionState, type NodeChange, type EdgeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { connect, moveNodes, removeItems } from '../../engine/graph/edit';
import type { GraphDoc } from '../../engine/graph/schema';
import { connectionProblem, toFlowEdges, toFlowNodes } from '../flow';
import { addAndSelect, useEditor } from '../store';
import { MINIMAP, useFitView } from '../useFitView';
import { GraphNode } from './GraphNode';
import { DRAG_TYPE } from './Palette';
import { SearchBox } from './SearchBox';

const nodeTypes = { corespace: GraphNode };

/** Keeps `--cs-zoom` on the canvas at the view's zoom, so a handle's hit area (styles.css) keeps
 * its size on screen as the view zooms out. */
function ZoomVar({ target }: { target: RefObject<HTMLDivElement | null> }) {
  const zoom = useStore((s) => s.transform[2]);
  useEffect(() => target.current?.style.setProperty('--cs-zoom', String(zoom)), [zoom, target]);
  return null;
}

export function Canvas({ onRunTo, onDuplicate, onPointer }: { onRunTo: (id: string) => void; onDuplicate: (ids: string[]) => void; onPointer: (at: { x: number; y: number } | null) => void }) {
  const doc = useEditor((s) => s.doc);
  const selected = useEditor((s) => s.selected);
  const measured = useEditor((s) => s.measured);
  const nodes = useMemo(() => toFlowNodes(doc, selected, measured), [doc, selected, measured]);
  const edges = useMemo(() => toFlowEdges(doc), [doc]);
  const flow = useReactFlow();
  const dragStart = useRef<GraphDoc | null>(null);
  const [search, setSearch] = useState<{ screen: { x: number; y: number }; flow: { x: number; y: number } } | null>(null);
  const [menu, setMenu] = useState<{ id: string; x: number; y: number } | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const graphId = useEditor((s) => s.graphId);
  const minimap = useEditor((s) => s.minimap);
  const fitView = useFitView();
  // Another graph opened: show all of it.
  useEffect(() => {
    const t = setTimeout(fitView, 60);
    return () => clearTimeout(t);
  }, [graphId, fitView]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const st = useEditor.getState();
    const moves: Record<string, { x: number; y: number }> = {};
    let sel: string[] | null = null;
    const dims: Record<string, { width: number; height: number }> = {};
    let dragging = false;
    let dragEnded = false;
    for (const c of changes) {
      if (c.type === 'position' && c.position) {
        moves[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
        if (c.dragging) dragging = true;
        else dragEnded = true;
      } else if (c.type === 'position' && c.dragging === false) dragEnded = true;
      else if (c.type === 'select') {
        sel ??= [...st.selected];
        sel = c.selected ? [...new Set([...sel, c.id])] : sel.filter((x) => x !== c.id);
      } else if (c.type === 'dimensions' && c.dimensions) dims[c.id] = { width: c.dimensions.width, height: c.dimensions.height };
    }
    if (Object.keys(dims).length) st.set({ measured: { ...st.measured, ...dims } });
    if (sel) st.set({ selected: sel });
    if (Object.keys(moves).length) {
      if (dragging && !dragStart.current) dragStart.current = st.doc;
      const next = moveNodes(useEditor.getState().doc, moves);
      if (dragging) useEditor.getState().setTransient(next);
      else if (dragStart.current) useEditor.getState().setTransient(next);
      else useEditor.getState().edit(next);
    }
    if (dragEnded && dragStart.current) {
      useEditor.getState().commitFrom(dragStart.current);
      dragStart.current = null;
    }
  }, []);

  // Edge removals arrive with the node deletions that cause them: all are applied in onDelete, one
  // undo step.
  const onEdgesChange = useCallback((_: EdgeChange[]) => {}, []);

  const onDelete = useCallback(({ nodes: gone, edges: goneEdges }: { nodes: { id: string }[]; edges: { id: string }[] }) => {
    const ids = gone.map((n) => n.id);
    const st = useEditor.getState();
    st.edit((d) => removeItems(d, ids, goneEdges.map((e) => e.id)));
    st.set({ selected: st.selected.filter((id) => !ids.includes(id)) });
  }, []);

  const isValidConnection = useCallback((c: Connection | { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }) => {
    if (!c.sourceHandle || !c.targetHandle) return false;
    return connectionProblem(useEditor.getState().doc, { node: c.source, port: c.sourceHandle }, { node: c.target, port: c.targetHandle }) === null;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (!c.sourceHandle || !c.targetHandle) return;
    const from = { node: c.source, port: c.sourceHandle };
    const to = { node: c.target, port: c.targetHandle };
    const problem = connectionProblem(useEditor.getState().doc, from, to);
    if (problem) useEditor.getState().set({ notice: problem });
    else useEditor.getState().edit((d) => connect(d, from, to));
  }, []);

  const onConnectEnd = useCallback((_: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
    const [out, input] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
    const problem = connectionProblem(useEditor.getState().doc, { node: out.nodeId, port: out.id ?? '' }, { node: input.nodeId, port: input.id ?? '' });
    if (problem) useEditor.getState().set({ notice: problem });
  }, []);

  const add = useCallback((type: string, at: { x: number; y: number }) => void addAndSelect(type, at), []);

  const openSearch = (clientX: number, clientY: number) => {
    const box = wrapper.current!.getBoundingClientRect();
    setSearch({ screen: { x: clientX - box.left, y: clientY - box.top }, flow: flow.screenToFlowPosition({ x: clientX, y: clientY }) });
  };

  return (
    <div
      className="cs-canvas"
      ref={wrapper}
      data-testid="canvas"
      tabIndex={-1}
      onPointerMove={(e) => onPointer({ x: e.clientX, y: e.clientY })}
      onPointerLeave={() => onPointer(null)}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
        }
      }}
      onDrop={(e) => {
        const type = e.dataTransfer.getData(DRAG_TYPE);
        if (!type) return;
        e.preventDefault();
        add(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
      }}
      onDoubleClick={(e) => {
        if ((e.target as HTMLElement).classList.contains('react-flow__pane')) openSearch(e.clientX, e.clientY);
      }}
      onKeyDown={(e) => {
        if (e.key === '/' && !(e.target instanceof HTMLInputElement)) {
          e.preventDefault();
          const box = wrapper.current!.getBoundingClientRect();
          openSearch(box.left + box.width / 2, box.top + box.height / 3);
        }
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeContextMenu={(e, n) => {
          e.preventDefault();
          const box = wrapper.current!.getBoundingClientRect();
          setMenu({ id: n.id, x: e.clientX - box.left, y: e.clientY - box.top });
        }}
        onPaneClick={() => setMenu(null)}
        zoomOnDoubleClick={false}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
      >
        <ZoomVar target={wrapper} />
        <Background />
        <Controls showFitView={false}>
          <ControlButton className="react-flow__controls-fitview" onClick={fitView} title="fit view (F)" aria-label="fit view">
            ⛶
          </ControlButton>
          <ControlButton onClick={() => useEditor.getState().set({ minimap: !minimap })} title={minimap ? 'hide the minimap' : 'show the minimap'} aria-pressed={minimap} data-testid="minimap-toggle">
            ▣
          </ControlButton>
        </Controls>
        {minimap && <MiniMap pannable zoomable style={{ width: MINIMAP.width, height: MINIMAP.height }} />}
      </ReactFlow>
      {search && (
        <SearchBox
          at={search.screen}
          onClose={() => setSearch(null)}
          onPick={(type) => {
            add(type, search.flow);
            setSearch(null);
          }}
        />
      )}
      {menu && (
        <ul className="cs-menu" style={{ left: menu.x, top: menu.y }} data-testid="context-menu" onMouseLeave={() => setMenu(null)}>
          <li onClick={() => (onRunTo(menu.id), setMenu(null))}>Run up to here</li>
          <li onClick={() => (onDuplicate([menu.id]), setMenu(null))}>Duplicate</li>
          <li
            onClick={() => {
              useEditor.getState().edit((d) => removeItems(d, [menu.id]));
              setMenu(null);
            }}
          >
            Delete
          </li>
        </ul>
      )}
    </div>
  );
}
