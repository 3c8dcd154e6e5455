// GEMM on a lent GPU machine (see scripts/device-bundle.sh): acquires the WebGPU adapter through Dawn,
// times op(A)·op(B) at n = 256…4096 including upload and readback (median of 3 after one warm-up)
// and on device-resident operands (many dispatches in one submission),
// and checks the result against the CPU kernel up to n = 1024; then each GPU decomposition and
// transform beside the CPU backend (GPU: median of 3 after a warm-up; CPU: one run), and radiance
// distillation (VM, CP students) on both. Prints one JSON line per row.
import { create, globals } from 'webgpu';
import { RandomSource, Tensor, matmul } from '../engine';
import { acquireDevice } from '../engine/webgpu/runtime/device';
import { GemmKernel } from '../engine/webgpu/kernels/gemm';
import { GpuOps } from '../engine/webgpu/ops';
import { gpuDenseOps } from '../engine/webgpu/dense-ops';
import { randomizedSvdWith } from '../engine/decomp/svd';
import { randomizedSvd, mat, syntheticTensor } from '../engine';
import { gemmMatmul, gemmTimeDispatches } from './gemm-host';
Object.assign(globalThis, globals);
// QUICK=1: small sizes, to check the script itself on a software adapter before a device run.
const quick = process.env.QUICK === '1';
const gpu = await acquireDevice(create([]), 'corespace device run');
console.log(JSON.stringify({ adapter: gpu.adapter, limits: gpu.limits }));
const kernel = new GemmKernel(gpu);
for (const n of quick ? [256] : [256, 512, 1024, 2048, 4096]) {
  const a = new Tensor([n, n]);
  new RandomSource(9).fillNormal(a.data);
  const b = new Tensor([n, n]);
  new RandomSource(10).fillNormal(b.data);
  await gemmMatmul(kernel, a, b);
  const runs: number[] = [];
  let c: Tensor | null = null;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    c = await gemmMatmul(kernel, a, b);
    runs.push(performance.now() - t0);
  }
  runs.sort((x, y) => x - y);
  // Parity on a sample of rows against the CPU (float32 bound k·2⁻²⁴·Σ|a||b|).
  let worst = 0;
  if (n <= 1024) {
    const want = matmul(a, b);
    for (let i = 0; i < want.size; i++) worst = Math.max(worst, Math.abs(c!.data[i]! - want.data[i]!));
  }
  const timed = await gemmTimeDispatches(kernel, a, b, n >= 2048 ? 10 : 50);
  const kernelMs = timed.gpuMs ?? timed.wallMs;
  console.log(JSON.stringify({ n, medianMs: runs[1], gflopsIncludingTransfers: (2 * n ** 3) / (runs[1]! * 1e6), kernelMs, wallMs: timed.wallMs, timestamps: timed.gpuMs !== null, kernelGflops: (2 * n ** 3) / (kernelMs * 1e6), maxAbsDiffVsCpu: worst }));
}
// Randomized SVD, rank 64 of 4096², TensorLy's settings (5 oversamples, 2 power iterations).
const side = quick ? 512 : 4096;
const big = syntheticTensor({ kind: 'tucker', shape: [side, side], ranks: [128, 128], noise: 1e-3 }, new RandomSource(6)).tensor;
const ops = new GpuOps(gpu);
const bigGpu = ops.upload(big);
await randomizedSvdWith(gpuDenseOps(ops), bigGpu, { rank: 64, oversample: 5, powerIters: 2, random: new RandomSource(7) });
const rs: number[] = [];
let s0 = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  s0 = (await randomizedSvdWith(gpuDenseOps(ops), bigGpu, { rank: 64, oversample: 5, powerIters: 2, random: new RandomSource(7) })).s[0]!;
  rs.push(performance.now() - t0);
}
rs.sort((x, y) => x - y);
const t0 = performance.now();
const cpu = await randomizedSvd(mat(side, side, Float64Array.from(big.data)), { rank: 64, oversample: 5, powerIters: 2, random: new RandomSource(7) });
console.log(JSON.stringify({ [`rsvd${side}`]: { gpuMedianMs: rs[1], cpuMs: performance.now() - t0, s0Gpu: s0, s0Cpu: cpu.s[0] } }));

