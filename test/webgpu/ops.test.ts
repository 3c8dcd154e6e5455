// The device-resident ops the GPU algorithms are built from (engine/webgpu/ops.ts), against the CPU
// definitions: permute = numpy.transpose exactly (a copy, so bit for bit); mode products, Gram
// matrices of unfoldings and the fused residual within float32 summation bounds.
import { describe, expect, it } from 'vitest';
import { Tensor, matmul, modeProduct, permute, unfold } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { GpuOps } from '../../engine/webgpu/ops';
import { gaussian, gpuAvailable, relMax, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuOps(gpu);
});

describe.skipIf(!gpuAvailable)('WebGPU resident ops', () => {
  it.each([
    [[5, 7], [1, 0]],
    [[3, 4, 5], [2, 0, 1]],
    [[2, 1, 3, 4], [3, 1, 0, 2]],
    [[2, 3, 2, 3, 2, 3, 2, 2], [7, 6, 5, 4, 3, 2, 1, 0]],
  ])('permute %j by %j equals numpy.transpose bit for bit', async (shape, perm) => {
    const x = gaussian(shape, 1);
    const got = await ops.read(ops.permute(ops.upload(x), perm));
    const want = permute(x, perm);
    expect(got.shape).toEqual(want.shape);
    expect([...got.data]).toEqual([...want.data]);
  });

  it('permute covers more than 65535 workgroups (a 2-D grid)', async () => {
    const x = gaussian([257, 65537], 2); // 16.8 M entries: 65 794 workgroups of 256
    const got = await ops.read(ops.permute(ops.upload(x), [1, 0]));
    const want = permute(x, [1, 0]);
    let same = true;
    for (let i = 0; i < want.size && same; i++) same = got.data[i] === want.data[i];
    expect(same).toBe(true);
  });

  it('mode products on every mode, both directions, match the CPU', async () => {
    const x = gaussian([6, 9, 5, 4], 3);
    for (let mode = 0; mode < 4; mode++) {
      const u = gaussian([x.shape[mode]!, 3], 10 + mode);
      const proj = await ops.read(ops.ttm(ops.upload(x), ops.upload(u), mode, true));
      expect(relMax(proj, modeProduct(x, u, mode, { transpose: true }))).toBeLessThan(1e-6);
      const small = gaussian(x.shape.map((n, i) => (i === mode ? 3 : n)), 20 + mode);
      const back = await ops.read(ops.ttm(ops.upload(small), ops.upload(u), mode, false));
      expect(relMax(back, modeProduct(small, u, mode))).toBeLessThan(1e-6);
    }
  });

  it('a batched mode product over more than 65535 matrices (dispatched in chunks)', async () => {
    const x = gaussian([70000, 3, 2], 4);
    const u = gaussian([3, 2], 5);
    const got = await ops.read(ops.ttm(ops.upload(x), ops.upload(u), 1, true));
    expect(relMax(got, modeProduct(x, u, 1, { transpose: true }))).toBeLessThan(1e-6);
  });

  it('Gram matrices of every unfolding match the CPU', async () => {
    const x = gaussian([7, 5, 1, 6], 6);
    for (let mode = 0; mode < 4; mode++) {
      const g = await ops.read(ops.gram(ops.upload(x), mode));
      const xn = unfold(x, mode);
      expect(relMax(g, matmul(xn, xn, { transB: true }))).toBeLessThan(1e-6);
    }
  });

  it('writes α·X ×ₙ U + β·C into C (the residual in one pass) and sums squares in float64', async () => {
    const core = gaussian([2, 3, 4], 7);
    const u = gaussian([5, 3], 8);
    const c = gaussian([2, 5, 4], 9);
    const into = ops.upload(c);
    const got = await ops.read(ops.ttm(ops.upload(core), ops.upload(u), 1, false, { into, alpha: -1, beta: 1 }));
    const rec = modeProduct(core, u, 1);
    const want = new Tensor(c.shape, c.data.map((v, i) => v - rec.data[i]!));
    expect(relMax(got, want)).toBeLessThan(1e-6);
    let s = 0;
    for (const v of want.data) s += v * v;
    expect(Math.abs((await ops.sumSquares(ops.upload(want))) - s) / s).toBeLessThan(1e-6);
    expect(ops.stats.readbacks).toBeGreaterThan(0);
  });

  it('batched mode products, Gram matrices and sums of squares above an artificially small binding limit equal the unwindowed ones', async () => {
    const small = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 8192 } });
    const x = gaussian([40, 30, 12], 5); // 57.6 KB
    const u = gaussian([30, 4], 6);
    for (const o of [ops, small]) expect(o.fitsBinding(o.upload(x))).toBe(o === ops);
    expect([...(await small.read(small.ttm(small.upload(x), small.upload(u), 1, true))).data]).toEqual([...(await ops.read(ops.ttm(ops.upload(x), ops.upload(u), 1, true))).data]);
    const last = gaussian([12, 3], 7);
    expect(relMax(await small.read(small.ttm(small.upload(x), small.upload(last), 2, true)), modeProduct(x, last, 2, { transpose: true }))).toBeLessThan(1e-6);
    for (let mode = 0; mode < 3; mode++) expect(relMax(await small.read(small.gram(small.upload(x), mode)), await ops.read(ops.gram(ops.upload(x), mode))), `mode ${mode}`).toBeLessThan(1e-6);
    const big = gaussian([70000], 8); // 280 KB: 35 windows of 8 KB for the reduction
    const s64 = big.data.reduce((acc, v) => acc + v * v, 0);
    expect(Math.abs((await small.sumSquares(small.upload(big))) - s64) / s64).toBeLessThan(1e-6);
    // A transpose that keeps axis 0 first goes a window of slabs at a time, bit for bit.
    expect([...(await small.read(small.permute(small.upload(x), [0, 2, 1]))).data]).toEqual([...permute(x, [0, 2, 1]).data]);
    // Every transpose that moves axis 0 goes through three windowed passes (a block transpose in
    // the middle), also bit for bit.
    const y = gaussian([9, 7, 5, 33], 9); // 41.6 KB
    for (const perm of [[2, 1, 0], [1, 0, 2], [2, 0, 1], [1, 2, 0], [3, 2, 1, 0], [1, 0, 2, 3], [3, 0, 1, 2]]) {
      const t = perm.length === 3 ? x : y;
      const before = small.stats.dispatches;
      expect([...(await small.read(small.permute(small.upload(t), perm))).data], `perm ${perm}`).toEqual([...permute(t, perm).data]);
      expect(small.stats.dispatches - before, `perm ${perm}`).toBeGreaterThan(3);
    }
    // Axis 0 kept but one slab above the limit: each slab transposed on its own (in passes).
    const z = gaussian([3, 50, 60], 10); // slabs of 12 KB
    expect([...(await small.read(small.permute(small.upload(z), [0, 2, 1]))).data]).toEqual([...permute(z, [0, 2, 1]).data]);
    // One column of a matrix the block transpose cannot bind is refused with the sizes.
    const tiny = new GpuOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 512 } });
    expect(() => tiny.permute(tiny.upload(gaussian([200, 3], 1)), [1, 0])).toThrow(/cannot bind one column of a 200×3 matrix within this device's storage binding limit of 512 bytes/);
  });
});
