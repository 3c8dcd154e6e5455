// CP-ALS on the WebGPU device against TensorLy (test/refs cp_rank4_25x35x45) and the CPU backend:
// the same best errors over restarts, the svd-init run's sweep count, exact recovery, 2-way and
// 4-way tensors (the MTTKRP contraction order), normalized factors.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cp, syntheticTensor, type CpOptions } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/device';
import { cpGpu } from '../../engine/webgpu/cp';
import { MttkrpKernel } from '../../engine/webgpu/mttkrp';
import { GpuOps } from '../../engine/webgpu/ops';
import { gpuAvailable, refExpected as expected, refInput as input, relMax, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
let mk: MttkrpKernel;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(g);
  mk = new MttkrpKernel(g, ops.pool);
});

const cpOpts = (over: Partial<CpOptions>): CpOptions => ({ rank: 4, init: 'svd', maxIter: 500, tol: 1e-10, normalize: false, random: new RandomSource(1), ...over });

describe.skipIf(!gpuAvailable)('CP-ALS on WebGPU', () => {
  it.each([4, 2])('rank %i: the best of svd init and 5 random restarts reaches the refs best error', async (rank) => {
    const x = input('cp_rank4_25x35x45');
    const ref = expected('cp_rank4_25x35x45');
    const r = (ref.results as { rank: number; best_relative_error: number }[]).find((e) => e.rank === rank)!;
    const floor = ref.noise_floor_relative_error as number;
    const runs = [await cpGpu(ops, mk, x, cpOpts({ rank }))];
    for (const s of [1, 2, 3, 4, 5]) runs.push(await cpGpu(ops, mk, x, cpOpts({ rank, init: 'random', random: new RandomSource(s) })));
    const best = Math.min(...runs.map((run) => run.relError));
    expect(best).toBeLessThanOrEqual(Math.max(r.best_relative_error, rank === 4 ? floor : 0) * (1 + 1e-3));
    expect(best).toBeGreaterThanOrEqual(r.best_relative_error * (1 - 1e-3));
  });

  // Float32 MTTKRPs and Grams of entries near 1e36 overflow (and near 1e-36 underflow): the sweeps
  // run on the input scaled by a power of two, as on the CPU.
  it.each([1e36, 1e-36])('an input of magnitude %s gives the error of the same input at magnitude 1, and the scaled reconstruction', async (scale) => {
    const x = syntheticTensor({ kind: 'cp', shape: [10, 12, 14], ranks: [3], noise: 0.01 }, new RandomSource(3)).tensor;
    for (const normalize of [false, true]) {
      const unit = await cpGpu(ops, mk, x, cpOpts({ rank: 3, maxIter: 60, normalize }));
      const big = await cpGpu(ops, mk, new Tensor(x.shape, x.data.map((v) => v * scale)), cpOpts({ rank: 3, maxIter: 60, normalize }));
      expect(Math.abs(big.relError - unit.relError)).toBeLessThan(1e-4);
      expect(big.relError).toBeLessThan(0.05);
      // Component 0 at (0, 0, 0): weights × factor entries, against the unit run's, scaled.
      const at = (r: typeof unit) => r.weights.data[0]! * r.factors[0]!.data[0]! * r.factors[1]!.data[0]! * r.factors[2]!.data[0]!;
      expect(at(big) / scale / at(unit)).toBeCloseTo(1, 3);
    }
  });

  it('svd init above the multilinear rank: no component starts dead, as on the CPU', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [16, 16, 16], ranks: [4, 4, 4], noise: 0 }, new RandomSource(7)).tensor;
    const opts = (rank: number) => cpOpts({ rank, maxIter: 100 });
    const r4 = await cpGpu(ops, mk, x, opts(4));
    const r6 = await cpGpu(ops, mk, x, opts(6));
    expect(r6.relError).toBeLessThan(0.75 * r4.relError);
    expect(Math.abs(r6.relError - cp(x, opts(6)).relError)).toBeLessThan(1e-3 * r4.relError);
  });

  it('svd init at rank 4: TensorLy\'s sweep count (±2) and the CPU\'s error and trace', async () => {
    const x = input('cp_rank4_25x35x45');
    const svdRun = (expected('cp_rank4_25x35x45').results[0].runs as { init: string; iterations: number }[]).find((r) => r.init === 'svd')!;
    const run = await cpGpu(ops, mk, x, cpOpts({}));
    const cpu = cp(x, cpOpts({}));
    expect(Math.abs(run.iterations - svdRun.iterations)).toBeLessThanOrEqual(2);
    expect(Math.abs(run.relError - cpu.relError)).toBeLessThan(1e-6);
    run.trace.slice(0, 5).forEach((e, i) => expect(Math.abs(e - cpu.trace[i]!)).toBeLessThan(1e-5));
    expect(run.factors.map((f) => f.shape)).toEqual([[25, 4], [35, 4], [45, 4]]);
  });

  it('recovers exact CP tensors of order 2, 3 and 4, normalized or not, as the CPU does', async () => {
    for (const shape of [[9, 7], [6, 7, 8], [5, 4, 6, 3]]) {
      const clean = syntheticTensor({ kind: 'cp', shape, ranks: [3], noise: 0 }, new RandomSource(4)).tensor;
      for (const normalize of [false, true]) {
        const opts = (s: number) => cpOpts({ rank: 3, init: 'random', normalize, maxIter: 300, random: new RandomSource(s) });
        const gpuBest = Math.min(...(await Promise.all([1, 2, 3].map((s) => cpGpu(ops, mk, clean, opts(s))))).map((r) => r.relError));
        const cpuBest = Math.min(...[1, 2, 3].map((s) => cp(clean, opts(s)).relError));
        expect([shape, normalize, gpuBest < 1e-4]).toEqual([shape, normalize, cpuBest < 1e-4]);
        expect(gpuBest).toBeLessThan(1e-4);
      }
    }
  });

  it('contracts MTTKRPs above an artificially small binding limit in windows (whole slabs and accumulated runs), with the same sweeps', async () => {
    const x = syntheticTensor({ kind: 'cp', shape: [6, 40, 8, 5], ranks: [3], noise: 0.01 }, new RandomSource(5)).tensor; // 38 KB
    // 4 KB bindings: the GEMM output T (6·40·8 × 3) goes in P-slab windows; contracting mode 1 of
    // (1 × 40 × 40 × 3)-shaped partials needs runs of S within one slab.
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 4096 } });
    const smallMk = new MttkrpKernel({ ...gpu, limits: small.ctx.limits }, small.pool);
    const o = cpOpts({ rank: 3, init: 'random', maxIter: 30, tol: 0, random: new RandomSource(2) });
    const before = ops.stats.dispatches;
    const b = await cpGpu(ops, mk, x, { ...o, random: new RandomSource(2) });
    const a = await cpGpu(small, smallMk, x, o);
    expect(a.iterations).toBe(b.iterations);
    expect(Math.abs(a.relError - b.relError)).toBeLessThan(1e-6);
    a.factors.forEach((f, m) => expect(relMax(f, b.factors[m]!)).toBeLessThan(1e-4));
    expect(small.stats.dispatches).toBeGreaterThan(ops.stats.dispatches - before); // windows, not one dispatch each
  });

  it('refuses rank 0, order-1 tensors and non-finite input, as the CPU does', async () => {
    await expect(cpGpu(ops, mk, Tensor.from([3], [1, 2, 3]), cpOpts({}))).rejects.toThrow(/order ≥ 2/);
    await expect(cpGpu(ops, mk, Tensor.zeros([3, 3]), cpOpts({ rank: 0 }))).rejects.toThrow(/rank must be a positive integer, got 0/);
  });
});
