// The radiance-field passes on WebGPU against the CPU's definitions (engine/radiance): the grid fields
// (dense, vm, cp) at points, their gradients by the fixed-point accumulation, renders and the
// renderer's backward pass, a few distillation steps; the accumulation's determinism and scale
// invariance; a field too large for the device refused before anything is uploaded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RandomSource, cameraRays, emptyField, evaluateField, initNeural, orbitCamera, renderRays, sceneField, zerosLike, type RadianceArch, type RadianceField, type RenderOptions } from '../../engine';
import { distill } from '../../engine/radiance/distill';
import { cpuRadianceOps, type GradSource } from '../../engine/radiance/ops';
import { RadianceKernels } from '../../engine/webgpu/kernels/radiance';
import { GpuOps } from '../../engine/webgpu/ops';
import { GpuRadianceOps } from '../../engine/webgpu/radiance';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { gpuAvailable, withGpu } from './gpu';

let gpu: GpuContext;
let ops: GpuRadianceOps;
withGpu((g) => {
  gpu = g;
  ops = new GpuRadianceOps(g, new GpuOps(g), new RadianceKernels(g));
});

const NEURAL = { levels: 3, log2TableSize: 6, features: 2, hidden: 16, layers: 2, frequencies: 10 };

/** Random params: densities spread over softplus's whole range (σ from ~0 to ~20); a network's
 * tables and biases well off zero, so its ReLUs are neither all dead nor all alive. */
function randomField(arch: RadianceArch, n: number, rs: number, rc: number, seed: number): RadianceField {
  const f = emptyField(arch, n, rs, rc, NEURAL);
  const r = new RandomSource(seed);
  if (arch === 'hash' || arch === 'mlp') {
    initNeural(f, () => r.normal(), () => r.uniform());
    for (const [name, t] of Object.entries(f.params)) if (name.startsWith('table') || name.startsWith('b')) for (let i = 0; i < t.size; i++) t.data[i] = (name.startsWith('b') ? 0.3 : 1) * r.normal();
    return f;
  }
  for (const [name, t] of Object.entries(f.params))
    for (let i = 0; i < t.size; i++) {
      if (arch === 'dense') t.data[i] = i % 4 === 0 ? 5 * r.uniform() : r.uniform();
      else if (name.startsWith('density')) t.data[i] = (arch === 'vm' ? 1.2 : 1.4) + 0.5 * r.normal();
      else t.data[i] = r.normal();
    }
  return f;
}

/** Points in [−1.1, 1.1]³ (some outside the box), and some exactly on grid nodes. */
function randomPoints(count: number, n: number, seed: number): Float32Array {
  const r = new RandomSource(seed);
  const p = new Float32Array(count * 3);
  for (let i = 0; i < p.length; i++) p[i] = i < 60 ? -1 + (2 * Math.floor(r.uniform() * n)) / (n - 1) : 2.2 * r.uniform() - 1.1;
  return p;
}

/** max |a − b| / max(max |b|, floor). */
function rel(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-30): number {
  let [d, s] = [0, floor];
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

// hash at resolution 24: levels of 16, 19 and 24 nodes, each above 2^6 entries, so every level
// hashes (collisions included); mlp with 10 frequencies (sin 2^9 π x, reduced exactly on the GPU).
const CASES: [RadianceArch, number, number, number][] = [
  ['dense', 7, 0, 0],
  ['vm', 9, 3, 4],
  ['cp', 10, 4, 5],
  ['hash', 24, 1, 1],
  ['mlp', 8, 1, 1],
];

const net = (arch: RadianceArch) => arch === 'hash' || arch === 'mlp';

const randomRays = (count: number, seed: number) => {
  const r = new RandomSource(seed);
  const origins = new Float32Array(count * 3);
  const dirs = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const [az, el] = [2 * Math.PI * r.uniform(), r.uniform() - 0.5];
    const eye = [3.5 * Math.cos(el) * Math.cos(az), 3.5 * Math.cos(el) * Math.sin(az), 3.5 * Math.sin(el)];
    const d = eye.map((e) => (r.uniform() - 0.5) * 2.4 - e);
    const l = Math.hypot(...d);
    origins.set(eye, 3 * i);
    dirs.set(d.map((v) => v / l), 3 * i);
  }
  return { origins, dirs };
};

