// What the benchmark measures, from the engine's public API.
import { RandomSource, Tensor, mat, randomizedSvd } from '../engine';

export { RandomSource, Tensor, cp, matmul, syntheticTensor, tt, tucker } from '../engine';

export function randomizedSvdOfTensor(x: Tensor, rank: number, random: RandomSource) {
  const [m, n] = x.shape as [number, number];
  return randomizedSvd(mat(m, n, Float64Array.from(x.data)), { rank, oversample: 10, powerIters: 4, random });
}
