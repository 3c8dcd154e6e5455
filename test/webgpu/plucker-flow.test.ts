// The Grassmann-flow features on the GPU against the host's float64 ones (engine/geometry/flow.ts):
// normalised Plücker coordinates averaged over lags, zeros where none fits, an output bound in
// windows of whole steps above an artificially small binding limit, and a degenerate (zero) pair.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, grassmannFlowFeatures } from '../../engine';
import { PluckerFlowKernel } from '../../engine/webgpu/kernels/plucker-flow';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { gpuAvailable, withGpu } from './gpu';

let gpu: GpuContext;
withGpu((g) => (gpu = g));

const sequence = (steps: number, r: number, seed: number) => {
  const z = new Tensor([steps, r]);
  new RandomSource(seed).fillNormal(z.data);
  return z;
};

describe.skipIf(!gpuAvailable)('Grassmann flow on WebGPU', () => {
  it('equals the host features (each entry within 1e-5: they are means of unit-norm coordinates)', async () => {
    const z = sequence(300, 7, 1);
    const lags = [1, 2, 4, 8, 12, 16];
    const want = grassmannFlowFeatures(z, lags);
    const ops = new GpuOps(gpu);
    const got = await new PluckerFlowKernel(gpu).compute(ops, z, lags);
    expect(got.shape).toEqual([300, 21]);
    let worst = 0;
    for (let i = 0; i < want.size; i++) worst = Math.max(worst, Math.abs(got.data[i]! - want.data[i]!));
    expect(worst).toBeLessThan(1e-5);
    expect([...got.data.subarray(0, 21)].every((x) => x === 0)).toBe(true); // t = 0: no lag fits
  });

  it('binds the output a window of whole steps at a time above the binding limit, with the same values', async () => {
    const z = sequence(200, 12, 2); // 66 coordinates a step: 52.8 KB of output
    const small = { ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 16384 } };
    const ops = new GpuOps(small);
    const got = await new PluckerFlowKernel(small).compute(ops, z, [1, 3]);
    const whole = await new PluckerFlowKernel(gpu).compute(new GpuOps(gpu), z, [1, 3]);
    expect([...got.data]).toEqual([...whole.data]);
    expect(ops.stats.dispatches).toBeGreaterThan(2); // the norms, then several windows
  });

  it('a repeated step (p = 0) contributes zeros, not NaN', async () => {
    const z = Tensor.from([3, 3], [1, 2, 3, 1, 2, 3, 0, 1, 0]);
    const got = await new PluckerFlowKernel(gpu).compute(new GpuOps(gpu), z, [1]);
    expect([...got.data.subarray(3, 6)]).toEqual([0, 0, 0]);
    const want = grassmannFlowFeatures(z, [1]);
    for (let i = 6; i < 9; i++) expect(got.data[i]).toBeCloseTo(want.data[i]!, 6);
  });
});
