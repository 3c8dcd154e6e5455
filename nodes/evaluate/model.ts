import { z } from 'zod';
import { checkFinite, ctcClasses, ctcGreedy, defineNode, formatShape, readingScores, relativeError, type Metrics, type Tensor } from '../../engine';
import { runnableModel } from '../source/onnx';

/** Argmax over the last axis for each leading position. */
function argmaxRows(t: Tensor): Int32Array {
  const c = t.shape[t.ndim - 1] ?? 1;
  const out = new Int32Array(t.size / c);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (t.data[r * c + j]! > t.data[r * c + best]!) best = j;
    out[r] = best;
  }
  return out;
}

/** The reference model's output on an input, held weakly by both objects. */
const referenceOutputs = new WeakMap<object, WeakMap<object, { provider: string; output: Tensor }>>();

export const evaluateModel = defineNode({
  type: 'evaluate.model',
  title: 'Evaluate model',
  category: 'evaluate',
  description: 'Runs a model (and a reference model) on the same inputs in onnxruntime-web (WebAssembly in Node and in the editor\'s engine worker; its WebGPU execution provider in the editor where the browser has WebGPU) and reports how closely the outputs agree: relative error, cosine and the agreement of their top-1 classes (argmax over the last axis); with labels, each model\'s top-1 accuracy.',
  typeVersion: 1,
  inputs: [
    { name: 'model', type: 'model', doc: 'the model to evaluate (e.g. a compressed one)' },
    { name: 'reference', type: 'model', doc: 'the model to compare with (e.g. the original)', optional: true },
    { name: 'inputs', type: 'tensor', doc: 'a batch for the model\'s first input' },
    { name: 'labels', type: 'tensor', doc: 'the class of each output position (the output\'s shape without its last axis)', optional: true },
  ],
  outputs: [
    { name: 'output', type: 'tensor', doc: 'the model\'s first output' },
    { name: 'metrics', type: 'metrics', doc: 'relError, cosine, top1Agreement (with a reference); accuracy, referenceAccuracy (with labels)' },
  ],
  params: z
    .object({
      dictionary: z.string().min(1).optional().describe('a CTC text recogniser\'s character dictionary (PaddleOCR\'s ppocr_keys_v1.txt: one character a line), relative to the graph file'),
      texts: z.array(z.string()).max(100_000).optional().describe('the true text of each input line, for exactLines and cer (needs dictionary)'),
      provider: z.enum(['auto', 'wasm', 'webgpu']).default('auto').describe('onnxruntime-web\'s execution provider: wasm (everywhere), webgpu (the editor, in a browser with WebGPU); auto: webgpu where the engine runs on a hardware GPU, else wasm'),
    })
    .refine((p) => !p.texts || p.dictionary, { path: ['texts'], message: 'texts are read through a dictionary: set dictionary too' }),
  files: (p) => (p.dictionary ? [p.dictionary] : []),
  async run({ model, reference, inputs, labels }, p, ctx) {
    const runtime = ctx.models;
    if (!runtime) throw new Error('this host runs no ONNX models; run the graph in the editor or headless: corespace run GRAPH.json');
    checkFinite(inputs, "input 'inputs'");
    const provider = p.provider === 'auto' ? runtime.preferred : p.provider;
    if (!runtime.providers.includes(provider)) throw new Error(`param 'provider': this host runs models on ${runtime.providers.join(' and ')} only, not ${provider} (use auto or wasm; webgpu runs in the editor, in a browser with WebGPU)`);
    ctx.progress(0, reference ? 2 : 1, `running ${model.name} (${provider})`);
    const y = await runtime.run(await runnableModel(ctx, model), inputs, `input 'model' (${model.name})`, provider);
    const metrics: Metrics = {};
    let yRef: Tensor | undefined;
    if (reference) {
      ctx.progress(1, 2, `running ${reference.name}`);
      // A sweep measuring each compressed model reruns this node on the same reference and inputs.
      const byRef = referenceOutputs.get(reference.proto) ?? referenceOutputs.set(reference.proto, new WeakMap()).get(reference.proto)!;
      const known = byRef.get(inputs);
      yRef = known?.provider === provider ? known.output : await runtime.run(await runnableModel(ctx, reference), inputs, `input 'reference' (${reference.name})`, provider);
      byRef.set(inputs, { provider, output: yRef });
      if (formatShape(y.shape) !== formatShape(yRef.shape)) throw new Error(`the outputs differ in shape: ${formatShape(y.shape)} from 'model', ${formatShape(yRef.shape)} from 'reference'; compare models of the same task`);
      let dot = 0;
      let n1 = 0;
      let n2 = 0;
      for (let i = 0; i < y.size; i++) {
        const [a, b] = [y.data[i]!, yRef.data[i]!];
        dot += a * b;
        n1 += a * a;
        n2 += b * b;
      }
      const [am, ar] = [argmaxRows(y), argmaxRows(yRef)];
      const agree = am.reduce((s, v, i) => s + (v === ar[i] ? 1 : 0), 0);
      metrics.relError = { value: relativeError(yRef.data, y.data), unit: '', doc: '‖y − y_ref‖ / ‖y_ref‖ over the whole output' };
      metrics.cosine = { value: n1 === 0 || n2 === 0 ? (n1 === n2 ? 1 : 0) : dot / Math.sqrt(n1 * n2), unit: '', doc: 'cosine between the two outputs' };
      metrics.top1Agreement = { value: agree / am.length, unit: '', doc: `fraction of the ${am.length} output positions whose argmax (last axis) agree` };
    }
    if (labels) {
      const am = argmaxRows(y);
      if (labels.size !== am.length) throw new Error(`input 'labels' has ${labels.size} entries for ${am.length} output positions (the output is ${formatShape(y.shape)}); give one class per position`);
      const acc = (pred: Int32Array) => pred.reduce((s, v, i) => s + (v === labels.data[i] ? 1 : 0), 0) / pred.length;
      metrics.accuracy = { value: acc(am), unit: '', doc: 'top-1 accuracy of the model on the labels' };
      if (yRef) metrics.referenceAccuracy = { value: acc(argmaxRows(yRef)), unit: '', doc: 'top-1 accuracy of the reference' };
    }
    if (p.texts && p.dictionary) {
      const classes = ctcClasses(new TextDecoder().decode(await ctx.files.read(p.dictionary)));
      if (y.ndim !== 3 || y.shape[0] !== p.texts.length) throw new Error(`param 'texts' has ${p.texts.length} lines but the output is ${formatShape(y.shape)}; give the text of each input line ([lines, steps, classes])`);
      const read = ctcGreedy(y, classes);
      const s = readingScores(read, p.texts);
      metrics.exactLines = { value: s.exactLines, unit: '', doc: `lines read exactly, of ${p.texts.length} (greedy CTC decoding)` };
      metrics.cer = { value: s.cer, unit: '', doc: 'character error rate: Σ edit distance / Σ characters of the truth' };
      if (yRef) {
        const r = readingScores(ctcGreedy(yRef, classes), p.texts);
        metrics.referenceExactLines = { value: r.exactLines, unit: '', doc: 'the reference\'s exact lines' };
        metrics.referenceCer = { value: r.cer, unit: '', doc: 'the reference\'s character error rate' };
      }
    }
    return { output: y, metrics };
  },
});
