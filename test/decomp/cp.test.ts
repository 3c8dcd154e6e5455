// CP-ALS (engine/decomp/cp.ts, written once over the dense ops) on each backend: against TensorLy
// (test/refs cp_rank4_25x35x45: the best error over restarts, the svd-init run's sweep count),
// exact recovery at orders 2, 3 and 4 (the MTTKRP contraction orders), normalized factors, the
// power-of-two scaling of inputs near float32's limits, refusals, and each backend's MTTKRP against
// the explicit sum; then the two backends against each other and the device's binding windows.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, syntheticTensor, type CpOptions } from '../../engine';
import { cpWith } from '../../engine/decomp/cp';
import { mat } from '../../engine/linalg';
import { denseBackends } from '../backends';
import { refExpected as expected, refInput as input } from '../refs/refs';
import { relMax } from '../webgpu/gpu';

const cpOpts = (over: Partial<CpOptions>): CpOptions => ({ rank: 4, init: 'svd', maxIter: 500, tol: 1e-10, normalize: false, random: new RandomSource(1), ...over });

describe.each(denseBackends)('CP-ALS on $name', (backend) => {
  const cp = (x: Tensor, o: CpOptions) => cpWith(backend.ops(), x, o);

  describe.skipIf(backend.skip)('against TensorLy (cp_rank4_25x35x45)', () => {
    const ref = expected('cp_rank4_25x35x45');

    it.each([4, 2])('rank %i: the best of svd init and 5 random restarts reaches the refs best error', async (rank) => {
      const x = input('cp_rank4_25x35x45');
      const r = (ref.results as { rank: number; best_relative_error: number }[]).find((e) => e.rank === rank)!;
      const floor = ref.noise_floor_relative_error as number;
      const runs = [await cp(x, cpOpts({ rank }))];
      for (const s of [1, 2, 3, 4, 5]) runs.push(await cp(x, cpOpts({ rank, init: 'random', random: new RandomSource(s) })));
      const best = Math.min(...runs.map((run) => run.relError));
      expect(best).toBeLessThanOrEqual(Math.max(r.best_relative_error, rank === 4 ? floor : 0) * (1 + 1e-3));
      expect(best).toBeGreaterThanOrEqual(r.best_relative_error * (1 - 1e-3));
    });

    it('svd init at rank 4 converges like TensorLy (10 sweeps) and its trace ends at the direct error', async () => {
      const x = input('cp_rank4_25x35x45');
      const run = await cp(x, cpOpts({}));
      const svdRun = (ref.results[0].runs as { init: string; iterations: number }[]).find((r) => r.init === 'svd')!;
      expect(Math.abs(run.iterations - svdRun.iterations)).toBeLessThanOrEqual(2);
      expect(Math.abs(run.trace.at(-1)! - run.relError)).toBeLessThan(1e-6);
      expect(run.factors.map((f) => f.shape)).toEqual([[25, 4], [35, 4], [45, 4]]);
    });
  });

  describe.skipIf(backend.skip)('identities', () => {
    it('recovers exact CP tensors of order 2, 3 and 4, normalized or not', async () => {
      for (const shape of [[9, 7], [6, 7, 8], [5, 4, 6, 3]]) {
        const clean = syntheticTensor({ kind: 'cp', shape, ranks: [3], noise: 0 }, new RandomSource(4)).tensor;
        for (const normalize of [false, true]) {
          const errors: number[] = [];
          for (const s of [1, 2, 3]) errors.push((await cp(clean, cpOpts({ rank: 3, init: 'random', normalize, maxIter: 300, random: new RandomSource(s) }))).relError);
          expect(Math.min(...errors), `${shape} normalize ${normalize}`).toBeLessThan(1e-4);
        }
      }
    });

    // Float32 MTTKRPs and Grams of entries near 1e36 overflow (and near 1e-36 underflow): the sweeps
    // run on the input scaled by a power of two.
    it.each([1e36, 1e-36])('an input of magnitude %s gives the error of the same input at magnitude 1, and the scaled reconstruction', async (scale) => {
      const x = syntheticTensor({ kind: 'cp', shape: [10, 12, 14], ranks: [3], noise: 0.01 }, new RandomSource(3)).tensor;
      for (const normalize of [false, true]) {
        const unit = await cp(x, cpOpts({ rank: 3, maxIter: 60, normalize }));
        const big = await cp(new Tensor(x.shape, x.data.map((v) => v * scale)), cpOpts({ rank: 3, maxIter: 60, normalize }));
        expect(Math.abs(big.relError - unit.relError)).toBeLessThan(1e-4);
        expect(big.relError).toBeLessThan(0.05);
        // Component 0 at (0, 0, 0): weights × factor entries, against the unit run's, scaled.
        const at = (r: typeof unit) => r.weights.data[0]! * r.factors[0]!.data[0]! * r.factors[1]!.data[0]! * r.factors[2]!.data[0]!;
        expect(at(big) / scale / at(unit)).toBeCloseTo(1, 3);
      }
    });

    it('refuses rank 0, order-1 tensors and non-finite input', async () => {
      const x = input('cp_rank4_25x35x45');
      await expect(cp(x, cpOpts({ rank: 0 }))).rejects.toThrow(/rank must be a positive integer, got 0/);
      await expect(cp(Tensor.from([3], [1, 2, 3]), cpOpts({}))).rejects.toThrow(/order ≥ 2/);
      const bad = x.clone();
      bad.data[bad.size - 1] = Infinity;
      await expect(cp(bad, cpOpts({}))).rejects.toThrow(/holds Infinity at index \[24, 34, 44\]/);
    });

    it("the MTTKRPs of one sweep (modes in order, a factor updated between them) equal the explicit sums, at orders 3 and 4", async () => {
      for (const shape of [[3, 4, 5], [3, 2, 4, 2]]) {
        const rnd = new RandomSource(12);
        const x = new Tensor(shape);
        rnd.fillNormal(x.data);
        const ops = backend.ops();
        const h = await ops.input(x, 'x');
        const fs = shape.map((n) => {
          const f = mat(n, 2);
          rnd.fillNormal(f.data);
          return f;
        });
        const up = fs.map((f, m) => ops.factor(f, `f${m}`));
        for (let mode = 0; mode < shape.length; mode++) {
          const got = await ops.mttkrp(h, up, mode);
          for (let i = 0; i < shape[mode]!; i++)
            for (let r = 0; r < 2; r++) {
              let s = 0;
              for (let flat = 0; flat < x.size; flat++) {
                const idx: number[] = [];
                let rest = flat;
                for (let a = shape.length - 1; a >= 0; a--) {
                  idx[a] = rest % shape[a]!;
                  rest = Math.floor(rest / shape[a]!);
                }
                if (idx[mode] !== i) continue;
                s += x.data[flat]! * shape.reduce((p, _, k) => (k === mode ? p : p * fs[k]!.data[idx[k]! * 2 + r]!), 1);
              }
              expect(got.data[i * 2 + r]).toBeCloseTo(s, backend.name === 'cpu' ? 10 : 4);
            }
          // ALS updates this mode before the next is contracted: the partial products must follow.
          fs[mode] = mat(shape[mode]!, 2, fs[mode]!.data.map((v) => v * 0.5 + 0.25));
          ops.release(up[mode]);
          up[mode] = ops.factor(fs[mode]!, `f${mode}'`);
        }
        ops.release(h, ...up);
        ops.done();
      }
    });
  });
});

