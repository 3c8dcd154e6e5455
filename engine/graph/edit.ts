// Pure edits of a graph document: each returns a new document and leaves its argument untouched,
// so the editor's undo stack and the CLI's --set share one code path.
import type { GraphDoc } from './schema';

/** Sets one param of one node (what the user set; defaults stay implicit). */
export function setParam(doc: GraphDoc, nodeId: string, param: string, value: unknown): GraphDoc {
  if (!doc.nodes.some((n) => n.id === nodeId)) {
    const ids = doc.nodes.map((n) => n.id).join(', ');
    throw new Error(`no node '${nodeId}' in graph '${doc.name}' (nodes: ${ids || 'none'})`);
  }
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: value } } : n)),
  };
}

type Point = { x: number; y: number };

/** A node id not used in `doc`: `base`, else the next free number on its stem (base2, base3, …;
 * a copy of compare2 is compare3, not compare22). */
export function freshId(doc: GraphDoc, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...taken]);
  const stem = base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'node';
  if (!used.has(stem)) return stem;
  const numbered = /^(.*?[^0-9])([0-9]+)$/.exec(stem);
  const root = numbered ? numbered[1]! : stem;
  for (let i = numbered ? Number(numbered[2]) + 1 : 2; ; i++) if (!used.has(`${root}${i}`)) return `${root}${i}`;
}

const freshEdgeId = (doc: GraphDoc): string => {
  const used = new Set(doc.edges.map((e) => e.id));
  for (let i = doc.edges.length + 1; ; i++) if (!used.has(`e${i}`)) return `e${i}`;
};

/** Adds a node of `type` (params left to their defaults) at `at`; returns the doc and the new id. */
export function addNode(doc: GraphDoc, type: string, at: Point, params: Record<string, unknown> = {}, typeVersion = 1): { doc: GraphDoc; id: string } {
  const id = freshId(doc, type.split('.').pop() ?? type);
  return {
    id,
    doc: {
      ...doc,
      nodes: [...doc.nodes, { id, type, typeVersion, params }],
      layout: { ...doc.layout, positions: { ...doc.layout.positions, [id]: { x: at.x, y: at.y } } },
    },
  };
}

/** Removes nodes (with their edges and positions) and edges by id. */
export function removeItems(doc: GraphDoc, nodeIds: readonly string[], edgeIds: readonly string[] = []): GraphDoc {
  const gone = new Set(nodeIds);
  const goneEdges = new Set(edgeIds);
  const positions = Object.fromEntries(Object.entries(doc.layout.positions).filter(([id]) => !gone.has(id)));
  const next = {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node) && !goneEdges.has(e.id)),
    layout: { ...doc.layout, positions },
  };
  return doc.layout.collapsed ? setCollapsed(next, [...gone], false) : next;
}

/** Connects an output to an input; an edge already into that input is replaced (one per input). */
export function connect(doc: GraphDoc, from: { node: string; port: string }, to: { node: string; port: string }): GraphDoc {
  const kept = doc.edges.filter((e) => !(e.to.node === to.node && e.to.port === to.port));
  const next = { ...doc, edges: kept };
  return { ...next, edges: [...kept, { id: freshEdgeId(next), from: { ...from }, to: { ...to } }] };
}

/** Sets canvas positions of some nodes. */
export function moveNodes(doc: GraphDoc, moves: Record<string, Point>): GraphDoc {
  return { ...doc, layout: { ...doc.layout, positions: { ...doc.layout.positions, ...moves } } };
}

/** Sets (or clears, with '') a node's user-given title. */
export function setTitle(doc: GraphDoc, nodeId: string, title: string): GraphDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const { title: _old, ...rest } = n;
      return title ? { ...rest, title } : rest;
    }),
  };
}

/** Replaces all of a node's params (the inspector's edit of a whole value set). */
export function setParams(doc: GraphDoc, nodeId: string, params: Record<string, unknown>): GraphDoc {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...params } } : n)) };
}

/**
 * The nodes `ids` and the edges among them as a graph of their own (what copy puts on the
 * clipboard); `pasteInto` adds such a fragment to a doc under fresh ids, shifted by `offset`.
 */
export function extractFragment(doc: GraphDoc, ids: readonly string[]): GraphDoc {
  const keep = new Set(ids);
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => keep.has(n.id)),
    edges: doc.edges.filter((e) => keep.has(e.from.node) && keep.has(e.to.node)),
    layout: { positions: Object.fromEntries(Object.entries(doc.layout.positions).filter(([id]) => keep.has(id))) },
  };
}

