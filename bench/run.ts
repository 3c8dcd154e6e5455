// npm run bench [-- --quick] [--only NAME,…] [--backend webgpu]: times each decomposition against
// ../shared/refs/timings.json (TensorLy / NumPy on the same work, same kind of 2-core machine),
// prints a table and writes bench/results/<date>.json. Ratios are ours / theirs: < 1 is faster.
// Each entry is the median of `reps` runs (3; 1 with --quick); peak memory is the largest RSS
// seen around the runs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  RandomSource, Tensor, cp, matmul, randomizedSvdOfTensor, syntheticTensor, tt, tucker, webgpuSubjects,
} from './subjects';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, backend: { type: 'string', default: 'cpu' } },
});
const reps = values.quick ? 1 : 3;
const timingsFile = new URL('../../shared/refs/timings.json', import.meta.url);
const anchors: Record<string, { median_s: number }> = existsSync(timingsFile) ? JSON.parse(readFileSync(timingsFile, 'utf8')).timings : {};

interface Row {
  name: string;
  work: string;
  medianS: number;
  runsS: number[];
  peakRssMiB: number;
  anchor?: string;
  anchorS?: number;
  ratio?: number;
  check: Record<string, number | number[]>;
}

const rows: Row[] = [];
type Check = Record<string, number | number[]>;
async function bench(name: string, work: string, anchor: string | null, setup: () => () => Check | Promise<Check>): Promise<void> {
  if (values.only && !values.only.split(',').includes(name)) return;
  const fn = setup();
  const runsS: number[] = [];
  let peak = process.memoryUsage().rss;
  let check: Check = {};
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    check = await fn();
    runsS.push((performance.now() - t0) / 1000);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const medianS = [...runsS].sort((a, b) => a - b)[Math.floor(runsS.length / 2)]!;
  const row: Row = { name, work, medianS, runsS, peakRssMiB: Math.round(peak / 2 ** 20), check };
  if (anchor && anchors[anchor]) Object.assign(row, { anchor, anchorS: anchors[anchor].median_s, ratio: medianS / anchors[anchor].median_s });
  rows.push(row);
  process.stderr.write(`${name.padEnd(28)} ${medianS.toFixed(3).padStart(8)} s  ${row.ratio ? `${row.ratio.toFixed(2)}× TensorLy/NumPy` : ''}  ${JSON.stringify(check)}\n`);
}

// The inputs of timings.json: Tucker rank 16 + 1e-3 rms noise; CP rank 16 + small noise; 16⁵ for TT.
const tuckerInput = (n: number) => syntheticTensor({ kind: 'tucker', shape: [n, n, n], ranks: [16, 16, 16], noise: 1e-3 }, new RandomSource(1)).tensor;

for (const n of values.quick ? [64, 128] : [128, 256]) {
  await bench(`tucker_hooi_${n}^3_rank16`, `tucker(x ${n}³, ranks 16, init svd, maxIter 100, tol 1e-8)`, `tucker_hooi_${n}^3_rank16_float32`, () => {
    const x = tuckerInput(n);
    return () => {
      const r = tucker(x, { ranks: [16, 16, 16], method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(2) });
      return { iterations: r.iterations, relError: r.relError };
    };
  });
}

await bench('cp_128^3_rank16_100iter', 'cp(x 128³, rank 16, init svd, exactly 100 sweeps)', 'parafac_128^3_rank16_100iter_float32', () => {
  const x = syntheticTensor({ kind: 'cp', shape: [128, 128, 128], ranks: [16], noise: 1e-3 }, new RandomSource(3)).tensor;
  return () => {
    const r = cp(x, { rank: 16, init: 'svd', maxIter: 100, tol: 0, normalize: false, random: new RandomSource(4) });
    return { iterations: r.iterations, relError: r.relError };
  };
});

await bench('tt_16^5_rank8', 'tt(x 16⁵ Gaussian, maxRank 8)', 'tensor_train_16^5_rank8_float32', () => {
  const x = syntheticTensor({ kind: 'gaussian', shape: [16, 16, 16, 16, 16], ranks: [], noise: 0 }, new RandomSource(5)).tensor;
  return () => {
    const r = tt(x, { maxRank: 8 });
    return { ranks: r.ranks, relError: r.relError };
  };
});

const svdN = values.quick ? 1024 : 4096;
await bench(`randomized_svd_rank64_${svdN}^2`, `rank-64 randomized SVD of ${svdN}² (oversample 5, 2 power iterations, as TensorLy)`, svdN === 4096 ? 'tensorly_randomized_svd_rank64_4096x4096_float32' : null, () => {
  const x = syntheticTensor({ kind: 'tucker', shape: [svdN, svdN], ranks: [128, 128], noise: 1e-3 }, new RandomSource(6)).tensor;
  return () => {
    const r = randomizedSvdOfTensor(x, 64, new RandomSource(7));
    return { s0: r.s[0]!, s63: r.s[63]! };
  };
});

await bench('matmul_1024', 'C = A·B, 1024² float32 (float64 accumulation)', null, () => {
  const a = new Tensor([1024, 1024]);
  new RandomSource(8).fillNormal(a.data);
  return () => {
    const t0 = performance.now();
    matmul(a, a);
    return { gflops: (2 * 1024 ** 3) / ((performance.now() - t0) * 1e6) };
  };
});

if (values.backend === 'webgpu') {
  // GEMM on WebGPU (tiled kernel, shaders/gemm.wgsl) against the CPU kernel, same sizes, this run.
  const { gpu, GemmKernel } = await webgpuSubjects();
  const kernel = new GemmKernel(gpu);
  for (const n of values.quick ? [256, 512] : [256, 512, 1024, 2048]) {
    const a = new Tensor([n, n]);
    new RandomSource(9).fillNormal(a.data);
    await bench(`webgpu_gemm_${n}`, `C = A·B on ${gpu.adapter}, ${n}², float32, including upload and readback`, null, () => async () => {
      const t0 = performance.now();
      await kernel.matmul(a, a);
      return { gflops: (2 * n ** 3) / ((performance.now() - t0) * 1e6) };
    });
    await bench(`cpu_gemm_${n}`, `the same product on the CPU backend`, null, () => () => {
      const t0 = performance.now();
      matmul(a, a);
      return { gflops: (2 * n ** 3) / ((performance.now() - t0) * 1e6) };
    });
  }
}

const doc = {
  benchmark: 'corespace decompositions, CPU backend',
  node: process.version,
  statistic: `median of ${reps} consecutive runs, wall clock (performance.now), no warm-up`,
  anchors: 'shared/refs/timings.json (TensorLy 0.9 / NumPy 2.4, OpenBLAS, 2 cores)',
  date: new Date().toISOString(),
  rows,
};
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${doc.date.slice(0, 19).replace(/:/g, '-')}.json`, dir);
writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`\n| benchmark | ours (s) | TensorLy/NumPy (s) | ratio | peak RSS (MiB) |\n| --- | --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.name} | ${r.medianS.toFixed(3)} | ${r.anchorS?.toFixed(3) ?? '—'} | ${r.ratio?.toFixed(2) ?? '—'} | ${r.peakRssMiB} |`);
console.log(`\nwrote ${file.pathname}`);
