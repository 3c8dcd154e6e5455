// The validation of the open document, once per document: the warnings on the nodes and the stale
// marks of results share it.
import type { GraphDoc } from '../engine/graph/schema';
import { validateGraph, type ValidatedGraph } from '../engine/graph/validate';
import { registry } from '../nodes';
import { currentCeiling } from './ceiling';

let checked: { doc: GraphDoc; maxMinutes: number; result: ValidatedGraph } | null = null;

/** The validation of `doc` under the toolbar's time ceiling (memoized on the last document and
 * ceiling). */
export function validated(doc: GraphDoc, maxMinutes = currentCeiling()): ValidatedGraph {
  if (checked?.doc !== doc || checked.maxMinutes !== maxMinutes) checked = { doc, maxMinutes, result: validateGraph(doc, registry, { maxSeconds: maxMinutes * 60 }) };
  return checked.result;
}

