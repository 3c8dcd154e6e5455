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

/** A node id not used in `doc`: `base`, else base2, base3, … */
export function freshId(doc: GraphDoc, base: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...taken]);
  const stem = base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'node';
  if (!used.has(stem)) return stem;
  for (let i = 2; ; i++) if (!used.has(`${stem}${i}`)) return `${stem}${i}`;
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
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !gone.has(n.id)),
    edges: doc.edges.filter((e) => !gone.has(e.from.node) && !gone.has(e.to.node) && !goneEdges.has(e.id)),
    layout: { ...doc.layout, positions },
  };
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
