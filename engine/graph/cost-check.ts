// A node's run-time estimate (engine/cost.ts) from what is known of its inputs, for validation
// (shapes carried through the graph) and for the scheduler (the real shapes, just before the node
// starts). A rank sweep asks for its target's estimate at each value through the same function.
import { costMessage, type CostEstimate } from '../cost';
import type { AnyNodeDefinition, CostView } from '../node-api';
import type { Shape } from '../tensor';

export interface CostSources {
  def(id: string): AnyNodeDefinition | undefined;
  /** Resolved params (defaults filled in). */
  params(id: string): Record<string, unknown> | undefined;
  /** The shapes of its tensor inputs, undefined where not known. */
  inputs(id: string): Readonly<Record<string, Shape | undefined>>;
}

/** The estimate of node `id`, with `override` params applied (re-checked by the node's schema), or
 * undefined when the node has no estimate or cannot tell. */
export function nodeCost(id: string, from: CostSources, override?: Record<string, unknown>, depth = 0): CostEstimate | undefined {
  const def = from.def(id);
  let params = from.params(id);
  if (!def?.cost || !params) return undefined;
  if (override) {
    const parsed = def.params.safeParse({ ...params, ...override });
    if (!parsed.success) return undefined;
    params = parsed.data as Record<string, unknown>;
  }
  // A sweep of a sweep is refused by validation; the depth only guards against a reference loop.
  const view: CostView = { costOf: (other, p) => (depth < 4 ? nodeCost(other, from, p, depth + 1) : undefined) };
  try {
    return def.cost(from.inputs(id), params as never, view);
  } catch {
    return undefined; // an estimate that cannot tell leaves it to the run
  }
}

/** The problem of a node above the ceiling, or null. */
export function overCeiling(est: CostEstimate | undefined, maxSeconds: number): string | null {
  return est && est.seconds > maxSeconds ? costMessage(est, maxSeconds) : null;
}
