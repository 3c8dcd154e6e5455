// Device copies kept between calls (engine/webgpu/resident.ts): the same input is uploaded once, a
// transform's output feeds the next transform from the device, results stay those of fresh uploads,
// and the cache drops its least recently used copies past its cap.
import { describe, expect, it } from 'vitest';
import { RandomSource, dct, syntheticTensor, tucker, type TuckerOptions } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { dctGpu } from '../../engine/webgpu/transforms';
import { gpuDenseOps } from '../../engine/webgpu/dense-ops';
import { tuckerWith } from '../../engine/decomp/tucker';
import { gaussian, gpuAvailable, relMax, withGpu } from './gpu';

let gpu: GpuContext;
withGpu((g) => void (gpu = g));

const opts = (): TuckerOptions => ({ ranks: [3, 3, 3], method: 'hooi', init: 'svd', maxIter: 20, tol: 1e-8, random: new RandomSource(1) });

describe.skipIf(!gpuAvailable)('device-resident tensors between calls', () => {
  it('a rank sweep uploads its input once and gets the results of fresh uploads', async () => {
    const ops = new GpuOps(gpu);
    const x = syntheticTensor({ kind: 'tucker', shape: [30, 20, 10], ranks: [3, 3, 3], noise: 0.01 }, new RandomSource(2)).tensor;
    const first = await tuckerWith(gpuDenseOps(ops), x, opts());
    const afterFirst = ops.stats.uploadBytes;
    const second = await tuckerWith(gpuDenseOps(ops), x, opts());
    // The second run uploads only its small factors, not the 24 KB tensor.
    expect(ops.stats.uploadBytes - afterFirst).toBeLessThan(x.data.byteLength);
    expect(second.relError).toBe(first.relError);
    expect(Math.abs(second.relError - (await tucker(x, opts())).relError)).toBeLessThan(1e-6);
  });

  it('a DCT of a DCT\'s output starts on the device and still equals the CPU', async () => {
    const ops = new GpuOps(gpu);
    const x = gaussian([10, 12, 14], 3);
    const y = await dctGpu(ops, x, {});
    const before = ops.stats.uploadBytes;
    const back = await dctGpu(ops, y, { inverse: true });
    expect(ops.stats.uploadBytes - before).toBe(4 * (10 * 10 + 12 * 12 + 14 * 14)); // only the cosine matrices
    expect(relMax(back, x)).toBeLessThan(1e-5);
    expect(relMax(y, (await dct(x)))).toBeLessThan(1e-5);
    // The kept input was not overwritten by the in-place kernels: transforming x again gives y.
    expect([...(await dctGpu(ops, x, {})).data]).toEqual([...y.data]);
  });

  it('past its cap the cache drops the least recently used copies, and results stay right', async () => {
    const ops = new GpuOps(gpu, 3000); // room for one 2.4 KB tensor
    const a = gaussian([600], 4);
    const b = gaussian([600], 5);
    const ya = await dctGpu(ops, a, {});
    const yb = await dctGpu(ops, b, {});
    expect(ops.resident.size.entries).toBe(1);
    expect(ops.resident.size.bytes).toBeLessThanOrEqual(3000);
    expect(relMax(ya, (await dct(a)))).toBeLessThan(1e-5);
    expect(relMax(yb, (await dct(b)))).toBeLessThan(1e-5);
    expect(relMax(await dctGpu(ops, a, {}), ya)).toBe(0);
  });
});
