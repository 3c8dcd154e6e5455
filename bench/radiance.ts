// Radiance-field distillation rows: a 64³ procedural scene (spheres in a value-noise cloud) distilled
// by radiance.distill's engine function into VM (Rσ 8, Rc 16), CP (48, 96), a hash grid and an MLP,
// each with and without active learning: the PSNR reached (6 held-out 40² views), steps per second
// (PSNR time left out) and the seconds of training to 35 and 40 dB (NaN where not reached; PSNR
// measured every 25 steps).
import { DISTILL_DEFAULTS, distill, sceneField, type DistillOptions } from '../engine';

type Bench = (name: string, work: string, anchor: string | null, setup: () => () => Record<string, number | number[]> | Promise<Record<string, number | number[]>>) => Promise<void>;

export async function radianceRows(bench: Bench, quick: boolean): Promise<void> {
  const teacher = sceneField('spheres', 64, 1);
  const steps = quick ? 100 : 300;
  const students: [string, Partial<DistillOptions>][] = [
    ['vm_8_16', { student: 'vm', resolution: 64, densityRank: 8, colorRank: 16 }],
    ['cp_48_96', { student: 'cp', resolution: 64, densityRank: 48, colorRank: 96 }],
    ['hash', { student: 'hash', resolution: 128, neural: { levels: 8, log2TableSize: 14, features: 2, hidden: 32, layers: 2, frequencies: 6 }, lr: 0.01 }],
    ['mlp', { student: 'mlp', resolution: 64, neural: { levels: 1, log2TableSize: 4, features: 1, hidden: 64, layers: 3, frequencies: 6 }, lr: 0.005 }],
  ];
  for (const [name, student] of students) {
    for (const activeLearning of [true, false]) {
      await bench(`distill_64^3_${name}_${activeLearning ? 'al' : 'noal'}`, `radiance.distill of a 64³ spheres scene into ${name}, ${steps} steps, active learning ${activeLearning ? 'on' : 'off'}, CPU`, null, () => async () => {
        const r = await distill(teacher, { ...DISTILL_DEFAULTS, densityRank: 1, colorRank: 1, resolution: 64, steps, seed: 1, activeLearning, psnrEvery: 25, ...student } as DistillOptions);
        const train = r.seconds - r.psnrSeconds;
        const to = (db: number) => r.psnrTrace.find((t) => t.psnr >= db)?.seconds ?? NaN;
        return { psnr: +r.psnr.toFixed(2), stepsPerSecond: +(steps / train).toFixed(2), secondsTo35: to(35), secondsTo40: to(40), psnrTrace: r.psnrTrace.map((t) => +t.psnr.toFixed(1)) };
      });
    }
  }
}
