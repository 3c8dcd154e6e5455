// Binds shaders/gemm-naive.wgsl, the untiled product the benchmark compares gemm.wgsl against.
import { Tensor, formatShape } from '../engine/tensor';
import type { GpuContext } from '../engine/webgpu/runtime/device';
import { bindBuffers, kernel, type Kernel } from '../engine/webgpu/runtime/pipeline';
import { GpuTimer, timedSubmit } from '../engine/webgpu/runtime/timer';
import { packParams } from '../engine/webgpu/runtime/params';

/** The workgroup is SIDE × SIDE threads, one per entry of C. */
const SIDE = 16;

export class NaiveGemm {
  private readonly kernel: Kernel;

  constructor(private readonly ctx: GpuContext) {
    this.kernel = kernel(ctx.device, 'gemm-naive', ['uniform', 'read-only-storage', 'read-only-storage', 'storage'], { SIDE });
  }

  /** Runs C = A·B `repeats` times in one submission; the product and the milliseconds per run
   * (timestamp queries where the device has them, else the host clock around submit and wait). */
  async run(a: Tensor, b: Tensor, repeats = 1): Promise<{ c: Tensor; ms: number; timestamps: boolean }> {
    const [m, k] = a.shape as [number, number];
    const [k2, n] = b.shape as [number, number];
    if (a.ndim !== 2 || b.ndim !== 2 || k !== k2) throw new Error(`naive matmul: ${formatShape(a.shape)} · ${formatShape(b.shape)} do not multiply`);
    const { device } = this.ctx;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const make = (label: string, bytes: number, data?: Float32Array) => {
      const buf = device.createBuffer({ label, size: Math.max(16, bytes), usage });
      if (data?.length) device.queue.writeBuffer(buf, 0, data as Float32Array<ArrayBuffer>);
      return buf;
    };
    const params = packParams('gemm-naive', { m, n, k, _pad: 0 });
    const uniform = device.createBuffer({ label: 'gemm-naive params', size: params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(uniform, 0, params);
    const [ba, bb, bc] = [make('gemm-naive A', 4 * m * k, a.data), make('gemm-naive B', 4 * k * n, b.data), make('gemm-naive C', 4 * m * n)];
    const readback = device.createBuffer({ label: 'gemm-naive readback', size: Math.max(16, 4 * m * n), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const timer = this.ctx.features.timestamps ? new GpuTimer(device, repeats) : null;
    const bind = bindBuffers(device, this.kernel, 'gemm-naive bind group', [uniform, ba, bb, bc]);
    const encoder = device.createCommandEncoder({ label: 'gemm-naive encoder' });
    for (let r = 0; r < repeats; r++) {
      const pass = encoder.beginComputePass(timer?.pass('gemm-naive pass') ?? { label: 'gemm-naive pass' });
      pass.setPipeline(this.kernel.pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(n / SIDE), Math.ceil(m / SIDE));
      pass.end();
    }
    encoder.copyBufferToBuffer(bc, 0, readback, 0, 4 * m * n);
    const { wallMs, gpuMs } = await timedSubmit(device, encoder, repeats, timer);
    await readback.mapAsync(GPUMapMode.READ);
    const c = new Tensor([m, n], new Float32Array(readback.getMappedRange().slice(0, 4 * m * n)));
    readback.unmap();
    for (const buf of [uniform, ba, bb, bc, readback]) buf.destroy();
    return { c, ms: gpuMs ?? wallMs, timestamps: gpuMs !== null };
  }
}
