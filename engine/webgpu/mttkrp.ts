// Binds shaders/mttkrp.wgsl: out[p, q, r] = Σ_s T[p, s, q, r]·A[s, r] on device buffers.
import type { GpuContext } from './device';
import type { BufferPool } from './pool';
import { bindBuffers, kernel, type Kernel } from './pipeline';

const MAX_GRID = 65535;

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
    const groups = Math.ceil(total / 256);
    const cols = Math.min(groups, MAX_GRID);
    const pass = encoder.beginComputePass({ label: 'mttkrp pass' });
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, bindBuffers(this.ctx.device, this.kernel, 'mttkrp bind group', [uniform, t, a, out]));
    pass.dispatchWorkgroups(cols, Math.ceil(groups / cols), 1);
    pass.end();
    return 1;
  }
}
