// npm run bench [-- --quick] [--only NAME,…] [--backend webgpu] [--compare numpy]: times each
// decomposition against test/refs/timings.json (TensorLy / NumPy on the same work, same kind of
// 2-core machine), prints a table and writes bench/results/<date>.json. Ratios are ours / theirs:
// < 1 is faster. With --compare numpy, the linear-algebra rows run beside NumPy in the same run on
// the same inputs instead (bench/compare-numpy.ts).
// Each entry is the median of `reps` runs (3; 1 with --quick); peak memory is the largest RSS
// seen around the runs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  RandomSource, Tensor, cp, dctMatrix, filters, grassmannFlowFeatures, matmul, randomizedSvdOfTensor, syntheticTensor, tt, tucker, webgpuSubjects,
} from './subjects';
import { gemmMatmul, gemmTimeDispatches } from './gemm-host';
import { compareRows, modelRows } from './model';
import { radianceRows } from './radiance';
import { numpyCompareRows } from './compare-numpy';
import { cpuThreads } from '../engine';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, backend: { type: 'string', default: 'cpu' }, compare: { type: 'string' } },
});
const reps = values.quick ? 1 : 3;
const timingsFile = new URL('../test/refs/timings.json', import.meta.url);
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
const svdN = values.quick ? 1024 : 4096;

let numpyInfo: Awaited<ReturnType<typeof numpyCompareRows>>['numpy'] = null;
if (values.compare !== undefined && values.compare !== 'numpy') throw new Error(`--compare takes 'numpy', got '${values.compare}'`);
if (values.compare === 'numpy') {
  numpyInfo = (await numpyCompareRows(bench, (name) => rows.find((r) => r.name === name), { reps, only: values.only ? values.only.split(',') : null })).numpy;
} else await standardRows();

