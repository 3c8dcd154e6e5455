// The backend interface the algorithms are written against. The CPU backend is the living
// definition of every op; other backends (WebGPU, issue #4) must match it in parity tests.
import { Tensor, matmul, modeProduct, type MatmulOptions } from './tensor';

export type BackendName = 'cpu' | 'webgpu';

export interface Backend {
  readonly name: BackendName;
  /** Human-readable device description, recorded in run.json. */
  readonly adapter: string;
  matmul(a: Tensor, b: Tensor, opts?: MatmulOptions): Tensor;
  modeProduct(x: Tensor, m: Tensor, mode: number, opts?: { transpose?: boolean }): Tensor;
}

export const cpuBackend: Backend = {
  name: 'cpu',
  adapter: 'CPU (JavaScript and WebAssembly SIMD, float32 storage, float64 accumulation)',
  matmul,
  modeProduct,
};
