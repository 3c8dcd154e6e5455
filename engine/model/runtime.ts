// Running ONNX models: onnxruntime-web's WebAssembly backend, the same in Node and in a browser
// worker, loaded on first use (its runtime is large; graphs without a model never load it).
import { writeOnnx, type ModelProto } from '../io/onnx';
import { Tensor, formatShape } from '../tensor';

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

/** The model's first output on one input tensor (the model's first input), float32. */
export async function runModel(model: ModelProto, input: Tensor, what = 'model'): Promise<Tensor> {
  const m = await ort();
  let session;
  try {
    session = await m.InferenceSession.create(writeOnnx(model), { executionProviders: ['wasm'] });
  } catch (e) {
    throw new Error(`${what} does not load in onnxruntime-web: ${(e as Error).message}`);
  }
  try {
    const feeds = { [session.inputNames[0]!]: new m.Tensor('float32', input.data, [...input.shape]) };
    let out;
    try {
      out = await session.run(feeds);
    } catch (e) {
      throw new Error(`${what} did not run on an input of ${formatShape(input.shape)}: ${(e as Error).message}`);
    }
    const y = out[session.outputNames[0]!]!;
    if (y.type !== 'float32') throw new Error(`${what}'s first output is ${y.type}; Corespace compares float32 outputs`);
    return new Tensor(y.dims.map(Number), Float32Array.from(y.data as Float32Array));
  } finally {
    await session.release();
  }
}
