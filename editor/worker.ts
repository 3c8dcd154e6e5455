// The engine worker: runs graphs off the UI thread with the WebGPU backend when the browser has a
// hardware adapter and the CPU backend otherwise. It keeps the output cache between runs, so only
// nodes whose inputs or params changed run again. Cancel: a shared flag the scheduler's progress
// events check (within one iteration), or a 'cancel' message between nodes.
import { GraphError, OutputCache, chooseBackend, cpuBackend, cpuThreads, onnxModelRuntime, previewOf, runGraph, withEmbeddedFiles, type Backend, type FileResolver, type Preview } from '../engine';
import { registry } from '../nodes';
import { viewKind } from '../viewer/views';
import type { FromWorker, RunFile, ToWorker } from './protocol';
// onnxruntime-web's WebAssembly build and its WebGPU build (whose .wasm is the asyncify one), served
// as assets and fetched on the first model run of each only.
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortWebgpuWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);
const cache = new OutputCache();
let backend: Backend = cpuBackend;
const running = new Map<number, AbortController>();
// Model nodes (evaluate.model, compress.model's calibration, MACs) run ONNX models here, in this worker.
const models = onnxModelRuntime(
  async () => {
    const ort = await import('onnxruntime-web/wasm');
    ort.env.wasm.wasmPaths = { wasm: new URL(ortWasm, self.location.href).href };
    ort.env.wasm.proxy = false;
    return ort;
  },
  {
    ...('gpu' in navigator
      ? {
          webgpu: async () => {
            const ort = await import('onnxruntime-web/webgpu');
            ort.env.wasm.wasmPaths = { wasm: new URL(ortWebgpuWasm, self.location.href).href };
            ort.env.wasm.proxy = false;
            return ort;
          },
        }
      : {}),
    // auto: the GPU where the engine runs on a hardware adapter (a software one is slower than wasm).
    preferred: () => (backend.name === 'webgpu' ? 'webgpu' : 'wasm'),
  },
);

async function pick(prefer: 'auto' | 'cpu'): Promise<{ backend: Backend; notice?: string }> {
  const { backend, fallback } = await chooseBackend(prefer, { gpu: async () => (navigator as Navigator & { gpu?: GPU }).gpu, label: 'corespace editor' });
  if (!fallback) return { backend };
  if (fallback.reason === 'no-webgpu') return { backend, notice: 'this browser has no WebGPU: running on the CPU backend' };
  return { backend, notice: `CPU backend: ${fallback.reason === 'software' ? `${fallback.message}, slower than the CPU backend` : fallback.message}` };
}

function resolver(files: Record<string, RunFile>): FileResolver {
  return {
    async read(path) {
      const f = files[path];
      if (!f) throw new Error(`file '${path}' is not in this browser's file store: load it with the node's file picker`);
      return f.bytes;
    },
    async fingerprint(path) {
      return files[path]?.hash ?? 'missing';
    },
  };
}

self.onmessage = async ({ data }: MessageEvent<ToWorker>) => {
  if (data.type === 'init') {
    const picked = await pick(data.preferBackend);
    backend = picked.backend;
    post({ type: 'ready', backend: backend.name, adapter: backend.adapter, ...(picked.notice ? { notice: picked.notice } : {}), threads: cpuThreads().running });
    return;
  }
  if (data.type === 'cancel') {
    running.get(data.runId)?.abort();
    return;
  }
  const { runId, graph } = data;
  const controller = new AbortController();
  running.set(runId, controller);
  const flag = data.cancelFlag ? new Int32Array(data.cancelFlag) : null;
  const lastProgress = new Map<string, number>();
  try {
    const result = await runGraph(graph, {
      registry,
      backend,
      cache,
      files: withEmbeddedFiles(graph, resolver(data.files)),
      models,
      views: {
        interactive: true,
        async show(node, view) {
          viewKind(view.kind); // a kind the results panel cannot draw fails the node, naming the kinds
          post({ type: 'view', runId, node, view });
          return { file: 'shown in the results panel' };
        },
      },
      output: {
        async write(name, bytes) {
          post({ type: 'file', runId, name, bytes });
          return `${name} (offered for download in the results panel)`;
        },
      },
      ...(data.targets?.length ? { targets: data.targets } : {}),
      maxSeconds: data.maxSeconds,
      signal: controller.signal,
      onEvent(event) {
        if (flag && Atomics.load(flag, 0) === 1) controller.abort();
        // At most one progress message per node every 40 ms (a fast loop reports far more often).
        if (event.type === 'progress') {
          const now = performance.now();
          if (now - (lastProgress.get(event.node) ?? -Infinity) < 40) return;
          lastProgress.set(event.node, now);
        }
        post({ type: 'event', runId, event });
      },
    });
    for (const [node, rec] of Object.entries(result.nodes)) if (rec.status === 'cached' && rec.summary) post({ type: 'cached', runId, node, summary: rec.summary });
    for (const [node, outputs] of result.outputs) {
      // Thumbnails are shown on the nodes: each reads back the tensors it shows (the only results
      // a GPU left on the device that the editor reads; the others stay there for the next run).
      let made: (readonly [string, Preview | null])[];
      try {
        made = await Promise.all(Object.entries(outputs).map(async ([port, value]) => [port, await previewOf(value, port)] as const));
      } catch {
        continue; // the device was lost: the next run computes them again
      }
      const previews = Object.fromEntries(made.filter(([, p]) => p !== null));
      if (Object.keys(previews).length) post({ type: 'previews', runId, node, previews: previews as Record<string, NonNullable<(typeof previews)[string]>> });
    }
    post({ type: 'finished', runId, status: result.status, threads: cpuThreads().running });
  } catch (e) {
    if (e instanceof GraphError) post({ type: 'invalid', runId, problems: [...e.problems] });
    else post({ type: 'crashed', runId, message: e instanceof Error ? e.message : String(e) });
  } finally {
    running.delete(runId);
  }
};
