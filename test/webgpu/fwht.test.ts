// The WebGPU FWHT against the CPU transform (the definition) and the refs' arrays (scipy's
// hadamard(n)/√n, and the sequency order), at the refs' tolerance of 1e-5 × max|coefficient|.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RandomSource, Tensor, readNpy, wht } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { FwhtKernel } from '../../engine/webgpu/fwht';
import { gpuOrNull } from './gpu';

let gpu: GpuContext | null = null;
let kernel: FwhtKernel;
beforeAll(async () => {
  gpu = await gpuOrNull();
  if (gpu) kernel = new FwhtKernel(gpu);
});
afterAll(() => gpu?.device.destroy());

const refs = (f: string) => readNpy(new Uint8Array(readFileSync(new URL(`../../../shared/refs/cases/wht_1d_512/${f}`, import.meta.url))), f);
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const peak = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('WebGPU FWHT', () => {
  it('matches scipy on wht_1d_512, natural and sequency order', async () => {
    if (!gpu) return;
    const x = refs('input.npy');
    for (const [order, file] of [['natural', 'expected.npy'], ['sequency', 'expected_sequency.npy']] as const) {
      const want = refs(file);
      expect(maxDiff(await kernel.transformLastAxis(x, order), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it.each([
    [[7, 64]],
    [[3, 4096]],
    [[5, 1]],
    [[2, 3, 8]],
  ])('equals the CPU transform along the last axis of %j', async (shape) => {
    if (!gpu) return;
    const x = new Tensor(shape);
    new RandomSource(shape.length).fillNormal(x.data);
    const want = wht(x, { axes: [-1] });
    expect(maxDiff(await kernel.transformLastAxis(x), want)).toBeLessThanOrEqual(1e-5 * Math.max(1e-30, peak(want)));
    const seq = wht(x, { axes: [-1], order: 'sequency' });
    expect(maxDiff(await kernel.transformLastAxis(x, 'sequency'), seq)).toBeLessThanOrEqual(1e-5 * Math.max(1e-30, peak(seq)));
  });

  it('refuses lengths that are not powers of two or exceed one pass', async () => {
    if (!gpu) return;
    await expect(kernel.transformLastAxis(Tensor.zeros([2, 12]))).rejects.toThrow(/power-of-two last axis, but \[2×12\] ends in 12/);
    await expect(kernel.transformLastAxis(Tensor.zeros([8192]))).rejects.toThrow(/lines of up to 4096, got 8192/);
  });
});
