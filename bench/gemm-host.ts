// Products of host operands on the device's GEMM kernel, for its tests and the benchmarks: upload A
// and B, run one product and read C back, or time repeated dispatches on operands already uploaded.
// The engine itself multiplies resident tensors (engine/webgpu/ops.ts) and never uses these.
import { Tensor, formatShape } from '../engine/tensor';
import type { GemmJob, GemmKernel, GemmOptions } from '../engine/webgpu/kernels/gemm';
import { GpuTimer, timedSubmit } from '../engine/webgpu/runtime/timer';

/** op(A)·op(B) for 2-D float32 tensors, computed on the GPU and read back. */
export async function gemmMatmul(kernel: GemmKernel, a: Tensor, b: Tensor, opts: GemmOptions = {}): Promise<Tensor> {
  const temps: GPUBuffer[] = [];
  const job = prepare(kernel, a, b, opts, temps);
  const { ctx } = kernel;
  const { device } = ctx;
  const outSize = 4 * job.m * job.n;
  const readback = kernel.pool.acquire('gemm readback', outSize, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  const encoder = device.createCommandEncoder({ label: 'gemm encoder' });
  kernel.encode(encoder, job, temps);
  if (outSize) encoder.copyBufferToBuffer(job.c, 0, readback, 0, outSize);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(readback.getMappedRange().slice(0, outSize));
  readback.unmap();
  kernel.pool.release(...temps, readback);
  return new Tensor([job.m, job.n], out);
}

/** Milliseconds per product with the operands already on the device: `repeats` dispatches in one
 * submission (no readback). `gpuMs` from timestamp queries where the device has them (kernel time
 * only), `wallMs` from the host clock around submit and completion. */
export async function gemmTimeDispatches(kernel: GemmKernel, a: Tensor, b: Tensor, repeats: number, opts: GemmOptions = {}): Promise<{ wallMs: number; gpuMs: number | null }> {
  const temps: GPUBuffer[] = [];
  const job = prepare(kernel, a, b, opts, temps);
  const { ctx } = kernel;
  const { device } = ctx;
  const encoder = device.createCommandEncoder({ label: 'gemm timing encoder' });
  const timer = ctx.features.timestamps ? new GpuTimer(device, 4 * repeats) : null;
  for (let r = 0; r < repeats; r++) kernel.encodeTimed(encoder, job, temps, timer);
  const times = await timedSubmit(device, encoder, repeats, timer);
  kernel.pool.release(...temps);
  return times;
}

/** Checks the shapes, uploads the operands (their buffers go onto `temps`) and returns the job. */
function prepare(kernel: GemmKernel, a: Tensor, b: Tensor, opts: GemmOptions, temps: GPUBuffer[]): GemmJob {
  const { ctx } = kernel;
  if (a.ndim !== 2 || b.ndim !== 2) throw new Error(`matmul needs two matrices, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const [m, k] = opts.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = opts.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== k2) throw new Error(`matmul: inner sizes differ (${m}×${k} · ${k2}×${n})`);
  const outBytes = 4 * m * n;
  for (const [what, bytes] of [['A', a.data.byteLength], ['B', b.data.byteLength], ['C', outBytes]] as const) {
    if (bytes > ctx.limits.maxBufferSize) throw new Error(`matmul: ${what} needs ${bytes} bytes, above this device's buffer size limit of ${ctx.limits.maxBufferSize} bytes`);
  }
  const upload = (label: string, data: Float32Array): GPUBuffer => {
    const buffer = kernel.pool.acquire(label, data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    if (data.byteLength) ctx.device.queue.writeBuffer(buffer, 0, data as Float32Array<ArrayBuffer>);
    return buffer;
  };
  const bufA = upload('gemm A', a.data);
  const bufB = upload('gemm B', b.data);
  const bufC = kernel.pool.acquire('gemm C', Math.max(16, outBytes), GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  temps.push(bufA, bufB, bufC);
  return { a: bufA, b: bufB, c: bufC, m, n, k, transA: !!opts.transA, transB: !!opts.transB, alpha: opts.alpha ?? 1 };
}
