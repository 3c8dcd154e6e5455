// Running ONNX models: onnxruntime-web's WebAssembly backend, the same in Node and in a browser
// worker, loaded on first use (its runtime is large; graphs without a model never load it). The host
// says how to load it: the CLI imports the package's Node build, the editor's worker its WebAssembly
// build with the .wasm file's URL.
import { create } from '@bufbuild/protobuf';
import { ValueInfoProtoSchema } from 'onnx-buf';
import { cloneModel, writeOnnx, type ModelProto } from '../io/onnx';
import { Tensor, formatShape } from '../tensor';
import type { ModelProvider, ModelRuntime } from '../node-api';

export type Ort = typeof import('onnxruntime-web');

/**
 * A model runtime over onnxruntime-web as `load` provides it, and with `webgpu` its WebGPU build (each
 * loaded on its first model run, once). `preferred()` says which provider `auto` takes at the time.
 */
export function onnxModelRuntime(load: () => Promise<Ort>, opts: { webgpu?: () => Promise<Ort>; preferred?: () => ModelProvider } = {}): ModelRuntime {
  const loading = new Map<ModelProvider, Promise<Ort>>();
  const ort = (provider: ModelProvider) => {
    if (!loading.has(provider)) {
      const loader = provider === 'webgpu' ? opts.webgpu! : load;
      loading.set(
        provider,
        loader().then((m) => {
          // One thread: the engine's own work shares the cores, and threads need cross-origin isolation.
          m.env.wasm.numThreads = 1;
          return m;
        }),
      );
    }
    return loading.get(provider)!;
  };

  /** Runs the model once on `input` (its first input) and returns the fetched outputs as float32 tensors. */
  async function runOnce(model: ModelProto, input: Tensor, fetch: (names: readonly string[]) => string[], what: string, provider: ModelProvider = 'wasm'): Promise<Map<string, Tensor>> {
    if (provider === 'webgpu' && !opts.webgpu) throw new Error(`this host runs models on WebAssembly only (no WebGPU execution provider here)`);
    const m = await ort(provider);
    let session;
    try {
      session = await m.InferenceSession.create(writeOnnx(model), { executionProviders: [provider] });
    } catch (e) {
      throw new Error(`${what} does not load in onnxruntime-web (${provider}): ${(e as Error).message}`);
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

  return {
    providers: opts.webgpu ? ['wasm', 'webgpu'] : ['wasm'],
    get preferred() {
      return opts.preferred?.() ?? 'wasm';
    },
    async run(model, input, what, provider) {
      const out = await runOnce(model, input, (names) => [names[0]!], what, provider);
      return [...out.values()][0]!;
    },
    // Each named edge made an extra graph output for this run (of a copy: the model given is unchanged).
    async capture(model, input, names, what) {
      const copy = cloneModel(model);
      const g = copy.graph!;
      const known = new Set([...g.node.flatMap((n) => n.output), ...g.input.map((i) => i.name), ...g.initializer.map((t) => t.name)]);
      for (const name of names) {
        if (!known.has(name)) throw new Error(`${what} has no value named '${name}' to capture`);
        if (!g.output.some((o) => o.name === name)) g.output.push(create(ValueInfoProtoSchema, { name }));
      }
      return runOnce(copy, input, () => [...new Set(names)], what);
    },
  };
}
