// Binds shaders/fwht.wgsl: the orthonormal fast Walsh–Hadamard transform along the last axis, one
// workgroup per line, for lines of length ≤ 4096 (longer lines need the multi-pass variant).
import { Tensor, formatShape } from '../tensor';
import { sequencyPermutation } from '../transforms';
import type { GpuContext } from './device';
import { BufferPool } from './pool';
import { bindBuffers, kernel, type Kernel } from './pipeline';

const MAX_N = 4096;

export class FwhtKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
  ) {
    this.kernel = kernel(ctx.device, 'fwht', ['uniform', 'storage', 'read-only-storage']);
  }

  /** The transform of every line along the last axis (natural or sequency order), read back. */
  async transformLastAxis(x: Tensor, order: 'natural' | 'sequency' = 'natural'): Promise<Tensor> {
    const n = x.shape[x.ndim - 1] ?? 1;
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`the Walsh–Hadamard transform needs a power-of-two last axis, but ${formatShape(x.shape)} ends in ${n}`);
    if (n > MAX_N) throw new Error(`the single-pass WebGPU FWHT handles lines of up to ${MAX_N}, got ${n}`);
    const lines = x.size / n;
    // One workgroup per line in a 1-D grid (the WebGPU default caps a dimension at 65535).
    if (lines > 65535) throw new Error(`the WebGPU FWHT transforms at most 65535 lines per call, got ${lines}; split the tensor`);
    const { device } = this.ctx;
    const bytes = x.data.byteLength;
    const data = this.pool.acquire('fwht data', bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    device.queue.writeBuffer(data, 0, x.data as Float32Array<ArrayBuffer>);
    const perm = this.pool.acquire('fwht perm', 4 * n, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    if (order === 'sequency') device.queue.writeBuffer(perm, 0, sequencyPermutation(n) as Uint32Array<ArrayBuffer>);
    const params = new ArrayBuffer(16);
    new Uint32Array(params, 0, 3).set([n, Math.log2(n), order === 'sequency' ? 1 : 0]);
    new Float32Array(params, 12, 1).set([1 / Math.sqrt(n)]);
    const uniform = this.pool.acquire('fwht params', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(uniform, 0, params);
    const readback = this.pool.acquire('fwht readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const bind = bindBuffers(device, this.kernel, 'fwht bind group', [uniform, data, perm]);
    const encoder = device.createCommandEncoder({ label: 'fwht encoder' });
    const pass = encoder.beginComputePass({ label: 'fwht pass' });
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, bind);
    if (lines > 0) pass.dispatchWorkgroups(lines, 1, 1);
    pass.end();
    encoder.copyBufferToBuffer(data, 0, readback, 0, data.size);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(readback.getMappedRange().slice(0, x.data.byteLength));
    readback.unmap();
    this.pool.release(data, perm, uniform, readback);
    return new Tensor(x.shape, out);
  }
}
