// Binds shaders/reduce.wgsl and its subgroup variant shaders/reduce-subgroups.wgsl: dot products and
// Frobenius norms on the GPU, the per-workgroup float32 partials (4096 products each) summed on the
// host in float64.
import type { Tensor } from '../../tensor';
import type { GpuContext } from '../runtime/device';
import { BufferPool } from '../runtime/pool';
import { bindBuffers, kernel, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

/** Threads per workgroup and products per thread: each workgroup adds CHUNK = WG × PER_THREAD. */
const WG = 256;
const PER_THREAD = 16;
const CHUNK = WG * PER_THREAD;

export class ReduceKernel {
  private readonly kernel: Kernel;
  /** The shader of the variant (both have the same Params). */
  private readonly name: 'reduce' | 'reduce-subgroups';

  constructor(
    private readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
    /** 'subgroups' (subgroupAdd, one barrier) where the device has them, else the workgroup tree. */
    readonly variant: 'tree' | 'subgroups' = ctx.features.subgroups ? 'subgroups' : 'tree',
  ) {
    this.name = variant === 'subgroups' ? 'reduce-subgroups' : 'reduce';
    this.kernel = kernel(ctx.device, this.name, ['uniform', 'read-only-storage', 'read-only-storage', 'storage'], { WG, PER_THREAD });
  }

  /** Records the partial sums of x·y over n entries into a new buffer (pushed onto `temps`, as are
   * the uniforms); returns it and the number of partials. Inputs longer than one storage binding
   * or one dispatch are reduced a window at a time, the partials gathered into one buffer. */
  encode(encoder: GPUCommandEncoder, x: GPUBuffer, y: GPUBuffer, n: number, temps: GPUBuffer[]): { partial: GPUBuffer; groups: number } {
    const groups = Math.ceil(n / CHUNK);
    const { device } = this.ctx;
    const partial = this.pool.acquire('reduce partials', 4 * Math.max(1, groups), GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    temps.push(partial);
    // Window length: whole chunks, within one binding and one dispatch (65535 workgroups).
    const perWindow = Math.max(1, Math.min(65535, Math.floor(this.ctx.limits.maxStorageBufferBindingSize / (4 * CHUNK)))) * CHUNK;
    const single = n <= perWindow;
    for (let w0 = 0; w0 < n; w0 += perWindow) {
      const len = Math.min(perWindow, n - w0);
      const g = Math.ceil(len / CHUNK);
      const params = paramsBuffer(device, this.pool, this.name, { n: len });
      const out = single ? partial : this.pool.acquire('reduce window partials', 4 * g, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
      temps.push(params);
      if (!single) temps.push(out);
      const win = (b: GPUBuffer): GPUBufferBinding => ({ buffer: b, offset: 4 * w0, size: 4 * len });
      const pass = encoder.beginComputePass({ label: 'reduce pass' });
      pass.setPipeline(this.kernel.pipeline);
      pass.setBindGroup(0, bindBuffers(device, this.kernel, 'reduce bind group', [params, win(x), win(y), { buffer: out, offset: 0, size: 4 * g }]));
      pass.dispatchWorkgroups(g, 1, 1);
      pass.end();
      if (!single) encoder.copyBufferToBuffer(out, 0, partial, 4 * (w0 / CHUNK), 4 * g);
    }
    return { partial, groups };
  }

  async dot(x: Tensor, y: Tensor): Promise<number> {
    if (x.size !== y.size) throw new Error(`dot: the operands have ${x.size} and ${y.size} entries`);
    const n = x.size;
    if (n === 0) return 0;
    const { device } = this.ctx;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const bx = this.pool.acquire('reduce x', 4 * n, usage);
    device.queue.writeBuffer(bx, 0, x.data as Float32Array<ArrayBuffer>);
    let by = bx;
    if (y !== x) {
      by = this.pool.acquire('reduce y', 4 * n, usage);
      device.queue.writeBuffer(by, 0, y.data as Float32Array<ArrayBuffer>);
    }
    const temps: GPUBuffer[] = [...new Set([bx, by])];
    const encoder = device.createCommandEncoder({ label: 'reduce encoder' });
    const { partial, groups } = this.encode(encoder, bx, by, n, temps);
    const readback = this.pool.acquire('reduce readback', 4 * groups, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    encoder.copyBufferToBuffer(partial, 0, readback, 0, 4 * groups);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const parts = new Float32Array(readback.getMappedRange().slice(0, 4 * groups));
    readback.unmap();
    this.pool.release(...temps, readback);
    return sumPartials(parts);
  }

  async frobeniusNorm(x: Tensor): Promise<number> {
    return Math.sqrt(await this.dot(x, x));
  }
}

/** The float32 partials added in float64. */
export function sumPartials(parts: Float32Array): number {
  let s = 0;
  for (const p of parts) s += p;
  return s;
}
