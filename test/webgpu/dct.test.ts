// The GPU DCT (a product with the cosine matrix) against scipy's dctn (shared/refs dct_2d_13x22 and
// dct_3d_12x20x18, odd sizes) and the CPU transform on other axes, at the refs' 1e-5 × max|c|.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, dct, readNpy } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { dctGpu } from '../../engine/webgpu/transforms';
import { gaussian, withGpu } from './gpu';

let gpu: GpuContext | null = null;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
});

const npy = (c: string, f: string) => readNpy(new Uint8Array(readFileSync(new URL(`../../../shared/refs/cases/${c}/${f}`, import.meta.url))), f);
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);
const peak = (t: Tensor) => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('WebGPU DCT', () => {
  it.each(['dct_2d_13x22', 'dct_3d_12x20x18'])('matches scipy.fft.dctn(norm="ortho") on %s over all axes, and inverts', async (c) => {
    if (!gpu) return;
    const x = npy(c, 'input.npy');
    const want = npy(c, 'expected.npy');
    const got = await dctGpu(ops, x, {});
    expect(got.shape).toEqual(x.shape);
    expect(maxDiff(got, want)).toBeLessThanOrEqual(1e-5 * peak(want));
    const back = await dctGpu(ops, got, { inverse: true });
    expect(maxDiff(back, x) / peak(x)).toBeLessThan(1e-5);
  });

  it.each([[[5, 7, 3], [1]], [[4, 1, 6], [0, 2]], [[9, 2], [-2]]])('equals the CPU on %j along axes %j', async (shape, axes) => {
    if (!gpu) return;
    const x = gaussian(shape, 3);
    for (const inverse of [false, true]) {
      const want = dct(x, { axes, inverse });
      expect(maxDiff(await dctGpu(ops, x, { axes, inverse }), want)).toBeLessThanOrEqual(1e-5 * peak(want));
    }
  });

  it('refuses an axis out of range, as the CPU does', async () => {
    if (!gpu) return;
    await expect(dctGpu(ops, Tensor.zeros([3, 2]), { axes: [2] })).rejects.toThrow(/axis 2 is out of range for a 2-D input/);
  });
});
