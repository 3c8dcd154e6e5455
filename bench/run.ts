// npm run bench [-- --quick] [--out FILE]: times the tensor core and the scheduler on this machine
// and prints one JSON document (also written to FILE). Report ratios from one run only.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RandomSource, Tensor, cpuBackend, matmul, syntheticTensor, unfold } from '../engine';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } });
const reps = values.quick ? 1 : 3;

function time(fn: () => void): { medianMs: number; runsMs: number[] } {
  const runsMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    runsMs.push(performance.now() - t0);
  }
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, runsMs };
}

const random = new RandomSource(1);
const gaussian = (shape: number[]) => {
  const t = new Tensor(shape);
  random.fillNormal(t.data);
  return t;
};

const results: Record<string, unknown> = {};
for (const n of values.quick ? [128, 256] : [128, 256, 512, 1024]) {
  const a = gaussian([n, n]);
  const b = gaussian([n, n]);
  const t = time(() => matmul(a, b));
  results[`matmul_${n}`] = { ...t, gflops: (2 * n ** 3) / (t.medianMs * 1e6) };
}
for (const n of values.quick ? [64] : [64, 128]) {
  const x = gaussian([n, n, n]);
  for (const mode of [0, 1, 2]) {
    const t = time(() => unfold(x, mode));
    results[`unfold_${n}^3_mode${mode}`] = { ...t, gbPerS: (2 * x.data.byteLength) / (t.medianMs * 1e6) };
  }
}
const shape = values.quick ? [64, 64, 64] : [128, 128, 128];
results[`synthetic_tucker_${shape[0]}^3_rank16_noise1e-3`] = time(() =>
  syntheticTensor({ kind: 'tucker', shape, ranks: [16, 16, 16], noise: 1e-3 }, new RandomSource(2)),
);

const doc = {
  benchmark: 'corespace tensor core',
  backend: cpuBackend.adapter,
  node: process.version,
  statistic: `median of ${reps} consecutive runs, wall clock (performance.now), no warm-up`,
  date: new Date().toISOString(),
  results,
};
const text = `${JSON.stringify(doc, null, 2)}\n`;
if (values.out) writeFileSync(values.out, text);
process.stdout.write(text);
