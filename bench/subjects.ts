// What the benchmark measures, from the engine's public API.
import { RandomSource, Tensor, mat, randomizedSvd } from '../engine';

export { RandomSource, Tensor, cp, dctMatrix, filters, grassmannFlowFeatures, matmul, syntheticTensor, tt, tucker } from '../engine';

export function randomizedSvdOfTensor(x: Tensor, rank: number, random: RandomSource) {
  const [m, n] = x.shape as [number, number];
  // TensorLy's defaults for randomized_svd: 5 oversamples, 2 power iterations (the anchor's call).
  return randomizedSvd(mat(m, n, Float64Array.from(x.data)), { rank, oversample: 5, powerIters: 2, random });
}

/** The WebGPU backend (Dawn, through the `webgpu` package) and its kernels, loaded only when asked. */
export async function webgpuSubjects() {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const { WebGpuBackend } = await import('../engine/webgpu/backend');
  const { FwhtKernel, fwhtLastAxis } = await import('../engine/webgpu/kernels/fwht');
  const { GpuTensor } = await import('../engine/webgpu/ops');
  const { NaiveGemm } = await import('./gemm-naive');
  const { DctFftKernel } = await import('../engine/webgpu/kernels/dct-fft');
  const { DwtKernel } = await import('../engine/webgpu/kernels/dwt');
  return { backend: await WebGpuBackend.create(create([]), 'corespace bench'), FwhtKernel, fwhtLastAxis, GpuTensor, NaiveGemm, DctFftKernel, DwtKernel };
}
