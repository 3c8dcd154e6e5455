// Radiance-field distillation rows: a 64³ procedural scene (spheres in a value-noise cloud) distilled
// by radiance.distill's engine function into VM (Rσ 8, Rc 16), CP (48, 96), a hash grid and an MLP,
// each with and without active learning: the PSNR reached (6 held-out 40² views), steps per second
// (alignment and PSNR time left out) and the seconds of training to 35 and 40 dB (NaN where not reached; PSNR
// measured every 25 steps). With `ops` (a WebGPU backend's radiance ops) the same rows run there, named
// with a prefix.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DISTILL_DEFAULTS, distill, sceneField, type DistillOptions } from '../engine';
import type { RadianceOps } from '../engine/radiance/ops';

type Bench = (name: string, work: string, anchor: string | null, setup: () => () => Record<string, number | number[]> | Promise<Record<string, number | number[]>>) => Promise<void>;

export async function radianceRows(bench: Bench, quick: boolean, on?: { ops: RadianceOps; prefix: string; where: string }): Promise<string[]> {
  const teacher = sceneField('spheres', 64, 1);
  const steps = quick ? 100 : 600;
  const students: [string, Partial<DistillOptions>][] = [
    ['vm_8_16', { student: 'vm', resolution: 64, densityRank: 8, colorRank: 16 }],
    ['cp_48_96', { student: 'cp', resolution: 64, densityRank: 48, colorRank: 96 }],
    ['hash', { student: 'hash', resolution: 128, neural: { levels: 8, log2TableSize: 14, features: 2, hidden: 32, layers: 2, frequencies: 6 }, lr: 0.01 }],
    ['mlp', { student: 'mlp', resolution: 64, neural: { levels: 1, log2TableSize: 4, features: 1, hidden: 64, layers: 3, frequencies: 6 }, lr: 0.005 }],
  ];
  const names: string[] = [];
  for (const [name, student] of students) {
    for (const activeLearning of [true, false]) {
      const row = `distill_64^3_${name}_${activeLearning ? 'al' : 'noal'}`;
      names.push(row);
      await bench(`${on?.prefix ?? ''}${row}`, `radiance.distill of a 64³ spheres scene into ${name}, ${steps} steps, active learning ${activeLearning ? 'on' : 'off'}, ${on?.where ?? 'CPU'}`, null, () => async () => {
        const r = await distill(teacher, { ...DISTILL_DEFAULTS, densityRank: 1, colorRank: 1, resolution: 64, steps, seed: 1, activeLearning, psnrEvery: 25, ...student } as DistillOptions, on?.ops);
        const train = r.seconds - r.psnrSeconds - r.alignSeconds;
        const to = (db: number) => r.psnrTrace.find((t) => t.psnr >= db)?.seconds ?? NaN;
        return { psnr: +r.psnr.toFixed(2), alignSeconds: +r.alignSeconds.toFixed(2), stepsPerSecond: +(steps / train).toFixed(2), secondsTo35: to(35), secondsTo40: to(40), psnrTrace: r.psnrTrace.map((t) => +t.psnr.toFixed(1)) };
      });
    }
  }
  if (!on) await numpyRow(bench, teacher, quick);
  return names;
}

/** The CPU backend's VM (8, 16) step beside a straightforward NumPy implementation of the same step
 * (bench/numpy/vm_distill.py), same sizes and schedule, active learning off, run one after the other
 * (`speedup` = our steps per second / NumPy's; the aim is ≥ 2). */
async function numpyRow(bench: Bench, teacher: ReturnType<typeof sceneField>, quick: boolean): Promise<void> {
  const steps = quick ? 15 : 45;
  const o = { ...DISTILL_DEFAULTS, student: 'vm' as const, resolution: 64, densityRank: 8, colorRank: 16, steps, seed: 1, activeLearning: false, psnrEvery: 0 };
  await bench('distill_64^3_vm_8_16_step_vs_numpy', `training steps of the VM (8, 16) distillation (${steps} steps, ${o.rays} rays × ${o.samples} samples and ${o.points} points, the first third points only), CPU backend against NumPy`, null, () => async () => {
    const r = await distill(teacher, o);
    const ours = steps / (r.seconds - r.psnrSeconds - r.alignSeconds);
    const script = fileURLToPath(new URL('numpy/vm_distill.py', import.meta.url));
    const py = spawnSync('python3', [script, '64', '8', '16', String(steps), String(o.rays), String(o.points), String(o.samples)], { encoding: 'utf8', timeout: 600_000 });
    if (py.status !== 0) {
      console.warn(`NumPy row not run: ${(py.stderr || py.error?.message || '').trim().split('\n').pop()} (scripts/setup-system.sh installs python3-numpy)`);
      return { stepsPerSecond: +ours.toFixed(2), numpyStepsPerSecond: NaN, speedup: NaN };
    }
    const np = JSON.parse(py.stdout.trim().split('\n').pop()!) as { stepsPerSecond: number };
    return { stepsPerSecond: +ours.toFixed(2), numpyStepsPerSecond: +np.stepsPerSecond.toFixed(2), speedup: +(ours / np.stepsPerSecond).toFixed(2) };
  });
}
