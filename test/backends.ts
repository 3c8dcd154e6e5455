// The backends an algorithm written once over the dense ops (engine/decomp/ops.ts) runs on, for
// suites that check it on each (tinygrad's helper_test_op habit): the CPU always, WebGPU where the
// machine has an adapter (in CI always: test/webgpu/gpu.ts fails the file without one). Each case
// carries the tolerances that backend is held to. Importing this module gives the test file one
// Dawn device (files run in forks).
import type { DenseOps } from '../engine/decomp/ops';
import { cpuDenseOps } from '../engine/decomp/ops';
import type { GpuContext } from '../engine/webgpu/runtime/device';
import { gpuDenseOps } from '../engine/webgpu/dense-ops';
import { MttkrpKernel } from '../engine/webgpu/kernels/mttkrp';
import { GpuOps } from '../engine/webgpu/ops';
import { gpuAvailable, withGpu } from './webgpu/gpu';

export interface DenseBackend {
  name: 'cpu' | 'webgpu';
  /** No adapter here (outside CI): the suite is reported as skipped. */
  skip: boolean;
  /** Fresh ops (on WebGPU a fresh GpuOps on the file's device, limits overridden if asked). */
  ops(limits?: Partial<GPUSupportedLimits>): DenseOps<any, any>;
  /** Agreement expected where float64 sums give ~1e-7 and float32 device sums ~1e-6. */
  tol: { orthogonality: number; ordering: number };
}

let gpu: GpuContext | undefined;
if (gpuAvailable) withGpu((g) => void (gpu = g));

export const denseBackends: DenseBackend[] = [
  { name: 'cpu', skip: false, ops: () => cpuDenseOps, tol: { orthogonality: 1e-5, ordering: 1e-7 } },
  {
    name: 'webgpu',
    skip: !gpuAvailable,
    ops(limits) {
      const ctx = limits ? { ...gpu!, limits: { ...gpu!.limits, ...limits } as GPUSupportedLimits } : gpu!;
      const ops = new GpuOps(ctx);
      return gpuDenseOps(ops, new MttkrpKernel(ctx, ops.pool));
    },
    tol: { orthogonality: 1e-5, ordering: 1e-6 },
  },
];

/** The WebGPU ops of this file's device (for tests of GPU-only behaviour); undefined without one. */
export const gpuContext = (): GpuContext | undefined => gpu;
