// GPU dot products and norms against the CPU (float64 sums): float32 partials over 4096-term chunks
// give about 1e-6 relative error for sums of same-signed terms.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, dot, frobeniusNorm } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { ReduceKernel } from '../../engine/webgpu/kernels/reduce';
import { gpuAvailable, withGpu } from './gpu';

let gpu: GpuContext;
let kernel: ReduceKernel;
withGpu((g) => {
  gpu = g;
  kernel = new ReduceKernel(gpu);
});

const gaussian = (n: number, seed: number) => {
  const t = new Tensor([n]);
  new RandomSource(seed).fillNormal(t.data);
  return t;
};

describe.skipIf(!gpuAvailable)('WebGPU reductions', () => {
  it.each([1, 255, 4096, 4097, 100_003])('‖x‖ of %i entries matches the CPU', async (n) => {
    const x = gaussian(n, n);
    expect(Math.abs((await kernel.frobeniusNorm(x)) / frobeniusNorm(x) - 1)).toBeLessThan(1e-6);
  });

  it('the subgroup variant (where the device has it) and the workgroup tree agree with the CPU', async () => {
    const variants = [new ReduceKernel(gpu, kernel.pool, 'tree'), ...(gpu.features.subgroups ? [new ReduceKernel(gpu, kernel.pool, 'subgroups')] : [])];
    if (process.env.CI) expect(variants.length).toBe(2); // lavapipe has subgroups and subgroup_id
    for (const n of [1, 4097, 100_003]) {
      const x = gaussian(n, n + 1);
      for (const v of variants) expect([v.variant, Math.abs((await v.frobeniusNorm(x)) / frobeniusNorm(x) - 1) < 1e-6]).toEqual([v.variant, true]);
    }
  });

  it('dot of two vectors, within float32 accuracy of Σ|xᵢyᵢ|', async () => {
    const x = gaussian(50_000, 1);
    const y = gaussian(50_000, 2);
    let scale = 0;
    for (let i = 0; i < x.size; i++) scale += Math.abs(x.data[i]! * y.data[i]!);
    expect(Math.abs((await kernel.dot(x, y)) - dot(x, y))).toBeLessThan(1e-6 * scale);
    await expect(kernel.dot(x, gaussian(3, 3))).rejects.toThrow(/operands have 50000 and 3 entries/);
    expect(await kernel.dot(new Tensor([0]), new Tensor([0]))).toBe(0);
  });
});
