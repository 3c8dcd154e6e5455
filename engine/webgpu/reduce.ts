// Binds shaders/reduce.wgsl: dot products and Frobenius norms on the GPU, the per-workgroup
// float32 partials (4096 products each) summed on the host in float64.
import type { Tensor } from '../tensor';
import type { GpuContext } from './device';
import { BufferPool } from './pool';
import { WGSL } from './wgsl.generated';

const CHUNK = 256 * 16;

export class ReduceKernel {
  private readonly layout: GPUBindGroupLayout;
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
  ) {
    const { device } = ctx;
    this.layout = device.createBindGroupLayout({
      label: 'reduce bind group layout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.pipeline = device.createComputePipeline({
      label: 'reduce pipeline',
      layout: device.createPipelineLayout({ label: 'reduce pipeline layout', bindGroupLayouts: [this.layout] }),
      compute: { module: device.createShaderModule({ label: 'reduce.wgsl', code: WGSL.reduce }), entryPoint: 'main' },
    });
  }

  async dot(x: Tensor, y: Tensor): Promise<number> {
    if (x.size !== y.size) throw new Error(`dot: the operands have ${x.size} and ${y.size} entries`);
    const n = x.size;
    const groups = Math.ceil(n / CHUNK);
    if (groups > 65535) throw new Error(`dot: ${n} entries exceed one dispatch (${65535 * CHUNK}); split the tensor`);
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
    const params = this.pool.acquire('reduce params', 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(params, 0, Uint32Array.of(n, 0, 0, 0));
    const partial = this.pool.acquire('reduce partials', 4 * groups, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const readback = this.pool.acquire('reduce readback', 4 * groups, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const bind = device.createBindGroup({ label: 'reduce bind group', layout: this.layout, entries: [params, bx, by, partial].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const encoder = device.createCommandEncoder({ label: 'reduce encoder' });
    const pass = encoder.beginComputePass({ label: 'reduce pass' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(groups, 1, 1);
    pass.end();
    encoder.copyBufferToBuffer(partial, 0, readback, 0, partial.size);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const parts = new Float32Array(readback.getMappedRange().slice(0, 4 * groups));
    readback.unmap();
    this.pool.release(...new Set([bx, by, params, partial, readback]));
    let s = 0;
    for (const p of parts) s += p;
    return s;
  }

  async frobeniusNorm(x: Tensor): Promise<number> {
    return Math.sqrt(await this.dot(x, x));
  }
}
