// Binds shaders/mttkrp.wgsl: out[p, q, r] = Σ_s T[p, s, q, r]·A[s, r] on device buffers.
import type { GpuContext } from './device';
import type { BufferPool } from './pool';
import { dispatchGrid, kernel, type Kernel } from './pipeline';


export class MttkrpKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pool: BufferPool,
  ) {
    this.kernel = kernel(ctx.device, 'mttkrp', ['uniform', 'read-only-storage', 'read-only-storage', 'storage']);
  }

  /** Records the contraction of axis 1 of T (P × S × Q × R) with A (S × R) into out (P × Q × R). */
  encode(encoder: GPUCommandEncoder, t: GPUBuffer, a: GPUBuffer, out: GPUBuffer, dims: { p: number; s: number; q: number; r: number }, temps: GPUBuffer[]): number {
    const total = dims.p * dims.q * dims.r;
    if (total === 0) return 0;
    const uniform = this.pool.acquire('mttkrp params', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.ctx.device.queue.writeBuffer(uniform, 0, Uint32Array.of(dims.p, dims.s, dims.q, dims.r));
    temps.push(uniform);
    return dispatchGrid(encoder, this.ctx.device, this.kernel, 'mttkrp', [uniform, t, a, out], Math.ceil(total / 256));
  }
}
