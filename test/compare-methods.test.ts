// compare.methods on a graph: a model of two MatMuls, one exactly 12 DCT coefficients and one of rank
// 2, compressed by six methods at 100 % and 30 % of its params and measured by evaluate.model. At
// 100 % every method gives the original's outputs; per layer, at 30 % of each, dct wins the first
// layer and an SVD the second (by output error on the calibration); the plot shows one series per
// method; what cannot run is refused at validation, by param.
import { create } from '@bufbuild/protobuf';
import { NodeProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, inverseTransform, loadGraph, runGraph, validateGraph, writeNpy, writeOnnx, type GraphDoc, type TableValue } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { gaussian, modelOf } from './onnx-build';

async function files(): Promise<Record<string, Uint8Array>> {
  const r = new RandomSource(21);
  const c = new Tensor([16, 32]);
  for (let t = 0; t < 12; t++) c.data[Math.floor(r.uniform() * 512)] = 1 + r.uniform();
  const w1 = new Tensor([16, 32], Float32Array.from(await inverseTransform(c, 16, 32, { kind: 'dct' })));
  const [u, v] = [gaussian([32, 2], 22), gaussian([2, 16], 23)];
  const w2 = new Tensor([32, 16]);
  for (let i = 0; i < 32; i++) for (let j = 0; j < 16; j++) w2.data[i * 16 + j] = u.data[2 * i]! * v.data[j]! + u.data[2 * i + 1]! * v.data[16 + j]!;
  const model = modelOf(['n', 16], [['W1', w1], ['W2', w2]], [
    create(NodeProtoSchema, { name: 'dctLayer', opType: 'MatMul', input: ['x', 'W1'], output: ['h'] }),
    create(NodeProtoSchema, { name: 'lowRank', opType: 'MatMul', input: ['h', 'W2'], output: ['y'] }),
  ]);
  return { 'm.onnx': writeOnnx(model), 'x.npy': writeNpy(gaussian([64, 16], 24)) };
}

function graph(compare: object): GraphDoc {
  const r = loadGraph(
    {
      format: 'corespace.graph',
      version: 1,
      name: 'compare',
      nodes: [
        { id: 'm', type: 'source.onnx', params: { path: 'm.onnx' } },
        { id: 'x', type: 'source.npy', params: { path: 'x.npy' } },
        { id: 'compress', type: 'compress.model', params: { method: 'svd', ratio: 0.5 } },
        { id: 'eval', type: 'evaluate.model', params: {} },
        { id: 'compare', type: 'compare.methods', params: compare },
      ],
      edges: [
        { id: 'e1', from: { node: 'm', port: 'model' }, to: { node: 'compress', port: 'model' } },
        { id: 'e2', from: { node: 'x', port: 'tensor' }, to: { node: 'compress', port: 'calibration' } },
        { id: 'e3', from: { node: 'compress', port: 'model' }, to: { node: 'eval', port: 'model' } },
        { id: 'e4', from: { node: 'm', port: 'model' }, to: { node: 'eval', port: 'reference' } },
        { id: 'e5', from: { node: 'x', port: 'tensor' }, to: { node: 'eval', port: 'inputs' } },
      ],
    },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

describe('compare.methods', () => {
  it('runs six methods at two budgets, measures each, finds each layer\'s own representation and plots a series per method', async () => {
    const bytes = await files();
    const shown: { series?: string[]; x: number[]; plot: string }[] = [];
    const methods = ['svd', 'svd-llm', 'dct', 'wht', 'dwt', 'lowrank-subbands'];
    const run = await runGraph(graph({ node: 'compress', methods, budgets: [1, 0.3], measure: 'eval' }), {
      registry,
      backend: cpuBackend,
      files: { read: async (p: string) => bytes[p]!, fingerprint: async (p: string) => p },
      output: { write: async (n: string) => n },
      models: wasmModelRuntime,
      views: { show: async (_: string, v: never) => (shown.push(v), {}) },
    });
    expect([run.status, run.nodes.compare!.error]).toEqual(['success', undefined]);
    const t = run.outputs.get('compare')!.table as TableValue;
    expect(t.labels).toEqual(methods.flatMap((m) => [`${m} @ 100 %`, `${m} @ 30 %`]));
    const col = (c: string) => t.rows.map((r) => r[t.columns.indexOf(c)]!);
    // At 100 % every method gives the original's outputs (its layers kept whole or exact; SVD-LLM
    // may drop what the second layer's inputs, of rank 12, never reach: the weight changes there).
    for (const [i, m] of methods.entries()) {
      expect([m, col('relError')[2 * i]! < 1e-5, m === 'svd-llm' || col('weightError')[2 * i]! < 1e-6, col('kept')[2 * i]! <= 1]).toEqual([m, true, true, true]);
      expect([m, col('kept')[2 * i + 1]! <= 0.3]).toEqual([m, true]);
    }
    // At 30 %, dct keeps the DCT layer exactly (24 params) and spends the rest on the other.
    expect(col('weightError')[5]!).toBeLessThan(col('weightError')[9]!);
    // Per layer, at 30 % of each: dct wins the first, an SVD the second; every method ran on both.
    const layers = run.outputs.get('compare')!.layers as TableValue;
    const at30 = layers.labels!.filter((l) => l.includes('@ 30 %'));
    expect(at30).toHaveLength(2);
    expect(at30[0]).toBe('dctLayer @ 30 % · dct (output error)');
    expect(at30[1]).toMatch(/^lowRank @ 30 % · svd(-llm)? \(output error\)$/);
    const row = layers.rows[layers.labels!.indexOf(at30[0]!)]!;
    for (const [i, m] of methods.entries()) {
      const [params, rel] = [row[2 + 3 * i]!, row[3 + 3 * i]!];
      expect([m, params <= 0.3 * 512, Number.isFinite(rel)]).toEqual([m, true, true]);
    }
    expect(row[3 + 3 * 2]!).toBeLessThan(1e-6);
    // The plot: the 12 runs as points, one series per method, the smaller x the better.
    expect(shown).toHaveLength(1);
    expect([shown[0]!.plot, [...new Set(shown[0]!.series)]]).toEqual(['rank-sweep', methods]);
  });

  it('is refused at validation when it names no compress.model, no measuring node, method cp or no method', () => {
    const problems = (params: object) => validateGraph(graph({ node: 'compress', ...params }), registry).problems.map((p) => p.message).join('\n');
    expect(problems({ node: 'eval' })).toMatch(/node 'eval' is a evaluate\.model, not a compress\.model/);
    expect(problems({ measure: 'nope' })).toMatch(/there is no node 'nope' in this graph/);
    expect(problems({ measure: 'x' })).toMatch(/node 'x' is a source\.npy, which reports no metrics/);
    expect(problems({ methods: ['svd', 'cp'] })).toMatch(/method 'cp' takes ranks or a ratio, not a budget/);
    expect(problems({ methods: [] })).toMatch(/tick at least one method/);
    expect(problems({})).toBe('');
  });
});
