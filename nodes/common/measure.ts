// What the nodes that rerun another node and measure each result (sweep.rank, compare.methods)
// share: the check of their `measure` param, and finding the metrics among a node's outputs.
import { Tensor, type GraphView, type Metrics } from '../../engine';

/** The problem with a `measure` param naming a node, if any: it must exist and report metrics. */
export function measureProblem(measure: string | undefined, graph: GraphView): { param: string; message: string }[] {
  if (measure === undefined) return [];
  const m = graph.node(measure);
  if (!m) return [{ param: 'measure', message: `there is no node '${measure}' in this graph` }];
  if (!m.def?.outputs.some((o) => o.type === 'metrics')) return [{ param: 'measure', message: `node '${measure}' is a ${m.type}, which reports no metrics (use an evaluate.* or metrics.* node)` }];
  return [];
}

/** A metrics record: plain entries of { value: number }, no value kind. */
export function isMetrics(v: unknown): v is Metrics {
  if (typeof v !== 'object' || v === null || 'kind' in v || v instanceof Tensor) return false;
  const entries = Object.values(v);
  return entries.length > 0 && entries.every((e) => typeof e === 'object' && e !== null && typeof (e as { value?: unknown }).value === 'number');
}