// Decompositions and transforms on the WebGPU backend against the CPU backend, same inputs.
const { WebGpuBackend } = await import('../engine/webgpu/backend');
const { cpuBackend } = await import('../engine');
const backend = await WebGpuBackend.create(create([]), 'corespace device run (backend)');
async function row(name: string, run: (b: typeof cpuBackend) => Promise<number>): Promise<void> {
  await run(backend);
  const gpuRuns: number[] = [];
  let gpuValue = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    gpuValue = await run(backend);
    gpuRuns.push(performance.now() - t);
  }
  gpuRuns.sort((x, y) => x - y);
  const before = { ...backend.ops.stats };
  await run(backend);
  const counts = Object.fromEntries(Object.entries(backend.ops.stats).map(([k, v]) => [k, v - before[k as keyof typeof before]]));
  const t = performance.now();
  const cpuValue = await run(cpuBackend);
  const cpuMs = performance.now() - t;
  console.log(JSON.stringify({ row: name, gpuMedianMs: gpuRuns[1], cpuMs, cpuOverGpu: cpuMs / gpuRuns[1]!, gpuValue, cpuValue, perRun: counts }));
}
const rnd = (seed: number) => new RandomSource(seed);
for (const n of quick ? [32] : [128, 256]) {
  const x = syntheticTensor({ kind: 'tucker', shape: [n, n, n], ranks: [16, 16, 16], noise: 1e-3 }, rnd(1)).tensor;
  await row(`tucker_hooi_${n}^3_rank16${n === 128 ? ' (TensorLy 1.15 s on 2 cores)' : n === 256 ? ' (TensorLy 16.9 s on 2 cores)' : ''}`, async (b) => (await b.tucker(x, { ranks: [16, 16, 16], method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: rnd(2) })).relError);
}
const xcp = syntheticTensor({ kind: 'cp', shape: quick ? [32, 32, 32] : [128, 128, 128], ranks: [16], noise: 1e-3 }, rnd(3)).tensor;
await row(`cp_${xcp.shape[0]}^3_rank16_100iter${quick ? '' : ' (TensorLy 2.02 s)'}`, async (b) => (await b.cp(xcp, { rank: 16, init: 'svd', maxIter: 100, tol: 0, normalize: false, random: rnd(4) })).relError);
const xtt = syntheticTensor({ kind: 'gaussian', shape: [16, 16, 16, 16, 16], ranks: [], noise: 0 }, rnd(5)).tensor;
await row('tt_16^5_rank8 (TensorLy 0.19 s)', async (b) => (await b.tt(xtt, { maxRank: 8 })).relError);
await row(`svd_randomized_rank64_${side}^2${quick ? '' : ' (TensorLy 0.30 s)'}`, async (b) => (await b.truncatedSvd(big, { rank: 64, method: 'randomized', oversample: 5, powerIters: 2, random: rnd(7) })).spectrum[0]!);
const img = new Tensor(quick ? [256, 256] : [4096, 4096]);
rnd(11).fillNormal(img.data);
// Each transform row includes reading the result back (a GPU result stays on the device until read).
const norm = async (t: Tensor) => Math.sqrt((await t.materialize()).data.reduce((acc, v) => acc + v * v, 0));
const sz = `${img.shape[0]}x${img.shape[1]}`;
await row(`fwht_${sz} (both axes)`, async (b) => await norm(await b.wht(img, {})));
await row(`dct_${sz} (both axes, ${img.shape[0]! > 2048 ? 'four-step FFT' : img.shape[0]! > 256 ? 'FFT' : 'by products'})`, async (b) => await norm(await b.dct(img, {})));
await row(`dwt_db4_3levels_${sz}`, async (b) => await norm(await b.dwt(img, { wavelet: 'db4', levels: 3 })));
const db4 = { wavelet: 'db4' as const, levels: 3 };
await row(`chain_dct_dwt_idwt_idct_${sz} (intermediates stay on the GPU)`, async (b) => await norm(await b.dct(await b.dwt(await b.dwt(await b.dct(img, {}), db4), { ...db4, inverse: true }), { inverse: true })));
// Radiance distillation: a 64³ procedural scene into VM (8, 16) and CP (48, 96) on the GPU, 300 steps
// with PSNR every 25; the CPU's training steps per second from a short run of the same settings.
const { DISTILL_DEFAULTS, distill, sceneField } = await import('../engine');
const scene = sceneField('spheres', quick ? 32 : 64, 1);
for (const [name, student] of [['vm_8_16', { student: 'vm', densityRank: 8, colorRank: 16 }], ['cp_48_96', { student: 'cp', densityRank: 48, colorRank: 96 }]] as const) {
  const o = { ...DISTILL_DEFAULTS, ...student, resolution: scene.resolution, seed: 1, activeLearning: true };
  const g = await distill(scene, { ...o, steps: quick ? 20 : 300, psnrEvery: quick ? 10 : 25 }, backend.radiance());
  const cpuSteps = quick ? 4 : 20;
  const c = await distill(scene, { ...o, steps: cpuSteps, psnrEvery: 0 }, cpuBackend.radiance());
  const perSecond = (r: typeof g, steps: number) => steps / (r.seconds - r.psnrSeconds - r.alignSeconds);
  const to = (db: number) => g.psnrTrace.find((t) => t.psnr >= db)?.seconds ?? null;
  console.log(JSON.stringify({ row: `distill_${scene.resolution}^3_${name}`, psnr: g.psnr, gpuStepsPerSecond: perSecond(g, quick ? 20 : 300), cpuStepsPerSecond: perSecond(c, cpuSteps), alignSeconds: g.alignSeconds, secondsTo35: to(35), secondsTo40: to(40), psnrTrace: g.psnrTrace.map((t) => [t.step, +t.seconds.toFixed(2), +t.psnr.toFixed(2)]) }));
}
backend.destroy();
process.exit(0);
