// Binds shaders/permute.wgsl: numpy.transpose on device buffers (unfoldings, moving an axis last for
// the transforms). `encode` records one dispatch.
import { formatShape } from '../tensor';
import type { GpuContext } from './device';
import type { BufferPool } from './pool';
import { dispatchGrid, kernel, type Kernel } from './pipeline';

const MAX_AXES = 8;
const WG = 256;
const PARAMS_BYTES = 80;

export class PermuteKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pool: BufferPool,
  ) {
    this.kernel = kernel(ctx.device, 'permute', ['uniform', 'read-only-storage', 'storage']);
  }

  /** Records dst = transpose(src, perm) for a src of `shape`; the uniform goes onto `temps`. */
  encode(encoder: GPUCommandEncoder, src: GPUBuffer, dst: GPUBuffer, shape: readonly number[], perm: readonly number[], temps: GPUBuffer[]): number {
    const d = shape.length;
    if (d > MAX_AXES) throw new Error(`the WebGPU permute handles up to ${MAX_AXES} axes, got ${formatShape(shape)}`);
    const total = shape.reduce((a, b) => a * b, 1);
    if (total === 0) return 0;
    const strides = new Array<number>(d);
    for (let i = d - 1, s = 1; i >= 0; s *= shape[i]!, i--) strides[i] = s;
    // With axis 0 kept first, input and output slabs along it are contiguous and equal in size, so
    // a tensor beyond one storage binding is transposed a window of slabs at a time (each binding
    // starts at the 256-byte boundary below its slabs; the rest is an element offset).
    const slab = total / shape[0]!;
    const limit = this.ctx.limits.maxStorageBufferBindingSize;
    const step = perm[0] === 0 && 4 * total > limit ? Math.floor((limit / 4 - 63) / slab) : shape[0]!;
    if (step <= 0) throw new Error(`the WebGPU permute cannot bind one slab of ${formatShape(shape)} within this device's storage binding limit of ${limit} bytes`);
    let windows = 0;
    for (let first = 0; first < shape[0]!; first += step) {
      const count = Math.min(step, shape[0]! - first);
      const start = first * slab;
      const offset = Math.floor((4 * start) / 256) * 256;
      const skip = start - offset / 4;
      const binding = (buffer: GPUBuffer) => ({ buffer, offset, size: 4 * (skip + count * slab) });
      const params = new Uint32Array(PARAMS_BYTES / 4);
      params.set([d, count * slab, skip, skip]);
      for (let k = 0; k < MAX_AXES; k++) {
        params[4 + k] = k < d ? (k === 0 && perm[0] === 0 ? count : shape[perm[k]!]!) : 1;
        params[12 + k] = k < d ? strides[perm[k]!]! : 0;
      }
      const uniform = this.pool.acquire('permute params', PARAMS_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.ctx.device.queue.writeBuffer(uniform, 0, params);
      temps.push(uniform);
      dispatchGrid(encoder, this.ctx.device, this.kernel, 'permute', [uniform, binding(src), binding(dst)], Math.ceil((count * slab) / WG));
      windows++;
    }
    return windows;
  }
}
