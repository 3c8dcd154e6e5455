// The model runtime of the CLI, tests and benches: onnxruntime-web's Node build (its WebAssembly
// backend, files found beside the package). The editor's worker makes its own (editor/worker.ts).
import { onnxModelRuntime } from './runtime';

export const wasmModelRuntime = onnxModelRuntime(() => import('onnxruntime-web'));
