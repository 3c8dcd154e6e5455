import { z } from 'zod';
import { defineNode, layersOf, weightTensor, type Metrics, type ModelValue, type TableValue } from '../../engine';
import { METHODS } from '../compress/model';
import { isMetrics, measureProblem } from '../common/measure';
import { externalReader } from '../source/onnx';
import { show } from '../view/common';

/** A compress.model table's columns, by name. */
const col = (t: TableValue, name: string) => t.columns.indexOf(name);
const percent = (b: number) => `${+(100 * b).toFixed(1)} %`;

export const compareMethods = defineNode({
  type: 'compare.methods',
  title: 'Compare methods',
  category: 'compare',
  description:
    'Runs a compress.model node again with each of several methods (low rank: svd, asvd, svd-llm, tucker2, cp, auto; transform domain: dct, wht, dwt, lowrank-subbands) at each of several budgets of the compressible params, and tabulates them side by side: params kept against the relative weight error, and with `measure` (e.g. an evaluate.model reading text lines) the task metric of each compressed model; plots each method\'s Pareto front. With perLayer, each method is also run at each fraction of every layer\'s own params, and the per-layer table says which method leaves the least error at that equal size (the output error on the calibration where it is wired, else the weight error).',
  typeVersion: 1,
  inputs: [],
  outputs: [
    { name: 'table', type: 'table', doc: 'one row per method and budget (labelled "method @ budget"): budget, paramsAfter, kept, weightError (‖W − Ŵ‖/‖W‖ over all compressible layers), outputError (the mean of the layers\' on the calibration; NaN without it), seconds (of the compression), then the measure node\'s metrics' },
    { name: 'layers', type: 'table', doc: 'with perLayer: one row per layer and fraction (labelled "layer @ fraction · winner"): fraction, params, then for each method its paramsAfter, relError and outputError at that fraction of the layer (NaN where the method leaves the layer), and winner (the index of the best method in param methods; −1 where none applies)' },
  ],
  params: z.object({
    node: z.string().min(1, 'name the compress.model node to run').describe('id of a compress.model node in this graph: its input model (and calibration) is compressed by each method'),
    methods: z.array(z.enum(METHODS)).min(1, 'tick at least one method').max(METHODS.length).default(['svd', 'svd-llm', 'dct', 'wht', 'dwt']).describe('the methods to compare (asvd and svd-llm need the compress node\'s calibration input wired)'),
    budgets: z.array(z.number().gt(0).max(1)).min(1).max(20).default([0.9, 0.75, 0.6]).describe('fractions of all compressible params to keep (compress.model\'s budget), each allocated across the layers by the method\'s own measure'),
    measure: z.string().min(1).optional().describe('id of a node that reads the compress node\'s model and reports metrics (e.g. evaluate.model): run on each compressed model, its metrics become columns and the plot\'s y axis'),
    perLayer: z.boolean().default(true).describe('also run each method at each fraction of every layer (compress.model\'s ratio, onlyIfSmaller off) for the per-layer table of winners at equal size'),
    y: z.string().min(1).optional().describe('the table column on the plot\'s y axis (default: cer where measured, else the measure\'s relError, else weightError)'),
  }),
  references: (p) => (p.measure ? [p.node, p.measure] : [p.node]),
  checkGraph(p, graph) {
    const target = graph.node(p.node);
    if (!target) return [{ param: 'node', message: `there is no node '${p.node}' in this graph` }];
    if (target.type !== 'compress.model') return [{ param: 'node', message: `node '${p.node}' is a ${target.type}, not a compress.model` }];
    const measured = measureProblem(p.measure, graph);
    if (measured.length) return measured;
    if (p.methods.includes('cp')) return [{ param: 'methods', message: "method 'cp' takes ranks or a ratio, not a budget (compress.model refuses it): compare tucker2 instead, or untick cp" }];
    return [];
  },
  async run(_inputs, p, ctx) {
    const runs = p.methods.length * p.budgets.length * (p.perLayer ? 2 : 1);
    let done = 0;
    const rerun = async (method: string, policy: Record<string, unknown>, what: string) => {
      ctx.progress(done++, runs, `${method} at ${what}`);
      const t0 = performance.now();
      try {
        const out = await ctx.rerun(p.node, { method, ranks: {}, ratio: undefined, energy: undefined, budget: undefined, ...policy });
        return { ...out, seconds: (performance.now() - t0) / 1000 };
      } catch (e) {
        throw new Error(`method '${method}' at ${what}: ${(e as Error).message}`);
      }
    };
    // ‖W‖² of each compressible layer, to pool the per-layer errors.
    let energy: Map<string, number> | null = null;
    const energies = async (model: ModelValue) => {
      const read = externalReader(ctx, model.name);
      const out = new Map<string, number>();
      for (const l of layersOf(model.proto)) out.set(l.name, (await weightTensor(l.tensor, read)).data.reduce((a, v) => a + v * v, 0));
      return out;
    };
    const layerName = (label: string) => label.split(' · ')[0]!;

    const rows: number[][] = [];
    const labels: string[] = [];
    const series: string[] = [];
    let measured: string[] = [];
    for (const method of p.methods) {
      for (const budget of p.budgets) {
        const { inputs, outputs, seconds } = await rerun(method, { budget }, `budget ${percent(budget)}`);
        energy ??= await energies(inputs.model as ModelValue);
        const [t, info] = [outputs.table as TableValue, outputs.info as Metrics];
        const [re, oe] = [col(t, 'relError'), col(t, 'outputError')];
        let [err, total, outSum, outN] = [0, 0, 0, 0];
        t.rows.forEach((r, i) => {
          const e2 = energy!.get(layerName(t.labels![i]!)) ?? 0;
          err += r[re]! ** 2 * e2;
          total += e2;
          if (Number.isFinite(r[oe]!) && r[col(t, 'rankOut')]! > 0) (outSum += r[oe]!), outN++;
        });
        const row = [budget, info.paramsAfter!.value, info.kept!.value, total > 0 ? Math.sqrt(err / total) : 0, outN ? outSum / outN : NaN, seconds];
        if (p.measure !== undefined) {
          const m = await ctx.rerun(p.measure, {}, { node: p.node, outputs });
          const metrics = Object.values(m.outputs).find(isMetrics);
          if (!metrics) throw new Error(`param 'measure': node '${p.measure}' reported no metrics`);
          if (!measured.length) measured = Object.keys(metrics);
          row.push(...measured.map((k) => metrics[k]?.value ?? NaN));
        }
        rows.push(row);
        labels.push(`${method} @ ${percent(budget)}`);
        series.push(method);
      }
    }
    const columns = ['budget', 'paramsAfter', 'kept', 'weightError', 'outputError', 'seconds', ...measured];
    const table: TableValue = { kind: 'table', columns, rows, labels };

    // Per layer, at equal size: each method at each fraction of every layer.
    const layers: TableValue = { kind: 'table', columns: ['fraction', 'params', ...p.methods.flatMap((m) => [`${m}.paramsAfter`, `${m}.relError`, `${m}.outputError`]), 'winner'], rows: [], labels: [] };
    if (p.perLayer) {
      const byFraction = new Map<number, Map<string, number[]>>();
      for (const [mi, method] of p.methods.entries()) {
        for (const fraction of p.budgets) {
          const { outputs } = await rerun(method, { ratio: fraction, onlyIfSmaller: false }, `${percent(fraction)} of each layer`);
          const t = outputs.table as TableValue;
          const at = byFraction.get(fraction) ?? byFraction.set(fraction, new Map()).get(fraction)!;
          t.rows.forEach((r, i) => {
            const name = layerName(t.labels![i]!);
            const left = r[col(t, 'rankOut')] === 0;
            const cells = at.get(name) ?? at.set(name, [fraction, r[col(t, 'params')]!, ...p.methods.flatMap(() => [NaN, NaN, NaN])]).get(name)!;
            if (!left) cells.splice(2 + 3 * mi, 3, r[col(t, 'paramsAfter')]!, r[col(t, 'relError')]!, r[col(t, 'outputError')]!);
          });
        }
      }
      for (const [fraction, at] of byFraction) {
        for (const [name, cells] of at) {
          // Output error where every method that ran on the layer has it, else weight error.
          const ran = p.methods.map((_, mi) => mi).filter((mi) => Number.isFinite(cells[3 + 3 * mi]!));
          const byOutput = ran.length > 0 && ran.every((mi) => Number.isFinite(cells[4 + 3 * mi]!));
          const score = (mi: number) => cells[(byOutput ? 4 : 3) + 3 * mi]!;
          const winner = ran.reduce((best, mi) => (best < 0 || score(mi) < score(best) ? mi : best), -1);
          layers.rows.push([...cells, winner]);
          layers.labels!.push(`${name} @ ${percent(fraction)} · ${winner < 0 ? 'no method' : `${p.methods[winner]} (${byOutput ? 'output' : 'weight'} error)`}`);
        }
      }
    }

    // The plot: each method's points and Pareto front, params kept against the task metric.
    const yName = p.y ?? (measured.includes('cer') ? 'cer' : measured.includes('relError') ? 'relError' : 'weightError');
    const yi = columns.indexOf(yName);
    if (yi < 0) throw new Error(`param 'y' is '${yName}', not a column of the table (columns: ${columns.join(', ')})`);
    const ys = rows.map((r) => r[yi]!);
    await show(ctx, {
      kind: 'plot',
      plot: 'rank-sweep',
      title: `${ctx.nodeId}: ${yName} vs params kept, per method`,
      x: rows.map((r) => r[2]!),
      y: ys,
      series,
      better: 'smaller-x',
      xDomain: [Math.max(0, Math.min(...p.budgets) - 0.1), 1],
      xLabel: 'params kept (of the compressible layers)',
      yLabel: yName,
      logY: ys.every((v) => v > 0),
    });
    ctx.progress(runs, runs, 'done');
    return { table, layers };
  },
});
