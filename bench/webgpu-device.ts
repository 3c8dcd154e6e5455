// GEMM on a lent GPU machine (see scripts/device-bundle.sh): acquires the WebGPU adapter through Dawn,
// times op(A)·op(B) at n = 256…4096 including upload and readback (median of 3 after one warm-up)
// and on device-resident operands (many dispatches in one submission),
// and checks the result against the CPU kernel up to n = 1024. Prints one JSON line per size.
import { create, globals } from 'webgpu';
import { RandomSource, Tensor, matmul } from '../engine';
import { acquireDevice } from '../engine/webgpu/device';
import { GemmKernel } from '../engine/webgpu/gemm';
import { GpuOps } from '../engine/webgpu/ops';
import { randomizedSvdGpu } from '../engine/webgpu/rsvd';
import { randomizedSvd, mat, syntheticTensor } from '../engine';
Object.assign(globalThis, globals);
const gpu = await acquireDevice(create([]), 'corespace device run');
console.log(JSON.stringify({ adapter: gpu.adapter, limits: gpu.limits }));
const kernel = new GemmKernel(gpu);
for (const n of [256, 512, 1024, 2048, 4096]) {
  const a = new Tensor([n, n]);
  new RandomSource(9).fillNormal(a.data);
  const b = new Tensor([n, n]);
  new RandomSource(10).fillNormal(b.data);
  await kernel.matmul(a, b);
  const runs: number[] = [];
  let c: Tensor | null = null;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    c = await kernel.matmul(a, b);
    runs.push(performance.now() - t0);
  }
  runs.sort((x, y) => x - y);
  // Parity on a sample of rows against the CPU (float32 bound k·2⁻²⁴·Σ|a||b|).
  let worst = 0;
  if (n <= 1024) {
    const want = matmul(a, b);
    for (let i = 0; i < want.size; i++) worst = Math.max(worst, Math.abs(c!.data[i]! - want.data[i]!));
  }
  const timed = await kernel.timeDispatches(a, b, n >= 2048 ? 10 : 50);
  const kernelMs = timed.gpuMs ?? timed.wallMs;
  console.log(JSON.stringify({ n, medianMs: runs[1], gflopsIncludingTransfers: (2 * n ** 3) / (runs[1]! * 1e6), kernelMs, wallMs: timed.wallMs, timestamps: timed.gpuMs !== null, kernelGflops: (2 * n ** 3) / (kernelMs * 1e6), maxAbsDiffVsCpu: worst }));
}
// Randomized SVD, rank 64 of 4096², TensorLy's settings (5 oversamples, 2 power iterations).
const big = syntheticTensor({ kind: 'tucker', shape: [4096, 4096], ranks: [128, 128], noise: 1e-3 }, new RandomSource(6)).tensor;
const ops = new GpuOps(gpu);
const bigGpu = ops.upload(big);
await randomizedSvdGpu(ops, bigGpu, { rank: 64, oversample: 5, powerIters: 2, random: new RandomSource(7) });
const rs: number[] = [];
let s0 = 0;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  s0 = (await randomizedSvdGpu(ops, bigGpu, { rank: 64, oversample: 5, powerIters: 2, random: new RandomSource(7) })).s[0]!;
  rs.push(performance.now() - t0);
}
rs.sort((x, y) => x - y);
const t0 = performance.now();
const cpu = randomizedSvd(mat(4096, 4096, Float64Array.from(big.data)), { rank: 64, oversample: 5, powerIters: 2, random: new RandomSource(7) });
console.log(JSON.stringify({ rsvd4096: { gpuMedianMs: rs[1], cpuMs: performance.now() - t0, s0Gpu: s0, s0Cpu: cpu.s[0] } }));
process.exit(0);
