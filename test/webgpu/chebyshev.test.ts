// Chebyshev evaluation on the GPU against numpy's chebval (test/refs cheb_*: the interpolant's
// values at the test points, from the refs' own coefficients) and against the CPU's float64
// evaluation of a Chebyshev-Tucker expansion; float32 tolerance 1e-5 of the largest value.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, evaluateChebyshev, tucker, type ChebyshevValue } from '../../engine';
import { ChebyshevKernel } from '../../engine/webgpu/kernels/chebyshev';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { gaussian, gpuAvailable, refNpy as npy, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
let kernel: ChebyshevKernel;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(g);
  kernel = new ChebyshevKernel(g);
});

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe.skipIf(!gpuAvailable)('Chebyshev evaluation on WebGPU', () => {
  it.each([
    ['cheb_gauss3d_12', [[-1, 1], [-1, 1], [-1, 1]]],
    ['cheb_1d_20', [[-1, 3]]],
  ] as [string, [number, number][]][])('%s: the refs coefficients at the test points equal numpy chebval', async (c, domain) => {
    const coefficients = npy(c, 'expected_coeffs.npy');
    const pts = npy(c, 'test_points.npy');
    const want = npy(c, 'test_interp_values.npy');
    const got = await kernel.evaluate(ops, { kind: 'chebyshev', domain, coefficients }, pts.data, want.size);
    expect(got.length).toBe(want.size);
    const err = Array.from(got).reduce((m, v, i) => Math.max(m, Math.abs(v - want.data[i]!)), 0);
    expect(err).toBeLessThanOrEqual(1e-5 * maxAbs(want.data));
  });

  it('a Chebyshev-Tucker expansion (3-D, ranks 3×2×4) equals the CPU\'s float64 evaluation', async () => {
    const coeffs = gaussian([9, 7, 11], 4);
    const t = await tucker(coeffs, { ranks: [3, 2, 4], method: 'hooi', init: 'svd', maxIter: 10, tol: 1e-8, random: new RandomSource(1) });
    const e: ChebyshevValue = { kind: 'chebyshev', domain: [[0, 2], [-1, 1], [-3, 5]], coefficients: { kind: 'tucker', core: t.core, factors: t.factors } };
    const m = 1000;
    const pts = new Tensor([m, 3]);
    const rnd = new RandomSource(8);
    for (let p = 0; p < m; p++) e.domain.forEach(([lo, hi], a) => (pts.data[p * 3 + a] = lo + (hi - lo) * rnd.uniform()));
    const want = evaluateChebyshev(e, Float64Array.from(pts.data), m);
    const got = await kernel.evaluate(ops, e, pts.data, m);
    const err = Array.from(got).reduce((mx, v, i) => Math.max(mx, Math.abs(v - want[i]!)), 0);
    expect(err).toBeLessThanOrEqual(1e-5 * maxAbs(want));
    // Points beyond one binding (4 KB here: 1000 points × 3 coordinates are 12 KB) go in chunks,
    // with the same values; coefficients beyond it are refused, naming the sizes.
    const smallCtx = { ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 4096 } };
    const small = new GpuOps(smallCtx);
    expect([...(await new ChebyshevKernel(smallCtx).evaluate(small, e, pts.data, m))]).toEqual([...got]);
    expect(small.stats.readbacks).toBe(Math.ceil(m / 320));
    const dense: ChebyshevValue = { kind: 'chebyshev', domain: [[-1, 1], [-1, 1]], coefficients: new Tensor([40, 40]) };
    await expect(new ChebyshevKernel(smallCtx).evaluate(small, dense, new Float32Array(2), 1)).rejects.toThrow(/the Chebyshev evaluation \(the coefficients\) on the GPU reads all of \[40×40\] \(6400 bytes\) at once, above this device's storage binding limit of 4096 bytes/);
  });

  it('refuses expansions beyond its limits with a message', async () => {
    const wide: ChebyshevValue = { kind: 'chebyshev', domain: [[-1, 1], [-1, 1]], coefficients: new Tensor([200, 100]) };
    await expect(kernel.evaluate(ops, wide, new Float32Array(2), 1)).rejects.toThrow(/Σ ranks ≤ 256, got \[200×100\]/);
  });
});