describe.skipIf(!gpuAvailable)('radiance fields on WebGPU', () => {
  // The ops are used bare here (the backend adds these scopes): any rejected command fails the test.
  beforeEach(() => gpu.device.pushErrorScope('validation'));
  afterEach(async () => expect((await gpu.device.popErrorScope())?.message).toBeUndefined());

  it.each(CASES)('%s: σ and RGB at points equal the CPU\'s (float32), empty outside the box', async (arch, n, rs, rc) => {
    const f = randomField(arch, n, rs, rc, 1);
    const pts = randomPoints(700, n, 2);
    const want = evaluateField(f, pts);
    const slot = await ops.load(f);
    const got = await ops.evaluate(slot, pts);
    ops.release(slot);
    // σ to 2e-6 of the largest (a float32 sum of up to 36 products), RGB to 2e-6; a network's σ =
    // e^{o₀} turns the float32 rounding of its layers into 1e-5.
    const tol = net(arch) ? 1e-5 : 2e-6;
    expect(rel(got.sigma, want.sigma)).toBeLessThan(tol);
    expect(rel(got.rgb, want.rgb, 1)).toBeLessThan(tol);
    const outside = [...want.sigma.keys()].filter((p) => [0, 1, 2].some((a) => Math.abs(pts[3 * p + a]!) > 1));
    expect(outside.length).toBeGreaterThan(100);
    for (const p of outside) expect([got.sigma[p], got.rgb[3 * p]]).toEqual([0, 0]);
    // Some densities are large and some tiny: the range the comparison covers.
    expect(Math.max(...want.sigma)).toBeGreaterThan(arch === 'hash' || arch === 'mlp' ? 1.5 : 3);
  });

  it.each(CASES)('%s: the gradient of a point loss equals the CPU\'s', async (arch, n, rs, rc) => {
    const f = randomField(arch, n, rs, rc, 3);
    const count = 900;
    const pts = randomPoints(count, n, 4);
    const r = new RandomSource(5);
    const upstream = { sigma: Float32Array.from({ length: count }, () => r.normal()), rgb: Float32Array.from({ length: 3 * count }, () => r.normal()) };
    const want = zerosLike(f);
    evaluateField(f, pts, upstream, want);
    const slot = await ops.load(f, true);
    const src: GradSource[] = [{ kind: 'points', points: pts, upstream }];
    const got = await ops.gradients(slot, src);
    for (const [name, t] of Object.entries(want)) expect(rel(got[name]!.data, t.data), name).toBeLessThan(1e-5);
    // Deterministic: the same bits again (fixed-point sums do not depend on the threads' order);
    // scale-invariant: 2^40 times the upstream gives 2^40 times the gradient, bit for bit.
    const again = await ops.gradients(slot, src);
    const big = await ops.gradients(slot, [{ kind: 'points', points: pts, upstream: { sigma: upstream.sigma.map((v) => v * 2 ** 40), rgb: upstream.rgb.map((v) => v * 2 ** 40) } }]);
    for (const name of Object.keys(want)) {
      expect(again[name]!.data).toEqual(got[name]!.data);
      expect(big[name]!.data).toEqual(got[name]!.data.map((v) => v * 2 ** 40));
    }
    // A zero upstream adds nothing.
    const zero = await ops.gradients(slot, [{ kind: 'points', points: pts, upstream: { sigma: new Float32Array(count), rgb: new Float32Array(3 * count) } }]);
    for (const t of Object.values(zero)) expect(t.data.every((v) => v === 0)).toBe(true);
    ops.release(slot);
  });

  it.each(CASES)('%s: renders and the renderer\'s backward pass equal the CPU\'s', async (arch, n, rs, rc) => {
    const f = randomField(arch, n, rs, rc, 6);
    const opts: RenderOptions = { samples: 37, background: [1, 0.5, 0.25] };
    const cam = cameraRays(orbitCamera(0.7, 0.3, 12));
    const rnd = randomRays(100, 7);
    const origins = Float32Array.from([...cam.origins, ...rnd.origins]);
    const dirs = Float32Array.from([...cam.dirs, ...rnd.dirs]);
    const slot = await ops.load(f, true);
    const want = renderRays(f, origins, dirs, opts);
    const got = await ops.render(slot, origins, dirs, opts);
    const tol = net(arch) ? 2e-5 : 5e-6;
    expect(rel(got.colors, want.colors, 1)).toBeLessThan(tol);
    expect(rel(got.transmittance, want.transmittance, 1)).toBeLessThan(tol);
    // Some rays pass through empty space and some are (nearly) opaque.
    expect(Math.max(...want.transmittance)).toBeGreaterThan(0.9);
    expect(Math.min(...want.transmittance)).toBeLessThan(net(arch) ? 0.5 : 0.1);
    const r = new RandomSource(8);
    const dColors = Float32Array.from({ length: origins.length }, () => r.normal());
    const grads = zerosLike(f);
    renderRays(f, origins, dirs, opts, dColors, grads);
    const g = await ops.gradients(slot, [{ kind: 'rays', origins, dirs, render: opts, dColors }]);
    // The GPU places the samples in float32, the CPU in float64 (then rounds): a position differs by an
    // ulp, which the MLP's top frequency multiplies by 2^9·π (measured: 4e-4 of the largest weight
    // gradient; 1e-5 at its last layer, and everywhere for the other fields).
    for (const [name, t] of Object.entries(grads)) expect(rel(g[name]!.data, t.data), name).toBeLessThan(arch === 'mlp' ? 1e-3 : 5e-5);
    // A display density scale reaches the GPU too.
    const scaled = { ...opts, densityScale: 0.3 };
    expect(rel((await ops.render(slot, origins, dirs, scaled)).colors, renderRays(f, origins, dirs, scaled).colors, 1)).toBeLessThan(tol);
    ops.release(slot);
  });

  it('rays whose samples exceed one accumulation go in chunks, with the CPU\'s gradient', async () => {
    const f = randomField('vm', 8, 2, 3, 9);
    const { origins, dirs } = randomRays(700, 10);
    const opts: RenderOptions = { samples: 128, background: [1, 1, 1] }; // 89 600 samples: two chunks
    const slot = await ops.load(f, true);
    const r = new RandomSource(11);
    const dColors = Float32Array.from({ length: origins.length }, () => r.normal());
    const grads = zerosLike(f);
    renderRays(f, origins, dirs, opts, dColors, grads);
    const g = await ops.gradients(slot, [{ kind: 'rays', origins, dirs, render: opts, dColors }]);
    for (const [name, t] of Object.entries(grads)) expect(rel(g[name]!.data, t.data), name).toBeLessThan(5e-5);
    ops.release(slot);
  });

  it.each(['dense', 'vm', 'cp'] as RadianceArch[])('%s: a few distillation steps agree with the CPU, and repeat bit for bit', async (student) => {
    const teacher = sceneField('spheres', 12, 0);
    const o = { student, resolution: 8, densityRank: 2, colorRank: 3, steps: 4, seed: 3, activeLearning: false, rays: 48, points: 256, samples: 24, views: 1, viewSize: 10, psnrEvery: 0 };
    const cpu = await distill(teacher, o, cpuRadianceOps);
    const a = await distill(teacher, o, ops);
    const b = await distill(teacher, o, ops);
    expect(rel(a.trace, cpu.trace)).toBeLessThan(1e-3);
    expect(Math.abs(a.psnr - cpu.psnr)).toBeLessThan(0.05);
    for (const [name, t] of Object.entries(cpu.field.params)) {
      // Adam moves every parameter by about the rate (0.02) a step: agreement to a small part of it.
      const d = Math.max(...t.data.map((v, i) => Math.abs(v - a.field.params[name]!.data[i]!)));
      expect(d, name).toBeLessThan(1e-3);
      expect(b.field.params[name]!.data).toEqual(a.field.params[name]!.data);
    }
    expect(b.trace).toEqual(a.trace);
    // The step actually trained: the parameters moved from the aligned start.
    expect(a.trace[3]).not.toBe(a.trace[0]);
  });

  it.each(['hash', 'mlp'] as const)('%s: a network student trains on the GPU as on the CPU, from a VM teacher there too', async (student) => {
    const vm = randomField('vm', 8, 2, 3, 12);
    const o = { student, resolution: 16, densityRank: 1, colorRank: 1, neural: { levels: 2, log2TableSize: 8, features: 2, hidden: 8, layers: 1, frequencies: 3 }, steps: 6, seed: 1, activeLearning: true, rays: 24, points: 96, samples: 12, views: 1, viewSize: 8, psnrEvery: 0 };
    const c = await distill(vm, o, cpuRadianceOps);
    const a = await distill(vm, o, ops);
    const b = await distill(vm, o, ops);
    expect(rel(a.trace, c.trace)).toBeLessThan(1e-3);
    for (const [name, t] of Object.entries(c.field.params)) {
      expect(Math.max(...t.data.map((v, i) => Math.abs(v - a.field.params[name]!.data[i]!))), name).toBeLessThan(1e-3);
      expect(b.field.params[name]!.data).toEqual(a.field.params[name]!.data);
    }
  });

  it('refuses a field too large for one binding, naming the sizes and the fix', async () => {
    const small = new GpuRadianceOps({ ...gpu, limits: { ...gpu.limits, maxStorageBufferBindingSize: 2 ** 16 } }, new GpuOps(gpu), new RadianceKernels(gpu));
    await expect(small.load(emptyField('dense', 17))).rejects.toThrow(/a dense field of 19,652 params needs 0\.07 MiB in one GPU binding, above this device's limit of 0\.06 MiB/);
    // 13³ × 4 fits for evaluation, not with the accumulators training needs.
    small.release(await small.load(emptyField('dense', 13)));
    await expect(small.load(emptyField('dense', 13), true)).rejects.toThrow(/8,788 params needs 0\.07 MiB in one GPU binding \(its gradient accumulators\).*lower the resolution or the ranks, or run with --backend cpu/);
  });
});
