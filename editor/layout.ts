// Auto-layout: dagre's layered layout, left to right, from measured node sizes.
import dagre from '@dagrejs/dagre';
import type { GraphDoc } from '../engine/graph/schema';

export function autoLayout(doc: GraphDoc, measured: Record<string, { width: number; height: number }>): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { width: measured[n.id]?.width ?? 220, height: measured[n.id]?.height ?? 120 });
  for (const e of doc.edges) g.setEdge(e.from.node, e.to.node);
  dagre.layout(g);
  return Object.fromEntries(doc.nodes.map((n) => {
    const p = g.node(n.id);
    return [n.id, { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) }];
  }));
}
