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
    const params = new Uint32Array(PARAMS_BYTES / 4);
    params.set([d, total, 0, 0]);
    for (let k = 0; k < MAX_AXES; k++) {
      params[4 + k] = k < d ? shape[perm[k]!]! : 1;
      params[12 + k] = k < d ? strides[perm[k]!]! : 0;
    }
    const uniform = this.pool.acquire('permute params', PARAMS_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.ctx.device.queue.writeBuffer(uniform, 0, params);
    temps.push(uniform);
    return dispatchGrid(encoder, this.ctx.device, this.kernel, 'permute', [uniform, src, dst], Math.ceil(total / WG));
  }
}
