import { z } from 'zod';
import { measureProblem, isMetrics } from '../common/measure';
import { Tensor, defineNode, formatShape, isDecomposition, reconstruct, relativeError, sizes, subspaceOf, type Metrics, type ModelValue } from '../../engine';

export const sweepRank = defineNode({
  type: 'sweep.rank',
  title: 'Rank sweep',
  category: 'sweep',
  description: 'Re-runs a decomposition node (or compress.model) with each value of one param (e.g. its rank, or a model\'s budget) and tabulates error against size: the curve to pick a rank from. With `measure`, a node downstream of it (e.g. evaluate.model) runs again on each result and its metrics become columns: a model\'s params against its accuracy.',
  typeVersion: 1,
  inputs: [],
  outputs: [
    { name: 'table', type: 'table', doc: 'one row per value: value, relError, params, compressionRatio (a decomposition) or value, paramsAfter, kept, macsAfter (compress.model), then the measure node\'s metrics' },
    { name: 'subspaces', type: 'tensor', doc: '[values, I_mode, largest rank]: the basis each run found for mode `mode` (an SVD\'s U, a Tucker or CP factor, a train\'s end core), zero-padded — for grassmann.distances (a model sweep: [values, 1, 1] of zeros)' },
  ],
  params: z.object({
    node: z.string().min(1, 'name the decomposition node to sweep').describe('id of a decompose.* or compress.model node in this graph'),
    param: z.string().min(1).default('rank').describe('the param of that node to vary (rank, ranks, maxRank, eps, energy, …)'),
    values: z.array(z.unknown()).min(1).max(1000).describe('the values to try, e.g. [2, 4, 8, 16] or [[4,4,4], [8,8,8]]'),
    mode: z.number().int().min(0).default(0).describe('the mode whose subspaces the `subspaces` output stacks'),
    measure: z.string().min(1).optional().describe('id of a node that reads the swept node\'s output and reports metrics (e.g. evaluate.model): run again on each result, its metrics become columns'),
  }),
  references: (p) => (p.measure ? [p.node, p.measure] : [p.node]),
  checkGraph(p, graph) {
    const target = graph.node(p.node);
    if (!target) return [{ param: 'node', message: `there is no node '${p.node}' in this graph` }];
    if (!target.def || (target.def.category !== 'decompose' && target.type !== 'compress.model')) return [{ param: 'node', message: `node '${p.node}' is a ${target.type}, not a decomposition (decompose.*) or compress.model` }];
    const measured = measureProblem(p.measure, graph);
    if (measured.length) return measured;
    if (!(p.param in target.def.params.shape)) {
      return [{ param: 'param', message: `${target.type} has no param '${p.param}' (params: ${Object.keys(target.def.params.shape).join(', ')})` }];
    }
    for (const [i, v] of p.values.entries()) {
      // The table's x and a plot's axis are numbers: a number, or a list of them (their product).
      const numeric = typeof v === 'number' || (Array.isArray(v) && v.every((r) => typeof r === 'number' || r === null));
      if (!numeric) return [{ param: 'values', message: `value ${i} (${JSON.stringify(v).slice(0, 60)}) is not a number or a list of numbers: a sweep measures error against a numeric param (a rank, a tolerance); to compare methods, give each its own node and a metrics.compare` }];
      const check = target.def.params.safeParse({ ...target.params, [p.param]: v });
      if (!check.success) return [{ param: 'values', message: `value ${i} (${JSON.stringify(v)}) is not a valid '${p.param}' for ${target.type}: ${check.error.issues[0]!.message}` }];
    }
    return [];
  },
  // The sum of the target's estimates at each value (each run, plus reconstructing it to measure).
  cost(_inputs, p, graph) {
    let seconds = 0;
    for (const v of p.values) {
      const one = graph.costOf(p.node, { [p.param]: v });
      if (!one) return undefined;
      seconds += one.seconds;
    }
    return {
      seconds,
      what: `${p.values.length} runs of '${p.node}'`,
      fix: { param: 'values', hint: `sweep fewer values, or make each run of '${p.node}' cheaper` },
    };
  },
  async run(_inputs, p, ctx) {
    const rows: number[][] = [];
    const labels: string[] = [];
    const bases: Tensor[] = [];
    let columns: string[] = [];
    let measured: string[] = [];
    // Where the runs go out as jobs (a job queue), a window of them at once; each is measured in order.
    const inFlight = Math.max(1, ctx.parallel?.(p.node) ?? 1);
    let window: Promise<{ inputs: Record<string, unknown>; outputs: Record<string, unknown> }>[] = [];
    for (const [i, v] of p.values.entries()) {
      ctx.progress(i, p.values.length, `${p.param} = ${JSON.stringify(v)}`);
      if (i % inFlight === 0) {
        window = p.values.slice(i, i + inFlight).map((w) => ctx.rerun(p.node, { [p.param]: w }));
        // A run that fails while an earlier one is measured is reported in its turn, not as unhandled.
        for (const run of window) run.catch(() => {});
      }
      const { inputs, outputs } = await window[i % inFlight]!;
      // A scalar value is its own x coordinate; a list (per-mode ranks) is summarised by its product.
      const xValue = Array.isArray(v) ? v.reduce((a: number, b) => a * (typeof b === 'number' ? b : 1), 1) : Number(v);
      const model = outputs.model as ModelValue | undefined;
      if (model?.kind === 'model') {
        const info = outputs.info as Metrics;
        columns = [p.param, 'paramsAfter', 'kept', 'macsAfter'];
        rows.push([xValue, info.paramsAfter!.value, info.kept!.value, info.macsAfter?.value ?? NaN]);
      } else {
        const x = inputs.tensor as Tensor | undefined;
        const d = Object.values(outputs).find(isDecomposition);
        if (!x || !d) throw new Error(`node '${p.node}' gave no decomposition of a tensor input to measure`);
        const rec = reconstruct(d);
        if (rec.size !== x.size) throw new Error(`node '${p.node}' reconstructs ${formatShape(rec.shape)} from an input ${formatShape(x.shape)}; a sweep needs the decomposition of its input tensor`);
        const { params, dense } = sizes(d);
        let basis: Tensor;
        try {
          basis = subspaceOf(d, p.mode);
        } catch (e) {
          throw new Error(`param 'mode': ${(e as Error).message}`);
        }
        await basis.materialize();
        bases.push(basis);
        columns = [p.param, 'relError', 'params', 'compressionRatio'];
        rows.push([xValue, relativeError(x.data, rec.data), params, dense / params]);
      }
      if (p.measure !== undefined) {
        const m = await ctx.rerun(p.measure, {}, { node: p.node, outputs });
        const metrics = Object.values(m.outputs).find(isMetrics);
        if (!metrics) throw new Error(`param 'measure': node '${p.measure}' reported no metrics`);
        if (i === 0) measured = Object.keys(metrics).filter((k) => !columns.includes(k));
        rows[rows.length - 1]!.push(...measured.map((k) => metrics[k]?.value ?? NaN));
      }
      labels.push(Array.isArray(v) ? `(${v.map((r) => (r === null ? 'full' : String(r))).join(', ')})` : String(v));
    }
    // The bases side by side, each zero-padded to the widest (zero columns span nothing).
    if (!bases.length) bases.push(...p.values.map(() => new Tensor([1, 1])));
    const m = bases[0]!.shape[0]!;
    const width = Math.max(...bases.map((b) => b.shape[1]!));
    const stack = new Tensor([bases.length, m, width]);
    bases.forEach((b, k) => {
      const r = b.shape[1]!;
      for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) stack.data[(k * m + i) * width + j] = b.data[i * r + j]!;
    });
    return { table: { kind: 'table' as const, columns: [...columns, ...measured], rows, labels }, subspaces: stack };
  },
});

