// React Flow's view of the document: nodes and edges derived from the GraphDoc plus UI state
// (selection, measured sizes), and the check that refuses a connection between incompatible ports.
import type { Edge, Node } from '@xyflow/react';
import { accepts, describeAccepts, findNode } from '../engine/node-api';
import type { GraphDoc } from '../engine/graph/schema';
import { valueKinds, type PortType } from '../engine/values';
import { registry } from '../nodes';

/** Handle and edge colours by port type, each kind's own (engine/values/<kind>.ts; the legend is
 * the hover title of each handle). */
export const PORT_COLORS = Object.fromEntries(valueKinds.map((k) => [k.kind, k.color])) as Record<PortType, string>;

/** A handle's fill: its type's colour, or for an input that takes several types a pie of their
 * colours (reconstruct's input shows SVD red, Tucker green, CP pink and TT lime: each of those
 * wires is visibly at home there). */
export function handleFill(types: readonly PortType[]): string {
  if (types.length === 1) return PORT_COLORS[types[0]!];
  const step = 100 / types.length;
  return `conic-gradient(${types.map((t, i) => `${PORT_COLORS[t]} ${(i * step).toFixed(2)}% ${((i + 1) * step).toFixed(2)}%`).join(', ')})`;
}

export type FlowNode = Node<{ nodeId: string }, 'corespace'>;
export type FlowFrame = Node<{ frameId: string }, 'frame'>;

/** A frame's React Flow id: frames share the canvas with nodes, whose ids never hold a ':'. */
export const FRAME_PREFIX = 'frame:';
export const frameOf = (flowId: string): string | null => (flowId.startsWith(FRAME_PREFIX) ? flowId.slice(FRAME_PREFIX.length) : null);

/** The frames, behind everything else, dragged by their title bar (the rest of a frame lets
 * clicks through to the canvas: panning, box selection and double-click work inside it). */
export function toFlowFrames(doc: GraphDoc, selected: readonly string[]): FlowFrame[] {
  const sel = new Set(selected);
  return (doc.layout.frames ?? []).map((f) => ({
    id: FRAME_PREFIX + f.id,
    type: 'frame',
    position: { x: f.x, y: f.y },
    width: f.width,
    height: f.height,
    zIndex: -1,
    dragHandle: '.cs-frame-title',
    data: { frameId: f.id },
    selected: sel.has(f.id),
  }));
}

export function toFlowNodes(doc: GraphDoc, selected: readonly string[], measured: Record<string, { width: number; height: number }>): FlowNode[] {
  const sel = new Set(selected);
  return doc.nodes.map((n, i) => {
    const node: FlowNode = {
      id: n.id,
      type: 'corespace',
      position: doc.layout.positions[n.id] ?? { x: 40 * i, y: 40 * i },
      data: { nodeId: n.id },
      selected: sel.has(n.id),
    };
    const m = measured[n.id];
    if (m) node.measured = m;
    return node;
  });
}

export function toFlowEdges(doc: GraphDoc, selected: readonly string[] = []): Edge[] {
  const sel = new Set(selected);
  return doc.edges.map((e) => {
    const def = findNode(registry, doc.nodes.find((n) => n.id === e.from.node)?.type ?? '');
    const type = def?.outputs.find((o) => o.name === e.from.port)?.type;
    return {
      id: e.id,
      source: e.from.node,
      sourceHandle: e.from.port,
      target: e.to.node,
      targetHandle: e.to.port,
      // A selected wire is drawn thicker (it is what Delete removes); the wide invisible path
      // around it (interactionWidth) takes the click.
      style: { stroke: type ? PORT_COLORS[type] : '#888', strokeWidth: sel.has(e.id) ? 4 : 2 },
      selected: sel.has(e.id),
      interactionWidth: 14,
      ariaLabel: `wire ${e.from.node}.${e.from.port} → ${e.to.node}.${e.to.port}`,
    };
  });
}

/** Why an output cannot feed an input (null when it can). */
export function connectionProblem(doc: GraphDoc, from: { node: string; port: string }, to: { node: string; port: string }): string | null {
  if (from.node === to.node) return 'a node cannot feed itself';
  const src = doc.nodes.find((n) => n.id === from.node);
  const dst = doc.nodes.find((n) => n.id === to.node);
  const srcDef = src && findNode(registry, src.type);
  const dstDef = dst && findNode(registry, dst.type);
  if (!srcDef || !dstDef) return `unknown node type ${!srcDef ? src?.type : dst?.type}: placeholders cannot be connected`;
  const out = srcDef.outputs.find((o) => o.name === from.port);
  const input = dstDef.inputs.find((i) => i.name === to.port);
  if (!out || !input) return 'no such port';
  if (!accepts(input).includes(out.type)) {
    return `cannot connect ${from.node}.${from.port} (${out.type}) to ${to.node}.${to.port}: that input takes ${describeAccepts(input)}`;
  }
  // A cycle would never run.
  const down = new Set<string>([to.node]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of doc.edges) if (down.has(e.from.node) && !down.has(e.to.node)) (down.add(e.to.node), (grew = true));
  }
  if (down.has(from.node)) return `connecting ${from.node} to ${to.node} would make a cycle`;
  return null;
}