export function pasteInto(doc: GraphDoc, fragment: GraphDoc, offset: Point): { doc: GraphDoc; ids: string[] } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of fragment.nodes) {
    const id = freshId(doc, n.id, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  let next: GraphDoc = {
    ...doc,
    nodes: [...doc.nodes, ...fragment.nodes.map((n) => ({ ...n, id: rename.get(n.id)!, params: structuredClone(n.params) }))],
    layout: {
      ...doc.layout,
      positions: {
        ...doc.layout.positions,
        ...Object.fromEntries(fragment.nodes.map((n, i) => {
          const p = fragment.layout.positions[n.id] ?? { x: 40 * i, y: 40 * i };
          return [rename.get(n.id)!, { x: p.x + offset.x, y: p.y + offset.y }];
        })),
      },
    },
  };
  for (const e of fragment.edges) next = connect(next, { node: rename.get(e.from.node)!, port: e.from.port }, { node: rename.get(e.to.node)!, port: e.to.port });
  return { doc: next, ids: [...rename.values()] };
}

/** Turns bypass on or off for some nodes (a bypassed node passes its inputs on: see validate.ts). */
export function setBypass(doc: GraphDoc, ids: readonly string[], on: boolean): GraphDoc {
  const set = new Set(ids);
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (!set.has(n.id)) return n;
      const { bypass: _, ...rest } = n;
      return on ? { ...rest, bypass: true } : rest;
    }),
  };
}

/** Collapses or expands some nodes on the canvas. */
export function setCollapsed(doc: GraphDoc, ids: readonly string[], collapsed: boolean): GraphDoc {
  const now = new Set(doc.layout.collapsed ?? []);
  for (const id of ids) {
    if (collapsed) now.add(id);
    else now.delete(id);
  }
  const { collapsed: _, ...layout } = doc.layout;
  return { ...doc, layout: now.size ? { ...layout, collapsed: doc.nodes.map((n) => n.id).filter((id) => now.has(id)) } : layout };
}

export type Frame = NonNullable<GraphDoc['layout']['frames']>[number];
type Size = { width: number; height: number };

/** The nodes whose boxes lie wholly inside the frame (what moving it carries along). */
export function nodesInFrame(doc: GraphDoc, frame: Frame, sizes: Readonly<Record<string, Size>>): string[] {
  return doc.nodes
    .map((n) => n.id)
    .filter((id) => {
      const p = doc.layout.positions[id];
      if (!p) return false;
      const s = sizes[id] ?? { width: 1, height: 1 };
      return p.x >= frame.x && p.y >= frame.y && p.x + s.width <= frame.x + frame.width && p.y + s.height <= frame.y + frame.height;
    });
}

/** A new frame around some nodes (Ctrl+G), with room for its title; returns it with its id. */
export function frameNodes(doc: GraphDoc, ids: readonly string[], sizes: Readonly<Record<string, Size>>, title = 'Group'): { doc: GraphDoc; id: string } {
  const boxes = ids.map((id) => ({ p: doc.layout.positions[id], s: sizes[id] ?? { width: 200, height: 100 } })).filter((b) => b.p);
  if (!boxes.length) throw new Error('select the nodes to put in a frame first');
  const PAD = 24;
  const TITLE = 32;
  const x = Math.min(...boxes.map((b) => b.p!.x)) - PAD;
  const y = Math.min(...boxes.map((b) => b.p!.y)) - PAD - TITLE;
  const right = Math.max(...boxes.map((b) => b.p!.x + b.s.width)) + PAD;
  const bottom = Math.max(...boxes.map((b) => b.p!.y + b.s.height)) + PAD;
  const frames = doc.layout.frames ?? [];
  const taken = new Set(frames.map((f) => f.id));
  let n = frames.length + 1;
  while (taken.has(`frame${n}`)) n++;
  const id = `frame${n}`;
  return { doc: { ...doc, layout: { ...doc.layout, frames: [...frames, { id, title, x, y, width: right - x, height: bottom - y }] } }, id };
}

/** Changes a frame (position, size, title), moving the nodes it held by as much as it moved. */
export function updateFrame(doc: GraphDoc, id: string, change: Partial<Omit<Frame, 'id'>>, sizes: Readonly<Record<string, Size>>): GraphDoc {
  const frame = doc.layout.frames?.find((f) => f.id === id);
  if (!frame) throw new Error(`no frame '${id}'`);
  const next = { ...frame, ...change };
  const dx = next.x - frame.x;
  const dy = next.y - frame.y;
  const moved = dx || dy ? Object.fromEntries(nodesInFrame(doc, frame, sizes).map((n) => [n, { x: doc.layout.positions[n]!.x + dx, y: doc.layout.positions[n]!.y + dy }])) : {};
  return { ...doc, layout: { ...doc.layout, positions: { ...doc.layout.positions, ...moved }, frames: doc.layout.frames!.map((f) => (f.id === id ? next : f)) } };
}

/** Removes a frame; the nodes in it stay where they are. */
export function removeFrame(doc: GraphDoc, id: string): GraphDoc {
  const frames = (doc.layout.frames ?? []).filter((f) => f.id !== id);
  const { frames: _, ...layout } = doc.layout;
  return { ...doc, layout: frames.length ? { ...layout, frames } : layout };
}
