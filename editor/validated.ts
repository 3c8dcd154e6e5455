// The validation of the open document, once per document: the warnings on the nodes and the stale
// marks of results share it.
import type { GraphDoc } from '../engine/graph/schema';
import { validateGraph, type ValidatedGraph } from '../engine/graph/validate';
import { registry } from '../nodes';

let checked: { doc: GraphDoc; result: ValidatedGraph } | null = null;

/** The validation of `doc` (memoized on the last document). */
export function validated(doc: GraphDoc): ValidatedGraph {
  if (checked?.doc !== doc) checked = { doc, result: validateGraph(doc, registry) };
  return checked.result;
}

