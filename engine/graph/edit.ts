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
