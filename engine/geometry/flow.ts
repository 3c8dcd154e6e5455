// The Grassmann-flow features of a sequence (arXiv 2512.19428, without its learned maps): for each
// step t the mean, over the lags Δ with t − Δ ≥ 0, of the normalised Plücker coordinates
// p(z_t, z_{t−Δ}) / max(‖p‖, 1e-8); zeros where no lag fits. In float64 on the host; the WebGPU
// backend computes the same on the device (engine/webgpu/kernels/plucker-flow.ts).
import { Tensor, formatShape } from '../tensor';
import { pluckerInto, pluckerSize } from './plucker';

export function grassmannFlowFeatures(z: Tensor, lags: readonly number[], progress?: (t: number, steps: number) => void): Tensor {
  if (z.ndim !== 2) throw new Error(`the flow features need a sequence [T, r], got ${formatShape(z.shape)}`);
  const [steps, r] = z.shape as [number, number];
  const width = pluckerSize(r);
  const out = new Tensor([steps, width]);
  const acc = new Float64Array(width);
  const pair = new Float64Array(width);
  const unique = [...new Set(lags)];
  for (let t = 0; t < steps; t++) {
    if (progress && t % 1024 === 0) progress(t, steps);
    acc.fill(0);
    let used = 0;
    const zt = z.data.subarray(t * r, (t + 1) * r);
    for (const lag of unique) {
      if (t - lag < 0) continue;
      const norm = pluckerInto(zt, z.data.subarray((t - lag) * r, (t - lag + 1) * r), r, pair);
      const scale = 1 / Math.max(norm, 1e-8);
      for (let j = 0; j < width; j++) acc[j]! += pair[j]! * scale;
      used++;
    }
    if (used) for (let j = 0; j < width; j++) out.data[t * width + j] = acc[j]! / used;
  }
  return out;
}
