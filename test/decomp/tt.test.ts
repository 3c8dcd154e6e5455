// TT-SVD (engine/decomp/tt.ts, written once over the dense ops) on each backend: TensorLy's ranks,
// core shapes and errors at fixed ranks, Oseledets' eps rule giving the refs' ranks, exact
// reconstruction at full ranks, a 1-D tensor as one core, refusals; then the WebGPU device's Gram
// route (a first unfolding of 80 × 46080) against the CPU, its error checked on the host.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, syntheticTensor } from '../../engine';
import { ttReconstruct, ttWith } from '../../engine/decomp/tt';
import { denseBackends } from '../backends';
import { refExpected as expected, refInput as input } from '../refs/refs';
import { gaussian } from '../webgpu/gpu';

describe.each(denseBackends)('TT-SVD on $name', (backend) => {
  const tt = (x: Tensor, o: Parameters<typeof ttWith>[2]) => ttWith(backend.ops(), x, o);

  describe.skipIf(backend.skip)('against TensorLy and Oseledets (test/refs)', () => {
    for (const name of ['tt_sincos_6x6x6x6x6', 'tt_random_rank1-2-3-2-1_8x9x10x11']) {
      const ref = expected(name);
      it(`${name}: fixed ranks give TensorLy's ranks and errors within 1e-6`, async () => {
        for (const e of ref.tensorly_tensor_train as { rank_arg: number | number[]; tt_ranks: number[]; relative_error: number; core_shapes: number[][] }[]) {
          const r = await tt(input(name), { maxRank: e.rank_arg });
          expect(r.ranks).toEqual(e.tt_ranks);
          expect(r.cores.map((c) => c.shape)).toEqual(e.core_shapes);
          expect(Math.abs(r.relError - e.relative_error)).toBeLessThan(1e-6);
        }
      });
      it(`${name}: eps gives exactly the refs ranks and error ≤ eps`, async () => {
        for (const e of ref.eps_tt_svd as { eps: number; tt_ranks: number[] }[]) {
          const r = await tt(input(name), { eps: e.eps });
          expect(r.ranks).toEqual(e.tt_ranks);
          expect(r.relError).toBeLessThanOrEqual(e.eps);
        }
      });
    }

    it('reconstructs exactly at full ranks; a 1-D tensor is one core; refuses bad ranks', async () => {
      const x = gaussian([3, 4, 5], 2);
      const r = await tt(x, { maxRank: 100 });
      expect(r.ranks).toEqual([1, 3, 5, 1]);
      expect(r.relError).toBeLessThan(1e-6);
      expect(Math.max(...ttReconstruct(r.cores).map((v, i) => Math.abs(v - x.data[i]!)))).toBeLessThan(1e-5);
      const line = await tt(Tensor.from([4], [1, 2, 3, 4]), { maxRank: 2 });
      expect(line.ranks).toEqual([1, 1]);
      expect([...line.cores[0]!.data]).toEqual([1, 2, 3, 4]);
      await expect(tt(x, { maxRank: [2, 2, 2] })).rejects.toThrow(/one number, 2 inner ranks, or 4 ranks/);
      await expect(tt(x, { eps: -1 })).rejects.toThrow(/eps must be > 0/);
      await expect(tt(x, { maxRank: 0 })).rejects.toThrow(/positive integers, got 0/);
    });
  });
});

const [cpu, webgpu] = denseBackends as [(typeof denseBackends)[0], (typeof denseBackends)[0]];

describe.skipIf(webgpu.skip)('TT-SVD on WebGPU against the CPU', () => {
  it("the device Gram route (first unfolding 80 × 46080) gives the CPU's ranks and error", async () => {
    const x = syntheticTensor({ kind: 'tt', shape: [80, 48, 40, 24], ranks: [3, 4, 3], noise: 0.01 }, new RandomSource(4)).tensor;
    const want = await ttWith(cpu.ops(), x, { maxRank: [3, 4, 3] });
    const got = await ttWith(webgpu.ops(), x, { maxRank: [3, 4, 3] });
    expect(got.ranks).toEqual(want.ranks);
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-5);
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
});
