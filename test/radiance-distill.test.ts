// radiance.distill on the CPU: a dense teacher into a dense student of its resolution, and a rank-1
// CP field into CP R = 1, come out exact (≥ 60 dB) and stay so while training; a VM student improves
// on its alignment; a seed gives the same run twice, active learning a different one; a cancel stops it
// within a step.
import { describe, expect, it } from 'vitest';
import { PSNR_RENDER, RandomSource, Tensor, cpuBackend, distill, emptyField, psnr, psnrCameras, renderImage, sceneField, type AnyNodeDefinition, type Metrics, type RadianceField, type RunContext } from '../engine';
import { registry } from '../nodes';

const node = registry.nodes.find((n) => n.type === 'radiance.distill')! as AnyNodeDefinition;
const run = async (teacher: RadianceField, params: object, progress: RunContext['progress'] = () => {}) =>
  (await node.run({ teacher } as never, node.params.parse(params), { nodeId: 'd', progress, backend: cpuBackend, random: new RandomSource(0) } as unknown as RunContext)) as { field: RadianceField; trace: Tensor; info: Metrics };
const small = { views: 3, viewSize: 24, rays: 64, points: 256, samples: 24 };

describe('radiance.distill', () => {
  it('a dense teacher into a dense student of its resolution: exact, and still exact after training steps', async () => {
    const teacher = sceneField('spheres', 16, 2);
    const out = await run(teacher, { ...small, student: 'dense', resolution: 16, steps: 6 });
    expect(out.info.psnr!.value).toBeGreaterThanOrEqual(60);
    expect(out.info.params!.value).toBe(4 * 16 ** 3);
    expect(out.trace.shape).toEqual([6]);
    expect(out.info.params!.doc).toMatch(/dense 16³: the teacher sampled at its nodes/);
  });

  it('a rank-1 CP field is recovered by CP R = 1 at ≥ 60 dB', async () => {
    const n = 12;
    const teacher = emptyField('cp', n, 1, 1);
    const r = new RandomSource(7);
    const dv = teacher.params.densityVectors!.data;
    for (let i = 0; i < dv.length; i++) dv[i] = 2.2 + 0.3 * r.uniform(); // feature ≈ 11 … 15: σ ≈ 1 … 5
    const cv = teacher.params.colorVectors!.data;
    for (let i = 0; i < cv.length; i++) cv[i] = 0.6 + 0.6 * r.uniform();
    teacher.params.basis!.data.set([1.2, -0.7, 0.3]);
    const out = await run(teacher, { ...small, student: 'cp', resolution: n, densityRank: 1, colorRank: 1, steps: 0 });
    expect(out.info.psnr!.value).toBeGreaterThanOrEqual(60);
    expect(out.info.params!.value).toBe(3 * n + 3 * n + 3);
  });

  it('a VM student improves on its alignment; a seed repeats the run, active learning changes it', async () => {
    const teacher = sceneField('sdf', 16, 1);
    const base = { ...small, student: 'vm', resolution: 16, densityRank: 4, colorRank: 6, seed: 3 };
    const aligned = await run(teacher, { ...base, steps: 0 });
    const trained = await run(teacher, { ...base, steps: 60 });
    expect(trained.info.psnr!.value).toBeGreaterThan(aligned.info.psnr!.value + 3);
    const again = await run(teacher, { ...base, steps: 60 });
    expect(Array.from(again.trace.data)).toEqual(Array.from(trained.trace.data));
    const off = await run(teacher, { ...base, steps: 60, activeLearning: false });
    expect(Array.from(off.trace.data)).not.toEqual(Array.from(trained.trace.data));
    // The ray stage starts a third of the way in: the loss changes scale there.
    expect(trained.trace.data.slice(-10).reduce((a, b) => a + b, 0)).toBeLessThan(trained.trace.data.slice(20, 30).reduce((a, b) => a + b, 0));
  });

  it.each(['hash', 'mlp'])('a %s student starts He-initialised (no grid to align) and learns the scene', async (student) => {
    const teacher = sceneField('box', 12, 0);
    const base = { ...small, student, resolution: 24, levels: 3, log2TableSize: 9, features: 2, hidden: 16, layers: 1, frequencies: 3, seed: 2, lr: 0.01 };
    const start = await run(teacher, { ...base, steps: 0 });
    const trained = await run(teacher, { ...base, steps: 40 });
    expect(trained.info.params!.doc).toContain(`${student}: stage 1 skipped`);
    const width = student === 'hash' ? 3 * 2 : 3 + 6 * 3;
    expect(trained.info.params!.value).toBe((student === 'hash' ? 3 * 512 * 2 : 0) + width * 16 + 16 + 16 * 4 + 4);
    expect(trained.info.psnr!.value).toBeGreaterThan(start.info.psnr!.value + 2);
  });

  it('refuses a student too large to train before allocating it, naming what to lower', async () => {
    const teacher = sceneField('box', 4, 0);
    await expect(run(teacher, { student: 'hash', levels: 16, log2TableSize: 22, features: 8 })).rejects.toThrow(/a hash student of these sizes holds 536,\d{3},\d{3} params, over the 67,108,864 this node trains .*: lower levels, log2TableSize or features/);
    await expect(run(teacher, { student: 'dense', resolution: 1024 })).rejects.toThrow(/a dense student .*: lower resolution or the ranks/);
  });

  it('a NaN in training stops the node, naming the step where it appeared', async () => {
    // A teacher whose colour turns NaN at one node (no source makes one: it is built by hand).
    const teacher = emptyField('cp', 6, 1, 1);
    teacher.params.densityVectors!.data.fill(2.3);
    teacher.params.colorVectors!.data.fill(1);
    teacher.params.colorVectors!.data[3] = NaN;
    await expect(run(teacher, { ...small, student: 'dense', resolution: 6, steps: 5 })).rejects.toThrow(/the loss became NaN at step 1; lower 'lr' or check the teacher/);
  });

  it('stops within a step when cancelled, and reports its steps as progress', async () => {
    const teacher = sceneField('box', 8, 0);
    const seen: string[] = [];
    await expect(
      run(teacher, { ...small, student: 'cp', resolution: 8, densityRank: 2, colorRank: 2, steps: 50 }, (v, _max, message) => {
        seen.push(message ?? '');
        if (v >= 3) throw new Error('cancelled');
      }),
    ).rejects.toThrow('cancelled');
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^step 1: loss \d/);
  });

  it('the engine function takes the same options headless', async () => {
    const r = await distill(sceneField('box', 8, 0), { ...small, student: 'dense', resolution: 8, densityRank: 1, colorRank: 1, steps: 2, seed: 0, activeLearning: true, lr: 0.02, psnrEvery: 1 });
    expect(r.psnr).toBeGreaterThanOrEqual(60);
    // PSNR along the way (every step here, and at the end), with the training seconds before each.
    expect(r.psnrTrace.map((t) => t.step)).toEqual([1, 2]);
    expect(r.psnrTrace[1]!.seconds).toBeGreaterThanOrEqual(r.psnrTrace[0]!.seconds);
    expect(r.psnrSeconds).toBeGreaterThan(0);
    expect(r.psnrSeconds).toBeLessThan(r.seconds);
  });

  it('previews the first held-out view while training: the teacher\'s render of it and the student\'s', async () => {
    const teacher = sceneField('spheres', 16, 2);
    const shown: { step: number; db: number; size: number; t: Float32Array }[] = [];
    const o = { ...small, student: 'vm' as const, resolution: 16, densityRank: 2, colorRank: 3, steps: 7, seed: 0, activeLearning: false, psnrEvery: 0 };
    const r = await distill(teacher, { ...o, preview: { every: 3, show: (step, t, s) => void shown.push({ step, db: psnr(s, t), size: t.length, t }) } });
    // Steps 3 and 6 (not the last: the final PSNR covers it), each a viewSize² RGB image.
    expect(shown.map((x) => x.step)).toEqual([3, 6]);
    expect(shown.every((x) => x.size === 3 * o.viewSize ** 2)).toBe(true);
    // The first PSNR view, rendered as the PSNR renders it; the student close to it but not equal.
    expect(Array.from(shown[0]!.t)).toEqual(Array.from(renderImage(teacher, psnrCameras(o.views, o.viewSize)[0]!, PSNR_RENDER).data));
    for (const x of shown) expect(x.db).toBeGreaterThan(15);
    for (const x of shown) expect(Number.isFinite(x.db)).toBe(true);
    // Previews do not change the training: the same trace without them.
    expect((await distill(teacher, o)).trace).toEqual(r.trace);
  });
});

describe('fitVm (VM alignment)', () => {
  it('recovers a grid of VM terms exactly, and more sweeps never leave more error', async () => {
    const { fitVm } = await import('../engine/radiance/distill');
    const n = 9;
    const r = new RandomSource(11);
    // One rank-2 term in the xz-plane × y-line pair only.
    const plane = Array.from({ length: 2 * n * n }, () => r.normal());
    const line = Array.from({ length: 2 * n }, () => r.normal());
    const g = new Float64Array(n ** 3);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (let q = 0; q < 2; q++) g[(i * n + j) * n + k]! += plane[(q * n + i) * n + k]! * line[q * n + j]!;
    expect(fitVm(g, n, 2, 2).relError).toBeLessThan(1e-9);
    const noise = Float64Array.from({ length: n ** 3 }, () => r.normal());
    const errors = [1, 2, 4].map((sweeps) => fitVm(noise, n, 2, sweeps).relError);
    expect(errors[1]!).toBeLessThanOrEqual(errors[0]! + 1e-12);
    expect(errors[2]!).toBeLessThanOrEqual(errors[1]! + 1e-12);
    expect(errors[0]!).toBeLessThan(1);
  });
});
