// Binds shaders/gemm.wgsl: owns its bind-group layout and pipeline, uploads operands, dispatches
// one (ceil(N/64), ceil(M/64), 1) grid and reads C back. Tile sizes here must match the WGSL.
// Buffers come from a BufferPool and go back to it after each product; device-resident tensors
// (no upload/readback between nodes) come with the WebGPU backend (issue #4).
import { Tensor, formatShape } from '../tensor';
import type { GpuContext } from './device';
import { BufferPool } from './pool';
import { WGSL } from './wgsl.generated';

const TILE_M = 64;
const TILE_N = 64;
const PARAMS_BYTES = 48; // Params: 8 × u32 + 2 × f32 = 40 bytes, padded to 16

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
}

export class GemmKernel {
  private readonly layout: GPUBindGroupLayout;
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
  ) {
    const { device } = ctx;
    this.layout = device.createBindGroupLayout({
      label: 'gemm bind group layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.pipeline = device.createComputePipeline({
      label: 'gemm pipeline',
      layout: device.createPipelineLayout({ label: 'gemm pipeline layout', bindGroupLayouts: [this.layout] }),
      compute: { module: device.createShaderModule({ label: 'gemm.wgsl', code: WGSL.gemm }), entryPoint: 'main' },
    });
  }

  /** op(A)·op(B) for 2-D float32 tensors, computed on the GPU and read back. */
  async matmul(a: Tensor, b: Tensor, opts: GemmOptions = {}): Promise<Tensor> {
    const job = this.prepare(a, b, opts);
    const { device } = this.ctx;
    const readback = this.pool.acquire('gemm readback', job.outSize, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const encoder = device.createCommandEncoder({ label: 'gemm encoder' });
    job.encode(encoder);
    encoder.copyBufferToBuffer(job.output, 0, readback, 0, job.outSize);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(readback.getMappedRange().slice(0, 4 * job.m * job.n));
    readback.unmap();
    this.pool.release(...job.buffers, readback);
    return new Tensor([job.m, job.n], out);
  }

  /** Milliseconds per product with the operands already on the device: `repeats` dispatches in one
   * submission, timed to its completion (for benchmarks; no readback). */
  async timeDispatches(a: Tensor, b: Tensor, repeats: number, opts: GemmOptions = {}): Promise<number> {
    const job = this.prepare(a, b, opts);
    const { device } = this.ctx;
    const encoder = device.createCommandEncoder({ label: 'gemm timing encoder' });
    for (let r = 0; r < repeats; r++) job.encode(encoder);
    await device.queue.onSubmittedWorkDone();
    const t0 = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    const ms = (performance.now() - t0) / repeats;
    this.pool.release(...job.buffers);
    return ms;
  }

  /** Uploads the operands and returns how to encode the product into a command encoder. */
  private prepare(a: Tensor, b: Tensor, opts: GemmOptions) {
    if (a.ndim !== 2 || b.ndim !== 2) throw new Error(`matmul needs two matrices, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    const [m, k] = opts.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [k2, n] = opts.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (k !== k2) throw new Error(`matmul: inner sizes differ (${m}×${k} · ${k2}×${n})`);
    const { device, limits } = this.ctx;
    const outBytes = 4 * m * n;
    for (const [what, bytes] of [['A', a.data.byteLength], ['B', b.data.byteLength], ['C', outBytes]] as const) {
      if (bytes > limits.maxStorageBufferBindingSize) {
        throw new Error(`matmul: ${what} needs ${bytes} bytes, above this device's storage binding limit of ${limits.maxStorageBufferBindingSize} bytes`);
      }
    }
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const bufA = this.upload('gemm A', a.data, usage);
    const bufB = this.upload('gemm B', b.data, usage);
    const size = Math.max(16, outBytes);
    const bufC = this.pool.acquire('gemm C', size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const params = new ArrayBuffer(PARAMS_BYTES);
    new Uint32Array(params, 0, 8).set([m, n, k, opts.transA ? 1 : 0, opts.transB ? 1 : 0, 0, 0, 0]);
    new Float32Array(params, 32, 2).set([opts.alpha ?? 1, 0]);
    const bufP = this.pool.acquire('gemm params', PARAMS_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(bufP, 0, params);
    const bind = device.createBindGroup({
      label: 'gemm bind group',
      layout: this.layout,
      entries: [bufP, bufA, bufB, bufC].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encode = (encoder: GPUCommandEncoder) => {
      const pass = encoder.beginComputePass({ label: 'gemm pass' });
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(n / TILE_N), Math.ceil(m / TILE_M), 1);
      pass.end();
    };
    return { m, n, output: bufC, outSize: size, buffers: [bufA, bufB, bufC, bufP], encode };
  }

  private upload(label: string, data: Float32Array, usage: number): GPUBuffer {
    const buffer = this.pool.acquire(label, data.byteLength, usage);
    if (data.byteLength) this.ctx.device.queue.writeBuffer(buffer, 0, data as Float32Array<ArrayBuffer>);
    return buffer;
  }
}