const [cpu, webgpu] = denseBackends as [(typeof denseBackends)[0], (typeof denseBackends)[0]];

describe.skipIf(webgpu.skip)('CP-ALS on WebGPU against the CPU', () => {
  it("svd init at rank 4: the CPU's error and trace", async () => {
    const x = input('cp_rank4_25x35x45');
    const got = await cpWith(webgpu.ops(), x, cpOpts({}));
    const want = await cpWith(cpu.ops(), x, cpOpts({}));
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-6);
    got.trace.slice(0, 5).forEach((e, i) => expect(Math.abs(e - want.trace[i]!)).toBeLessThan(1e-5));
  });

  it('svd init above the multilinear rank: no component starts dead, as on the CPU', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [16, 16, 16], ranks: [4, 4, 4], noise: 0 }, new RandomSource(7)).tensor;
    const opts = (rank: number) => cpOpts({ rank, maxIter: 100 });
    const r4 = await cpWith(webgpu.ops(), x, opts(4));
    const r6 = await cpWith(webgpu.ops(), x, opts(6));
    expect(r6.relError).toBeLessThan(0.75 * r4.relError);
    expect(Math.abs(r6.relError - (await cpWith(cpu.ops(), x, opts(6))).relError)).toBeLessThan(1e-3 * r4.relError);
  });

  it('contracts MTTKRPs above an artificially small binding limit in windows (whole slabs and accumulated runs), with the same sweeps', async () => {
    const x = syntheticTensor({ kind: 'cp', shape: [6, 40, 8, 5], ranks: [3], noise: 0.01 }, new RandomSource(5)).tensor; // 38 KB
    // 4 KB bindings: the GEMM output T (6·40·8 × 3) goes in P-slab windows; contracting mode 1 of
    // (1 × 40 × 40 × 3)-shaped partials needs runs of S within one slab.
    const o = cpOpts({ rank: 3, init: 'random', maxIter: 30, tol: 0, random: new RandomSource(2) });
    const b = await cpWith(webgpu.ops(), x, { ...o, random: new RandomSource(2) });
    const a = await cpWith(webgpu.ops({ maxStorageBufferBindingSize: 4096 }), x, o);
    expect(a.iterations).toBe(b.iterations);
    expect(Math.abs(a.relError - b.relError)).toBeLessThan(1e-6);
    a.factors.forEach((f, m) => expect(relMax(f, b.factors[m]!)).toBeLessThan(1e-4));
  });
});
