// Binds shaders/philox.wgsl: the raw uint32 stream of RandomSource(seed, stream) generated on the
// GPU — the same words, in the same order, as the host's nextUint32().
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { BufferPool } from '../../engine/webgpu/runtime/pool';
import { bindBuffers, kernel, type Kernel } from '../../engine/webgpu/runtime/pipeline';
import { paramsBuffer } from '../../engine/webgpu/runtime/params';

export class PhiloxKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
  ) {
    this.kernel = kernel(ctx.device, 'philox', ['uniform', 'storage'], { WG: 64 });
  }

  /** Words [4·firstBlock, 4·(firstBlock + blocks)) of the stream of (seed, stream), read back. */
  async words(seed: number | bigint, stream: number, blocks: number, firstBlock = 0): Promise<Uint32Array> {
    if (!Number.isInteger(blocks) || blocks < 0 || blocks > 65535 * 64) throw new Error(`blocks must be an integer 0 … ${65535 * 64}, got ${blocks}`);
    const s = BigInt.asUintN(64, BigInt(seed));
    const { device } = this.ctx;
    const uniform = paramsBuffer(device, this.pool, 'philox', {
      key0: Number(s & 0xffffffffn),
      key1: Number(s >> 32n),
      stream: stream >>> 0,
      first_block_lo: firstBlock % 2 ** 32,
      first_block_hi: Math.floor(firstBlock / 2 ** 32),
      blocks,
    });
    const bytes = 16 * blocks;
    const out = this.pool.acquire('philox words', bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const readback = this.pool.acquire('philox readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const bind = bindBuffers(device, this.kernel, 'philox bind group', [uniform, out]);
    const encoder = device.createCommandEncoder({ label: 'philox encoder' });
    const pass = encoder.beginComputePass({ label: 'philox pass' });
    pass.setPipeline(this.kernel.pipeline);
    pass.setBindGroup(0, bind);
    if (blocks > 0) pass.dispatchWorkgroups(Math.ceil(blocks / 64), 1, 1);
    pass.end();
    encoder.copyBufferToBuffer(out, 0, readback, 0, out.size);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const words = new Uint32Array(readback.getMappedRange().slice(0, bytes));
    readback.unmap();
    this.pool.release(uniform, out, readback);
    return words;
  }
}
