// TT-SVD on the WebGPU device against TensorLy and Oseledets' eps rule (test/refs), and against
// the CPU on a tensor large enough that the device's Gram route is taken.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, syntheticTensor, tt } from '../../engine';
import { ttReconstruct } from '../../engine/decomp/tt';
import type { GpuContext } from '../../engine/webgpu/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { ttGpu } from '../../engine/webgpu/tt';
import { gaussian, gpuAvailable, refExpected as expected, refInput as input, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
});


describe.skipIf(!gpuAvailable)('TT-SVD on WebGPU', () => {
  for (const name of ['tt_sincos_6x6x6x6x6', 'tt_random_rank1-2-3-2-1_8x9x10x11']) {
    it(`${name}: TensorLy's ranks and errors (within 1e-6) at fixed ranks; the refs' ranks for eps`, async () => {
      const ref = expected(name);
      for (const e of ref.tensorly_tensor_train as { rank_arg: number | number[]; tt_ranks: number[]; relative_error: number; core_shapes: number[][] }[]) {
        const r = await ttGpu(ops, input(name), { maxRank: e.rank_arg });
        expect(r.ranks).toEqual(e.tt_ranks);
        expect(r.cores.map((c) => c.shape)).toEqual(e.core_shapes);
        expect(Math.abs(r.relError - e.relative_error)).toBeLessThan(1e-6);
      }
      for (const e of ref.eps_tt_svd as { eps: number; tt_ranks: number[] }[]) {
        const r = await ttGpu(ops, input(name), { eps: e.eps });
        expect(r.ranks).toEqual(e.tt_ranks);
        expect(r.relError).toBeLessThanOrEqual(e.eps);
      }
    });
  }

  it('the device Gram route (first unfolding 80 × 46080) gives the CPU\'s ranks and error', async () => {
    const x = syntheticTensor({ kind: 'tt', shape: [80, 48, 40, 24], ranks: [3, 4, 3], noise: 0.01 }, new RandomSource(4)).tensor;
    const cpu = tt(x, { maxRank: [3, 4, 3] });
    const got = await ttGpu(ops, x, { maxRank: [3, 4, 3] });
    expect(got.ranks).toEqual(cpu.ranks);
    expect(Math.abs(got.relError - cpu.relError)).toBeLessThan(1e-5);
    // The reported error is the train's own: reconstruct it on the host and compare.
    const rec = ttReconstruct(got.cores);
    let num = 0;
    let den = 0;
    for (let i = 0; i < x.size; i++) {
      num += (x.data[i]! - rec[i]!) ** 2;
      den += x.data[i]! ** 2;
    }
    expect(Math.abs(Math.sqrt(num / den) - got.relError)).toBeLessThan(1e-6);
  });

  it('reconstructs exactly at full ranks; a 1-D tensor is one core', async () => {
    const x = gaussian([3, 4, 5], 2);
    const r = await ttGpu(ops, x, { maxRank: 100 });
    expect(r.ranks).toEqual([1, 3, 5, 1]);
    expect(r.relError).toBeLessThan(1e-6);
    const line = await ttGpu(ops, Tensor.from([4], [1, 2, 3, 4]), { maxRank: 2 });
    expect(line.ranks).toEqual([1, 1]);
    expect([...line.cores[0]!.data]).toEqual([1, 2, 3, 4]);
    await expect(ttGpu(ops, x, { eps: -1 })).rejects.toThrow(/eps must be > 0/);
  });
});