async function standardRows(): Promise<void> {

for (const n of values.quick ? [64, 128] : [128, 256]) {
  await bench(`tucker_hooi_${n}^3_rank16`, `tucker(x ${n}³, ranks 16, init svd, maxIter 100, tol 1e-8)`, `tucker_hooi_${n}^3_rank16_float32`, () => {
    const x = tuckerInput(n);
    return async () => {
      const r = await tucker(x, { ranks: [16, 16, 16], method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(2) });
      return { iterations: r.iterations, relError: r.relError };
    };
  });
}

await bench('cp_128^3_rank16_100iter', 'cp(x 128³, rank 16, init svd, exactly 100 sweeps)', 'parafac_128^3_rank16_100iter_float32', () => {
  const x = syntheticTensor({ kind: 'cp', shape: [128, 128, 128], ranks: [16], noise: 1e-3 }, new RandomSource(3)).tensor;
  return async () => {
    const r = await cp(x, { rank: 16, init: 'svd', maxIter: 100, tol: 0, normalize: false, random: new RandomSource(4) });
    return { iterations: r.iterations, relError: r.relError };
  };
});

await bench('tt_16^5_rank8', 'tt(x 16⁵ Gaussian, maxRank 8)', 'tensor_train_16^5_rank8_float32', () => {
  const x = syntheticTensor({ kind: 'gaussian', shape: [16, 16, 16, 16, 16], ranks: [], noise: 0 }, new RandomSource(5)).tensor;
  return async () => {
    const r = await tt(x, { maxRank: 8 });
    return { ranks: r.ranks, relError: r.relError };
  };
});

await bench(`randomized_svd_rank64_${svdN}^2`, `rank-64 randomized SVD of ${svdN}² (oversample 5, 2 power iterations, as TensorLy)`, svdN === 4096 ? 'tensorly_randomized_svd_rank64_4096x4096_float32' : null, () => {
  const x = syntheticTensor({ kind: 'tucker', shape: [svdN, svdN], ranks: [128, 128], noise: 1e-3 }, new RandomSource(6)).tensor;
  return async () => {
    const r = await randomizedSvdOfTensor(x, 64, new RandomSource(7));
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

await modelRows(bench);
await compareRows(bench);
await radianceRows(bench, values.quick);

if (values.backend === 'webgpu') await webgpuRows();
}

/** The WebGPU rows: GEMM, transform throughput, and each GPU decomposition beside its CPU row of this
 * run (`vsCpu` = WebGPU time / CPU time), with the dispatches, submissions and readbacks it made. */
async function webgpuRows(): Promise<void> {
  const { backend, FwhtKernel, fwhtLastAxis, GpuTensor, NaiveGemm, DctFftKernel, DwtKernel } = await webgpuSubjects();
  const ops = backend.ops;
  const adapter = backend.adapter;
  const peak = knownPeakTflops(adapter);
  const cpuRow = (name: string) => rows.find((r) => r.name === name);
  const counted = async <T extends Check>(fn: () => Promise<T>): Promise<Check> => {
    const before = { ...ops.stats };
    const check = await fn();
    return { ...check, dispatches: ops.stats.dispatches - before.dispatches, submits: ops.stats.submits - before.submits, readbacks: ops.stats.readbacks - before.readbacks };
  };
  const withRatio = (gpuName: string, cpuName: string) => {
    const g = cpuRow(gpuName);
    const c = cpuRow(cpuName);
    if (g && c) g.check.vsCpu = g.medianS / c.medianS;
  };

  // GEMM on resident operands (kernel time: many dispatches in one submission) and with transfers.
  for (const n of values.quick ? [256, 512] : backend.software ? [256, 512, 1024, 2048] : [256, 512, 1024, 2048, 4096]) {
    const a = new Tensor([n, n]);
    new RandomSource(9).fillNormal(a.data);
    await bench(`webgpu_gemm_${n}`, `C = A·B on ${adapter}, ${n}², float32, resident operands`, null, () => async () => {
      const { wallMs, gpuMs } = await gemmTimeDispatches(ops.gemm, a, a, n >= 2048 ? 3 : 10);
      // Kernel time from timestamp queries where the adapter has them, else the host clock.
      const ms = gpuMs ?? wallMs;
      const gflops = (2 * n ** 3) / (ms * 1e6);
      return { kernelMs: ms, wallMs, timestamps: gpuMs === null ? 0 : 1, gflops, ...(peak ? { percentOfPeak: (100 * gflops) / (peak * 1000) } : {}) };
    });
    if (n <= 1024) {
      // The untiled kernel (one thread per entry, operands from storage) on the same operands.
      const naive = new NaiveGemm(ops.ctx);
      await bench(`webgpu_gemm_naive_${n}`, `the untiled reference kernel on the same operands (tiledSpeedup = its time / the tiled kernel's)`, null, () => async () => {
        const { ms, timestamps } = await naive.run(a, a, n >= 1024 ? 2 : 5);
        const tiled = cpuRow(`webgpu_gemm_${n}`)?.check.kernelMs as number | undefined;
        return { kernelMs: ms, timestamps: timestamps ? 1 : 0, gflops: (2 * n ** 3) / (ms * 1e6), ...(tiled ? { tiledSpeedup: ms / tiled } : {}) };
      });
    }
    await bench(`webgpu_gemm_${n}_transfers`, 'the same product including upload and readback', null, () => async () => {
      const t0 = performance.now();
      await gemmMatmul(ops.gemm, a, a);
      return { gflops: (2 * n ** 3) / ((performance.now() - t0) * 1e6) };
    });
    await bench(`cpu_gemm_${n}`, 'the same product on the CPU backend', null, () => () => {
      const t0 = performance.now();
      matmul(a, a);
      return { gflops: (2 * n ** 3) / ((performance.now() - t0) * 1e6) };
    });
    withRatio(`webgpu_gemm_${n}_transfers`, `cpu_gemm_${n}`);
  }

  // Transform throughput on resident data: bytes read + written per pass over the elapsed time.
  const lines = values.quick ? 256 : 4096;
  const x = new Tensor([lines, 4096]);
  new RandomSource(10).fillNormal(x.data);
  const resident = ops.upload(x);
  const fwht = new FwhtKernel(ops.ctx, ops.pool);
  const gbps = (passes: number, ms: number) => (passes * 2 * x.data.byteLength) / (ms * 1e6);
  type Resident = InstanceType<typeof GpuTensor>;
  /** GB/s of five passes that `pass` records over the resident data: the queue drained before, and
   * after by a reduction of the last pass's output (`last`, or what the pass returns). */
  const timePasses = async (pass: () => Resident | void, last = resident): Promise<Check> => {
    await ops.sumSquares(resident); // drain the queue
    const t0 = performance.now();
    const outs = Array.from({ length: 5 }, pass).filter((o): o is Resident => !!o);
    await ops.sumSquares(outs.at(-1) ?? last);
    const ms = performance.now() - t0;
    ops.release(...outs);
    return { GBps: gbps(5, ms) };
  };
  /** The DCT of every line of `view` as one product with the n×n cosine matrix. */
  const byMatrix = (view: Resident, n: number) => async () => {
    const c = ops.upload(new Tensor([n, n], Float32Array.from(dctMatrix(n))));
    const check = await timePasses(() => ops.matmul(view, c, { transB: true }));
    ops.release(c);
    return check;
  };
  await bench(`webgpu_fwht_${lines}x4096`, `FWHT of ${lines} lines of 4096 in place (one pass in workgroup memory)`, null, () => () => timePasses(() => fwhtLastAxis(ops, fwht, resident, 'natural', false)));
  await bench(`webgpu_dct_${lines}x256`, `DCT-II of ${lines * 16} lines of 256 (one product with the cosine matrix)`, null, () => byMatrix(new GpuTensor([lines * 16, 256], resident.buffer), 256));
  // DCT by FFT: lines of 2048 in one workgroup each, lines of 4096 and 65536 in four steps.
  const fft = new DctFftKernel(ops.ctx, ops);
  for (const n of [2048, 4096, 65536]) {
    const view = new GpuTensor([x.size / n, n], resident.buffer);
    await bench(`webgpu_dct_fft_${x.size / n}x${n}`, `DCT-II of ${x.size / n} lines of ${n} in place by FFT (${n <= 2048 ? 'one workgroup per line' : 'four steps'})`, null, () => () => timePasses(() => fft.transformLastAxis(view, false)));
  }
  // One level of the periodized db4 DWT along the lines (src → dst, as dwtGpu runs each level).
  const dwtKernel = new DwtKernel(ops.ctx, ops.pool);
  const dwtOut = ops.alloc(x.shape, 'dwt bench output');
  const db4 = filters('db4');
  await bench(`webgpu_dwt_db4_${lines}x4096`, `one periodized db4 DWT level along ${lines} lines of 4096 (resident, into a second buffer)`, null, () => () =>
    timePasses(() => ops.encodeWith((encoder, temps) => dwtKernel.encode(encoder, resident.buffer, dwtOut.buffer, x.shape, x.shape, 1, db4, false, temps)), dwtOut),
  );
  ops.release(dwtOut);

  // A length that is not a power of two: Bluestein's FFTs against the product with the cosine matrix.
  const odd = 1000;
  const oddLines = Math.floor(x.size / odd);
  const oddView = new GpuTensor([oddLines, odd], resident.buffer);
  await bench(`webgpu_dct_bluestein_${oddLines}x${odd}`, `DCT-II of ${oddLines} lines of ${odd} in place by Bluestein's FFTs (N = 2048)`, null, () => () => timePasses(() => fft.transformLastAxis(oddView, false)));
  await bench(`webgpu_dct_matrix_${oddLines}x${odd}`, `the same DCT as a product with the ${odd}×${odd} cosine matrix`, null, () => byMatrix(oddView, odd));
  const [viaFft, viaMatrix] = [cpuRow(`webgpu_dct_bluestein_${oddLines}x${odd}`), cpuRow(`webgpu_dct_matrix_${oddLines}x${odd}`)];
  if (viaFft && viaMatrix) viaFft.check.speedupVsMatrix = viaMatrix.medianS / viaFft.medianS;
  ops.release(resident);

  // A chain of transforms (DCT → DWT → inverse DWT → inverse DCT) with the intermediates left on the
  // device (the backend's default) and with every result read back, as before deferred results.
  const side = values.quick ? 512 : 2048;
  const img = new Tensor([side, side]);
  new RandomSource(12).fillNormal(img.data);
  for (const defer of [true, false]) {
    await bench(`webgpu_chain_dct_dwt_${side}^2${defer ? '' : '_read_each'}`, `DCT → db4 DWT (3 levels) → inverse → inverse DCT of ${side}², the last read back${defer ? '' : '; every result read back'}`, null, () => async () => {
      ops.defer = defer;
      const before = { ...ops.stats };
      const dwt = { wavelet: 'db4' as const, levels: 3 };
      const y = await backend.dct(await backend.dwt(await backend.dwt(await backend.dct(img, {}), dwt), { ...dwt, inverse: true }), { inverse: true });
      await y.materialize();
      ops.defer = true;
      let d = 0;
      for (let i = 0; i < img.size; i++) d = Math.max(d, Math.abs(y.data[i]! - img.data[i]!));
      return { maxAbsError: d, readbacks: ops.stats.readbacks - before.readbacks, readbackMiB: (ops.stats.readbackBytes - before.readbackBytes) / 2 ** 20 };
    });
  }
  const [kept, each] = [cpuRow(`webgpu_chain_dct_dwt_${side}^2`), cpuRow(`webgpu_chain_dct_dwt_${side}^2_read_each`)];
  if (kept && each) kept.check.speedupVsReadEach = each.medianS / kept.medianS;

  // Decompositions on both backends, the CPU rows above measured in this same run.
  for (const n of values.quick ? [64, 128] : [128, 256]) {
    await bench(`webgpu_tucker_hooi_${n}^3_rank16`, `the Tucker row above on ${adapter}`, `tucker_hooi_${n}^3_rank16_float32`, () => {
      const x3 = tuckerInput(n);
      return () => counted(async () => {
        const r = await backend.tucker(x3, { ranks: [16, 16, 16], method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(2) });
        return { iterations: r.iterations, relError: r.relError };
      });
    });
    withRatio(`webgpu_tucker_hooi_${n}^3_rank16`, `tucker_hooi_${n}^3_rank16`);
  }
  await bench('webgpu_cp_128^3_rank16_100iter', `the CP row above on ${adapter}`, 'parafac_128^3_rank16_100iter_float32', () => {
    const x3 = syntheticTensor({ kind: 'cp', shape: [128, 128, 128], ranks: [16], noise: 1e-3 }, new RandomSource(3)).tensor;
    return () => counted(async () => {
      const r = await backend.cp(x3, { rank: 16, init: 'svd', maxIter: 100, tol: 0, normalize: false, random: new RandomSource(4) });
      return { iterations: r.iterations, relError: r.relError };
    });
  });
  withRatio('webgpu_cp_128^3_rank16_100iter', 'cp_128^3_rank16_100iter');
  await bench('webgpu_tt_16^5_rank8', `the TT row above on ${adapter}`, 'tensor_train_16^5_rank8_float32', () => {
    const x5 = syntheticTensor({ kind: 'gaussian', shape: [16, 16, 16, 16, 16], ranks: [], noise: 0 }, new RandomSource(5)).tensor;
    return () => counted(async () => {
      const r = await backend.tt(x5, { maxRank: 8 });
      return { ranks: r.ranks, relError: r.relError };
    });
  });
  withRatio('webgpu_tt_16^5_rank8', 'tt_16^5_rank8');
  await bench(`webgpu_randomized_svd_rank64_${svdN}^2`, `the randomized SVD row above on ${adapter}`, svdN === 4096 ? 'tensorly_randomized_svd_rank64_4096x4096_float32' : null, () => {
    const a = syntheticTensor({ kind: 'tucker', shape: [svdN, svdN], ranks: [128, 128], noise: 1e-3 }, new RandomSource(6)).tensor;
    return () => counted(async () => {
      const r = await backend.truncatedSvd(a, { rank: 64, method: 'randomized', oversample: 5, powerIters: 2, random: new RandomSource(7) });
      return { s0: r.spectrum[0]!, s63: r.spectrum[63]! };
    });
  });
  withRatio(`webgpu_randomized_svd_rank64_${svdN}^2`, `randomized_svd_rank64_${svdN}^2`);
  // Grassmann-flow features of a long sequence (r = 32: 496 coordinates a step, 6 lags), on the host
  // in float64 and on the device.
  const flowT = values.quick ? 2048 : 16384;
  const z = new Tensor([flowT, 32]);
  new RandomSource(8).fillNormal(z.data);
  const lags = [1, 2, 4, 8, 12, 16];
  await bench(`grassmann_flow_${flowT}x32`, 'Grassmann-flow features of a sequence, 6 lags, CPU (float64)', null, () => () => ({ last: grassmannFlowFeatures(z, lags).data[flowT * 496 - 1]! }));
  await bench(`webgpu_grassmann_flow_${flowT}x32`, `the flow row above on ${adapter}`, null, () => () =>
    counted(async () => {
      const f = await backend.grassmannFlow(z, lags);
      await f.materialize();
      return { last: f.data[flowT * 496 - 1]! };
    }),
  );
  withRatio(`webgpu_grassmann_flow_${flowT}x32`, `grassmann_flow_${flowT}x32`);
  // Radiance distillation (VM and CP students) beside the CPU rows above.
  for (const row of await radianceRows(bench, values.quick, { ops: backend.radiance(), prefix: 'webgpu_', where: adapter })) withRatio(`webgpu_${row}`, row);
  backend.destroy();
}

/** FP32 peak of adapters whose datasheet rate is known (TFLOP/s), for GEMM's percentage. */
function knownPeakTflops(adapter: string): number | null {
  if (/H100|H200/i.test(adapter)) return 67; // SXM, dense FP32 (NVIDIA datasheet)
  return null;
}

const doc = {
  benchmark: `corespace decompositions, CPU backend${values.backend === 'webgpu' ? ' and WebGPU' : ''}`,
  node: process.version,
  statistic: `median of ${reps} consecutive runs, wall clock (performance.now), no warm-up`,
  anchors: 'test/refs/timings.json (TensorLy 0.9 / NumPy 2.4, OpenBLAS, 2 cores)',
  threads: cpuThreads(),
  ...(numpyInfo ? { numpy: numpyInfo } : {}),
  date: new Date().toISOString(),
  rows,
};
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${doc.date.slice(0, 19).replace(/:/g, '-')}.json`, dir);
writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`\n| benchmark | ours (s) | TensorLy/NumPy (s) | ratio | WebGPU / CPU | peak RSS (MiB) |\n| --- | --- | --- | --- | --- | --- |`);
for (const r of rows) {
  const vs = typeof r.check.vsCpu === 'number' ? r.check.vsCpu.toFixed(2) : '—';
  console.log(`| ${r.name} | ${r.medianS.toFixed(3)} | ${r.anchorS?.toFixed(3) ?? '—'} | ${r.ratio?.toFixed(2) ?? '—'} | ${vs} | ${r.peakRssMiB} |`);
}
console.log(`\nwrote ${file.pathname}`);
