// The problems of the open graph, per node, recomputed when the document changes: shown as a
// warning on each node while the graph is being built (a half-built graph is saved, exported and
// imported like any other; only running needs it valid).
import { useMemo } from 'react';
import { describeProblem } from '../engine/graph/problems';
import type { GraphDoc } from '../engine/graph/schema';
import { useEditor } from './store';
import { validated } from './validated';

let last: { doc: GraphDoc | null; maxMinutes: number; byNode: Map<string, string[]> } = { doc: null, maxMinutes: NaN, byNode: new Map() };
/** Problems of `doc` by node id (the messages, without their JSON paths). One validation per doc
 * and time ceiling. */
export function warningsOf(doc: GraphDoc, maxMinutes = useEditor.getState().maxMinutes): Map<string, string[]> {
  if (last.doc === doc && last.maxMinutes === maxMinutes) return last.byNode;
  const byNode = new Map<string, string[]>();
  for (const p of validated(doc, maxMinutes).problems) {
    if (p.nodeId === undefined || p.code === 'unknown-type') continue; // placeholders say so themselves
    (byNode.get(p.nodeId) ?? byNode.set(p.nodeId, []).get(p.nodeId)!).push(p.message);
  }
  last = { doc, maxMinutes, byNode };
  return byNode;
}

/** Every problem of `doc` as one line each, for the import notice. */
export const problemLines = (doc: GraphDoc): string[] => validated(doc).problems.filter((p) => p.code !== 'unknown-type').map(describeProblem);

export function useWarnings(id: string): string[] | undefined {
  const doc = useEditor((s) => s.doc);
  const maxMinutes = useEditor((s) => s.maxMinutes);
  return useMemo(() => warningsOf(doc, maxMinutes).get(id), [doc, maxMinutes, id]);
}
