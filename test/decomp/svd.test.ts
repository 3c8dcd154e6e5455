// The randomized SVD (engine/decomp/svd.ts, written once over the dense ops) on each backend:
// LAPACK's leading singular values of test/refs svd_decay_240x180 and orthonormal factors, and
// decompose.svd's rank choice, spectrum and truncation error on both; inputs of magnitude 1e30 and
// 3e-30 (a device's float32 products square them) giving the unit-scale spectrum, scaled; then the
// two backends against each other, a matrix in windows above a small binding limit, and the exact
// method, which is the host's Jacobi SVD whatever the backend.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, syntheticTensor, type Mat } from '../../engine';
import { randomizedSvdWith, truncatedSvdWith, type SvdOptions } from '../../engine/decomp/svd';
import { denseBackends } from '../backends';
import { orthogonalityError } from './checks';
import { refExpected, refInput } from '../refs/refs';

const toTensor = (m: Mat) => new Tensor([m.rows, m.cols], Float32Array.from(m.data));


describe.each(denseBackends)('the randomized SVD on $name', (backend) => {
  describe.skipIf(backend.skip)('against LAPACK and the identities', () => {
    it('finds the top-20 singular values of svd_decay_240x180 (refs), with orthonormal factors', async () => {
      const a = refInput('svd_decay_240x180');
      const want = refExpected('svd_decay_240x180').top_singular_values as number[];
      const ops = backend.ops();
      const aH = await ops.input(a, 'a');
      const { u, s, v } = await randomizedSvdWith(ops, aH, { rank: 20, oversample: 10, powerIters: 4, random: new RandomSource(3) });
      ops.release(aH);
      ops.done();
      // Float64 products keep LAPACK's values to 1e-6; float32 ones to 1e-4.
      want.forEach((x, i) => expect(Math.abs(s[i]! - x) / x).toBeLessThan(backend.name === 'cpu' ? 1e-6 : 1e-4));
      for (const f of [u, v].map(toTensor)) expect(orthogonalityError(f)).toBeLessThan(backend.name === 'cpu' ? 1e-6 : 1e-4);
      expect([u.rows, u.cols, v.rows, v.cols]).toEqual([240, 20, 180, 20]);
    });

    it.each([1e30, 3e-30])('entries of magnitude %s: the spectrum of the input at magnitude 1, scaled, and the same error', async (scale) => {
      const x = syntheticTensor({ kind: 'tucker', shape: [60, 40], ranks: [4, 4], noise: 0.01 }, new RandomSource(8)).tensor;
      const opts = { rank: 4, method: 'randomized' as const, oversample: 6, powerIters: 2 };
      const unit = await truncatedSvdWith(backend.ops(), x, { ...opts, random: new RandomSource(5) });
      const big = await truncatedSvdWith(backend.ops(), new Tensor(x.shape, x.data.map((v) => v * scale)), { ...opts, random: new RandomSource(5) });
      for (let i = 0; i < 4; i++) expect(big.spectrum[i]! / scale / unit.spectrum[i]!).toBeCloseTo(1, 4);
      expect(big.value.s.data.every(Number.isFinite)).toBe(true);
      expect(Math.abs(big.relError - unit.relError)).toBeLessThan(1e-4);
    });

    it('a rank-deficient sketch (rank 1 matrix, rank 5 asked) still gives an orthonormal U', async () => {
      const a = new Tensor([30, 20]);
      for (let i = 0; i < 30; i++) for (let j = 0; j < 20; j++) a.data[i * 20 + j] = (i + 1) * (j % 3 === 0 ? 1 : -0.5);
      const r = await truncatedSvdWith(backend.ops(), a, { rank: 5, method: 'randomized', oversample: 2, powerIters: 1, random: new RandomSource(1) });
      expect(r.spectrum[1]! / r.spectrum[0]!).toBeLessThan(1e-3);
      expect(r.relError).toBeLessThan(1e-5);
      expect(orthogonalityError(r.value.u)).toBeLessThan(1e-4);
    });
  });
});

const [cpu, webgpu] = denseBackends as [(typeof denseBackends)[0], (typeof denseBackends)[0]];

describe.skipIf(webgpu.skip)('decompose.svd on WebGPU against the CPU', () => {
  it('randomized: the same rank choice, spectrum and truncation error', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [300, 70, 2], ranks: [6, 6, 2], noise: 0.01 }, new RandomSource(4)).tensor;
    const opts = { rank: 6, method: 'randomized' as const, oversample: 8, powerIters: 3, mode: 1 };
    const want = await truncatedSvdWith(cpu.ops(), x, { ...opts, random: new RandomSource(11) });
    const got = await truncatedSvdWith(webgpu.ops(), x, { ...opts, random: new RandomSource(11) });
    expect(got.rank).toBe(6);
    expect(got.value.u.shape).toEqual([70, 6]);
    expect(got.value.v.shape).toEqual([600, 6]);
    for (let i = 0; i < 6; i++) expect(Math.abs(got.spectrum[i]! - want.spectrum[i]!) / want.spectrum[0]!).toBeLessThan(1e-5);
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-5);
    expect(got.relError).toBeGreaterThan(0.005);
  });

  it('a matrix above an artificially small storage binding limit: the same factorization, in windows', async () => {
    const x = syntheticTensor({ kind: 'tucker', shape: [200, 90], ranks: [5, 5], noise: 0.01 }, new RandomSource(6)).tensor; // 72 KB
    const opts = { rank: 5, method: 'randomized' as const, oversample: 5, powerIters: 2 };
    const want = await truncatedSvdWith(webgpu.ops(), x, { ...opts, random: new RandomSource(2) });
    const got = await truncatedSvdWith(webgpu.ops({ maxStorageBufferBindingSize: 16384 }), x, { ...opts, random: new RandomSource(2) });
    for (let i = 0; i < 5; i++) expect(Math.abs(got.spectrum[i]! - want.spectrum[i]!) / want.spectrum[0]!).toBeLessThan(1e-5);
    expect(Math.abs(got.relError - want.relError)).toBeLessThan(1e-6);
  });

  it('exact: the host Jacobi SVD, the same on both', async () => {
    const x = syntheticTensor({ kind: 'gaussian', shape: [30, 20], ranks: [], noise: 0 }, new RandomSource(5)).tensor;
    const opts: SvdOptions = { rank: 5, method: 'exact', oversample: 0, powerIters: 0, random: new RandomSource(1) };
    expect((await truncatedSvdWith(webgpu.ops(), x, opts)).spectrum).toEqual((await truncatedSvdWith(cpu.ops(), x, opts)).spectrum);
  });
});
