// sweep.rank re-runs a decomposition node per value and tabulates error against size; checked on
// the refs' Tucker case, where TensorLy's HOOI errors for each rank are known.
import { describe, expect, it } from 'vitest';
import { OutputCache, cpuBackend, loadGraph, runGraph, setParam, validateGraph, type GraphDoc, type TableValue, type Tensor } from '../engine';
import { registry } from '../nodes';
import { refExpected, refFiles as files } from './refs/refs';

const ref = refExpected('tucker_lowrank_36x44x52');

function graph(sweep: object): GraphDoc {
  const r = loadGraph(
    {
      format: 'corespace.graph',
      version: 1,
      name: 't',
      nodes: [
        { id: 'x', type: 'source.npy', params: { path: 'tucker_lowrank_36x44x52/input.npy' } },
        { id: 'tucker', type: 'decompose.tucker', params: { ranks: [4, 5, 6] } },
        { id: 'sweep', type: 'sweep.rank', params: sweep },
      ],
      edges: [{ id: 'e', from: { node: 'x', port: 'tensor' }, to: { node: 'tucker', port: 'tensor' } }],
    },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

describe('sweep.rank', () => {
  it('tabulates the HOOI error of each rank as TensorLy found it, and re-runs alone when its values change', async () => {
    const results = ref.results as { rank: number[]; hooi_relative_error: number }[];
    const cache = new OutputCache();
    const opts = { registry, backend: cpuBackend, files, output: { write: async (n: string) => n }, cache };
    const doc = graph({ node: 'tucker', param: 'ranks', values: results.map((r) => r.rank) });
    const run = await runGraph(doc, opts);
    expect(run.executed).toEqual(['x', 'tucker', 'sweep']);
    const table = run.outputs.get('sweep')!.table as TableValue;
    expect(table.columns).toEqual(['ranks', 'relError', 'params', 'compressionRatio']);
    // The ranks read as tuples; the number behind each is their product (a plot's x).
    expect(table.labels).toEqual(results.map((r) => `(${r.rank.join(', ')})`));
    table.rows.forEach((row, i) => {
      expect(row[0]).toBe(results[i]!.rank.reduce((a, b) => a * b, 1));
      expect(Math.abs(row[1]! - results[i]!.hooi_relative_error)).toBeLessThan(1e-4);
      expect(row[3]).toBeCloseTo((36 * 44 * 52) / row[2]!, 8);
    });
    // The factors of each run, mode 0, side by side and zero-padded to the widest rank: run i's are
    // orthonormal columns (HOOI's factors) and the rest zero.
    const stack = run.outputs.get('sweep')!.subspaces as Tensor;
    const widest = Math.max(...results.map((r) => r.rank[0]!));
    expect(stack.shape).toEqual([results.length, 36, widest]);
    results.forEach((r, k) => {
      const col = (j: number) => Array.from({ length: 36 }, (_, i) => stack.data[(k * 36 + i) * widest + j]!);
      for (let j = 0; j < widest; j++) expect(Math.hypot(...col(j))).toBeCloseTo(j < r.rank[0]! ? 1 : 0, 5);
    });
    const modeTwo = await runGraph(setParam(doc, 'sweep', 'mode', 2), opts);
    expect((modeTwo.outputs.get('sweep')!.subspaces as Tensor).shape[1]).toBe(52);
    const badMode = await runGraph(setParam(doc, 'sweep', 'mode', 3), opts);
    expect(badMode.nodes.sweep!.error).toMatch(/param 'mode': this Tucker decomposition has modes 0 … 2, not 3/);
    const again = await runGraph(setParam(doc, 'sweep', 'values', [[2, 2, 2]]), opts);
    expect(again.executed).toEqual(['sweep']);
    // Changing the swept node re-runs the sweep too.
    const changed = await runGraph(setParam(doc, 'tucker', 'method', 'hosvd'), opts);
    expect(changed.executed).toEqual(['tucker', 'sweep']);
  });

  it('refuses a missing node, a non-decomposition, an unknown param and invalid values before running', () => {
    const problems = (sweep: object) => validateGraph(graph(sweep), registry).problems.map((p) => `${p.path} ${p.message}`);
    expect(problems({ node: 'tuker', values: [1] })[0]).toMatch(/params\.node sweep\.rank param 'node': there is no node 'tuker'/);
    expect(problems({ node: 'x', values: [1] })[0]).toMatch(/node 'x' is a source\.npy, not a decomposition/);
    expect(problems({ node: 'tucker', param: 'rank', values: [1] })[0]).toMatch(/decompose\.tucker has no param 'rank' \(params: ranks, eps/);
    expect(problems({ node: 'tucker', param: 'ranks', values: [[4, 5, 6], 'big'] })[0]).toMatch(/params\.values .*value 1 \("big"\) is not a number or a list of numbers/);
    expect(problems({ node: 'tucker', param: 'ranks', values: [[4, 5, 6], [0, 0, 0]] })[0]).toMatch(/params\.values .*value 1 \(\[0,0,0\]\) is not a valid 'ranks'/);
  });

  it('with measure, a node reading the swept node runs again on each result and its metrics become columns', async () => {
    const base = graph({ node: 'tucker', param: 'ranks', values: [[2, 2, 2], [4, 5, 6]], measure: 'size' });
    const doc: GraphDoc = {
      ...base,
      nodes: [...base.nodes, { id: 'size', type: 'metrics.size', typeVersion: 1, params: {} }, { id: 'lone', type: 'metrics.size', typeVersion: 1, params: {} }],
      edges: [...base.edges, { id: 'm', from: { node: 'tucker', port: 'tucker' }, to: { node: 'size', port: 'value' } }, { id: 'n', from: { node: 'x', port: 'tensor' }, to: { node: 'lone', port: 'value' } }],
    };
    const opts = { registry, backend: cpuBackend, files, output: { write: async (n: string) => n } };
    const run = await runGraph(doc, opts);
    const table = run.outputs.get('sweep')!.table as TableValue;
    // params and compressionRatio are the sweep's own columns; denseParams is the measure's, per run.
    expect(table.columns).toEqual(['ranks', 'relError', 'params', 'compressionRatio', 'denseParams']);
    expect(table.rows.map((r) => r[4])).toEqual([36 * 44 * 52, 36 * 44 * 52]);
    // The measured node read each run's decomposition, not the one wired in: the params differ per row.
    expect(table.rows[0]![2]).toBeLessThan(table.rows[1]![2]!);
    const unwired = await runGraph(setParam(doc, 'sweep', 'measure', 'lone'), opts);
    expect(unwired.nodes.sweep!.error).toMatch(/node 'lone' reads nothing from node 'tucker'/);
    const problems = validateGraph(setParam(doc, 'sweep', 'measure', 'nope'), registry).problems.map((p) => p.message);
    expect(problems.some((m) => /param 'measure': there is no node 'nope'/.test(m))).toBe(true);
    const notMetrics = validateGraph(setParam(doc, 'sweep', 'measure', 'x'), registry).problems.map((p) => p.message);
    expect(notMetrics.some((m) => /node 'x' is a source\.npy, which reports no metrics/.test(m))).toBe(true);
  });
});
