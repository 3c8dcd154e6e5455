// Running ONNX models: onnxruntime-web's WebAssembly backend, the same in Node and in a browser
// worker, loaded on first use (its runtime is large; graphs without a model never load it).
import { create } from '@bufbuild/protobuf';
import { ValueInfoProtoSchema } from 'onnx-buf';
import { cloneModel, writeOnnx, type ModelProto } from '../io/onnx';
import { Tensor, formatShape } from '../tensor';
import type { ModelRuntime } from '../node-api';

type Ort = typeof import('onnxruntime-web');
let loading: Promise<Ort> | null = null;

async function ort(): Promise<Ort> {
  if (!loading) {
    loading = import('onnxruntime-web').then((m) => {
      // One thread: the engine's own work shares the cores, and threads need cross-origin isolation.
      m.env.wasm.numThreads = 1;
      return m;
    });
  }
  return loading;
}

/** Runs the model once on `input` (its first input) and returns the fetched outputs as float32 tensors. */
async function runOnce(model: ModelProto, input: Tensor, fetch: (names: readonly string[]) => string[], what: string): Promise<Map<string, Tensor>> {
  const m = await ort();
  let session;
  try {
    session = await m.InferenceSession.create(writeOnnx(model), { executionProviders: ['wasm'] });
  } catch (e) {
    throw new Error(`${what} does not load in onnxruntime-web: ${(e as Error).message}`);
  }
  try {
    const feeds = { [session.inputNames[0]!]: new m.Tensor('float32', input.data, [...input.shape]) };
    const names = fetch(session.outputNames);
    let out;
    try {
      out = await session.run(feeds, names);
    } catch (e) {
      throw new Error(`${what} did not run on an input of ${formatShape(input.shape)}: ${(e as Error).message}`);
    }
    const result = new Map<string, Tensor>();
    for (const name of names) {
      const y = out[name]!;
      if (y.type !== 'float32') throw new Error(`${what}'s output '${name}' is ${y.type}; Corespace reads float32 values`);
      result.set(name, new Tensor(y.dims.map(Number), Float32Array.from(y.data as Float32Array)));
    }
    return result;
  } finally {
    await session.release();
  }
}

/** The model's first output on one input tensor (the model's first input), float32. */
export async function runModel(model: ModelProto, input: Tensor, what = 'model'): Promise<Tensor> {
  const out = await runOnce(model, input, (names) => [names[0]!], what);
  return [...out.values()][0]!;
}

/** The named edges of the graph on one input: each made an extra graph output for this run (a copy
 * of the model; the one given is not changed). */
export async function captureValues(model: ModelProto, input: Tensor, names: readonly string[], what = 'model'): Promise<Map<string, Tensor>> {
  const copy = cloneModel(model);
  const g = copy.graph!;
  const known = new Set([...g.node.flatMap((n) => n.output), ...g.input.map((i) => i.name), ...g.initializer.map((t) => t.name)]);
  for (const name of names) {
    if (!known.has(name)) throw new Error(`${what} has no value named '${name}' to capture`);
    if (!g.output.some((o) => o.name === name)) g.output.push(create(ValueInfoProtoSchema, { name }));
  }
  return runOnce(copy, input, () => [...new Set(names)], what);
}

/** The host side of model nodes (RunContext.models) for Node: the CLI passes this. */
export const wasmModelRuntime: ModelRuntime = { run: runModel, capture: captureValues };
