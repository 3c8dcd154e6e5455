// The React Flow canvas: nodes and edges derived from the document; drops from the palette,
// connections checked by port type (a refused one says why), one edge per input, deletion,
// dragging as one undo step, the quick-add box on double-click or "/" (or a wire dropped on empty
// canvas), a context menu (run to here, bypass, collapse, duplicate, delete), frames that carry the
// nodes inside them, a minimap that can be hidden.
import { Background, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow, useStore, type Connection, type FinalConnectionState, type NodeChange, type EdgeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { addNode, connect, moveNodes, nodesInFrame, removeFrame, removeItems, updateFrame } from '../../engine/graph/edit';
import { accepts, findNode } from '../../engine/node-api';
import { registry } from '../../nodes';
import { compatibleNodes, type Candidate } from '../compatible';
import type { GraphDoc } from '../../engine/graph/schema';
import { connectionProblem, frameOf, toFlowEdges, toFlowFrames, toFlowNodes } from '../flow';
import { addAndSelect, useEditor } from '../store';
import { MINIMAP, zoomAbout } from '../fit';
import { useFitView } from '../useFitView';
import { useWirePickup } from '../useWirePickup';
import { FrameNode } from './FrameNode';
import { GraphNode } from './GraphNode';
import { NodeMenu } from './NodeMenu';
import { DRAG_TYPE } from './Palette';
import { SearchBox } from './SearchBox';

const nodeTypes = { corespace: GraphNode, frame: FrameNode };

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
  const selectedFrames = useEditor((s) => s.selectedFrames);
  const measured = useEditor((s) => s.measured);
  const nodes = useMemo(() => [...toFlowFrames(doc, selectedFrames), ...toFlowNodes(doc, selected, measured)], [doc, selected, selectedFrames, measured]);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const edges = useMemo(() => toFlowEdges(doc, selectedEdges), [doc, selectedEdges]);
  const flow = useReactFlow();
  const dragStart = useRef<GraphDoc | null>(null);
  // The quick-add box; opened by a wire dropped on empty canvas, it offers what that wire can end
  // at and connects the node it adds.
  const [search, setSearch] = useState<{ screen: { x: number; y: number }; flow: { x: number; y: number }; wire?: { node: string; port: string; side: 'source' | 'target'; types: string; candidates: Candidate[] } } | null>(null);
  const [menu, setMenu] = useState<{ id: string; x: number; y: number; frame: boolean } | null>(null);
  // Esc closes an open context menu (as it closes dialogs), and does only that: taken before React
  // Flow sees it, whose focused node would otherwise drop out of the selection.
  useEffect(() => {
    if (!menu) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setMenu(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [menu]);
  const wrapper = useRef<HTMLDivElement>(null);
  const graphId = useEditor((s) => s.graphId);
  const minimap = useEditor((s) => s.minimap);
  const fitView = useFitView();
  /** Zooms about the selection, or else the nodes in view: what the user looks at stays on screen
   * (about the canvas centre, "+" pushed a lone node in a corner out of view). */
  const zoomBy = (factor: number) => {
    const view = flow.getViewport();
    const box = wrapper.current!.getBoundingClientRect();
    const { selected } = useEditor.getState();
    const all = flow.getNodes();
    const picked = all.filter((n) => selected.includes(n.id));
    // Nodes with any part on screen.
    const visible = all.filter((n) => {
      const a = flow.flowToScreenPosition(n.position);
      const b = flow.flowToScreenPosition({ x: n.position.x + (n.measured?.width ?? 0), y: n.position.y + (n.measured?.height ?? 0) });
      return a.x < box.right && b.x > box.left && a.y < box.bottom && b.y > box.top;
    });
    const focus = picked.length ? picked : visible;
    let anchor = { x: box.width / 2, y: box.height / 2 };
    if (focus.length) {
      const b = flow.getNodesBounds(focus);
      anchor = { x: (b.x + b.width / 2) * view.zoom + view.x, y: (b.y + b.height / 2) * view.zoom + view.y };
    }
    // At once, not animated: a click during an animation would compound on an in-between zoom.
    void flow.setViewport(zoomAbout(view, factor, anchor, { min: 0.05, max: 2 }));
  };
  // Another graph opened: show all of it.
  useEffect(() => {
    const t = setTimeout(fitView, 60);
    return () => clearTimeout(t);
  }, [graphId, fitView]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const st = useEditor.getState();
    const moves: Record<string, { x: number; y: number }> = {};
    const frameMoves: Record<string, { x: number; y: number }> = {};
    let sel: string[] | null = null;
    let frameSel: string[] | null = null;
    const dims: Record<string, { width: number; height: number }> = {};
    let dragging = false;
    let dragEnded = false;
    for (const c of changes) {
      const frame = 'id' in c ? frameOf(c.id) : null;
      if (frame !== null && c.type === 'select') {
        frameSel ??= [...st.selectedFrames];
        frameSel = c.selected ? [...new Set([...frameSel, frame])] : frameSel.filter((x) => x !== frame);
        continue;
      }
      // A frame's size is the document's (its corner handle edits it), never a measurement.
      if (frame !== null && c.type === 'dimensions') continue;
      if (c.type === 'position' && c.position) {
        (frame !== null ? frameMoves : moves)[frame ?? c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
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
    if (frameSel) st.set({ selectedFrames: frameSel });
    if (Object.keys(moves).length || Object.keys(frameMoves).length) {
      if (dragging && !dragStart.current) dragStart.current = st.doc;
      // A frame carries the nodes that were inside it when the drag began (from the doc of that
      // moment, so a node the frame passes over is not picked up); other nodes go where dragged.
      const base = dragStart.current ?? st.doc;
      let next = useEditor.getState().doc;
      const carried = new Set<string>();
      for (const [id, at] of Object.entries(frameMoves)) {
        const f = base.layout.frames?.find((x) => x.id === id);
        if (!f) continue;
        for (const n of nodesInFrame(base, f, st.measured)) carried.add(n);
        const moved = updateFrame(base, id, at, st.measured);
        next = { ...next, layout: { ...next.layout, frames: moved.layout.frames!, positions: { ...next.layout.positions, ...Object.fromEntries([...carried].map((n) => [n, moved.layout.positions[n]!])) } } };
      }
      next = moveNodes(next, Object.fromEntries(Object.entries(moves).filter(([id]) => !carried.has(id))));
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
  // Wires are selected by a click (Shift adds); removal goes through onDelete.
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const st = useEditor.getState();
    let sel: string[] | null = null;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      sel ??= [...st.selectedEdges];
      sel = c.selected ? [...new Set([...sel, c.id])] : sel.filter((x) => x !== c.id);
    }
    if (sel) st.set({ selectedEdges: sel });
  }, []);

  const onDelete = useCallback(({ nodes: gone, edges: goneEdges }: { nodes: { id: string }[]; edges: { id: string }[] }) => {
    const frames = gone.map((n) => frameOf(n.id)).filter((f) => f !== null);
    const ids = gone.map((n) => n.id).filter((id) => frameOf(id) === null);
    const st = useEditor.getState();
    st.edit((d) => frames.reduce(removeFrame, removeItems(d, ids, goneEdges.map((e) => e.id))));
    const edgesGone = new Set(goneEdges.map((e) => e.id));
    st.set({ selected: st.selected.filter((id) => !ids.includes(id)), selectedFrames: st.selectedFrames.filter((f) => !frames.includes(f)), selectedEdges: st.selectedEdges.filter((e) => !edgesGone.has(e)) });
  }, []);

  const pickedUp = useWirePickup(wrapper);

  const isValidConnection = useCallback((c: Connection | { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }) => {
    if (!c.sourceHandle || !c.targetHandle) return false;
    return connectionProblem(useEditor.getState().doc, { node: c.source, port: c.sourceHandle }, { node: c.target, port: c.targetHandle }) === null;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    if (!c.sourceHandle || !c.targetHandle) return;
    const from = { node: c.source, port: c.sourceHandle };
    const to = { node: c.target, port: c.targetHandle };
    const st = useEditor.getState();
    const problem = connectionProblem(st.doc, from, to);
    if (problem) st.set({ notice: problem });
    else if (pickedUp.current) st.setTransient(connect(st.doc, from, to));
    else st.edit((d) => connect(d, from, to));
  }, []);

  const onConnectEnd = useCallback((e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (pickedUp.current) {
      useEditor.getState().commitFrom(pickedUp.current);
      pickedUp.current = null;
    }
    const from = state.fromHandle;
    if (from && !state.toHandle && (e.target as HTMLElement | null)?.classList.contains('react-flow__pane')) {
      const doc = useEditor.getState().doc;
      const def = findNode(registry, doc.nodes.find((n) => n.id === from.nodeId)?.type ?? '');
      const types = from.type === 'source' ? [def?.outputs.find((o) => o.name === from.id)?.type] : (() => {
        const input = def?.inputs.find((i) => i.name === from.id);
        return input ? [...accepts(input)] : [];
      })();
      const known = types.filter((t) => t !== undefined);
      if (!known.length) return;
      const point = 'clientX' in e ? e : e.changedTouches[0]!;
      const box = wrapper.current!.getBoundingClientRect();
      setSearch({
        screen: { x: point.clientX - box.left, y: point.clientY - box.top },
        flow: flow.screenToFlowPosition({ x: point.clientX, y: point.clientY }),
        wire: { node: from.nodeId, port: from.id ?? '', side: from.type, types: known.join(', '), candidates: compatibleNodes(registry.nodes, { side: from.type, types: known }) },
      });
      return;
    }
    if (state.isValid !== false || !from || !state.toHandle) return;
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
        add(type, flow.screenToFlowPosition(clearOfPanels({ x: e.clientX, y: e.clientY }, wrapper.current)));
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
          const frame = frameOf(n.id);
          setMenu({ id: frame ?? n.id, frame: frame !== null, x: e.clientX - box.left, y: e.clientY - box.top });
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
        <Controls showFitView={false} showZoom={false}>
          <ControlButton className="react-flow__controls-zoomin" onClick={() => zoomBy(1.2)} title="zoom in (about the selection, or the nodes in view)" aria-label="zoom in">
            +
          </ControlButton>
          <ControlButton className="react-flow__controls-zoomout" onClick={() => zoomBy(1 / 1.2)} title="zoom out (about the selection, or the nodes in view)" aria-label="zoom out">
            −
          </ControlButton>
          <ControlButton className="react-flow__controls-fitview" onClick={fitView} title="fit view (F)" aria-label="fit view">
            {/* Four corners (a drawn icon: the ⛶ glyph is missing from common fonts and showed as a box). */}
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" data-testid="fitview-icon">
              <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" fill="none" stroke="currentColor" strokeWidth="2" />
            </svg>
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
          {...(search.wire
            ? { only: search.wire.candidates.map((c) => c.def), heading: search.wire.side === 'source' ? `Nodes that take ${search.wire.types}` : `Nodes that make ${search.wire.types}` }
            : {})}
          onPick={(type) => {
            const wire = search.wire;
            const port = wire?.candidates.find((c) => c.def.type === type)?.port;
            if (wire && port !== undefined) {
              // The node and its wire, one undo step.
              const st = useEditor.getState();
              const r = addNode(st.doc, type, search.flow);
              const here = { node: wire.node, port: wire.port };
              const there = { node: r.id, port };
              st.edit(wire.side === 'source' ? connect(r.doc, here, there) : connect(r.doc, there, here));
              st.set({ selected: [r.id] });
            } else add(type, search.flow);
            setSearch(null);
          }}
        />
      )}
      {menu && menu.frame && (
        <ul className="cs-menu" style={{ left: menu.x, top: menu.y }} data-testid="context-menu" onMouseLeave={() => setMenu(null)}>
          <li
            onClick={() => {
              const st = useEditor.getState();
              st.edit((d) => removeFrame(d, menu.id));
              st.set({ selectedFrames: st.selectedFrames.filter((f) => f !== menu.id) });
              setMenu(null);
            }}
          >
            Remove frame (keep its nodes)
          </li>
        </ul>
      )}
      {menu && !menu.frame && (
        <NodeMenu
          id={menu.id}
          at={menu}
          onClose={() => setMenu(null)}
          onRunTo={onRunTo}
          onDuplicate={onDuplicate}
        />
      )}
    </div>
  );
}

/** Room a dropped node takes on screen before it is measured (px). */
const DROPPED = { width: 220, height: 110 };

/**
 * A drop point moved so that the new node (its top-left at the point) lands clear of the minimap
 * and the zoom controls rather than under them: up, or sideways, whichever is the shorter move.
 */
function clearOfPanels(at: { x: number; y: number }, canvas: HTMLElement | null): { x: number; y: number } {
  if (!canvas) return at;
  const area = canvas.getBoundingClientRect();
  // Within the canvas, as far as the node's size allows.
  const inCanvas = (q: { x: number; y: number }) => ({ x: Math.max(area.left + 8, Math.min(q.x, area.right - DROPPED.width - 8)), y: Math.max(area.top + 8, Math.min(q.y, area.bottom - DROPPED.height - 8)) });
  let p = { ...at };
  for (const sel of ['.react-flow__minimap', '.react-flow__controls']) {
    const panel = canvas.querySelector(sel)?.getBoundingClientRect();
    if (!panel) continue;
    const hits = p.x < panel.right && p.x + DROPPED.width > panel.left && p.y < panel.bottom && p.y + DROPPED.height > panel.top;
    if (!hits) continue;
    const up = inCanvas({ x: p.x, y: panel.top - DROPPED.height - 8 });
    const side = inCanvas(sel === '.react-flow__minimap' ? { x: panel.left - DROPPED.width - 8, y: p.y } : { x: panel.right + 8, y: p.y });
    p = Math.hypot(up.x - p.x, up.y - p.y) <= Math.hypot(side.x - p.x, side.y - p.y) ? up : side;
  }
  return p;
}

