// Binds shaders/plucker-flow.wgsl and plucker-flow-norms.wgsl: the Grassmann-flow features of a
// sequence on the device (engine/geometry/flow.ts computes the same in float64). The norms of every
// (step, lag) pair first, one thread each; then one thread per output entry, the output bound a
// window of whole steps at a time when it exceeds one binding. The sequence itself is bound whole.
import { Tensor, formatShape } from '../../tensor';
import type { GpuContext } from '../runtime/device';
import type { GpuOps } from '../ops';
import { dispatchGrid, kernel, windowAt, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

/** Threads per workgroup, one per (step, lag) or per output entry. */
const WG = 256;
/** Lags the params hold (array<vec4u, 16>), and the largest r a pair index packs (16 bits each). */
const MAX_LAGS = 64;
const MAX_R = 65536;

export class PluckerFlowKernel {
  private readonly norms: Kernel;
  private readonly features: Kernel;

  constructor(private readonly ctx: GpuContext) {
    this.norms = kernel(ctx.device, 'plucker-flow-norms', ['uniform', 'read-only-storage', 'storage'], { WG });
    this.features = kernel(ctx.device, 'plucker-flow', ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'], { WG });
  }

  async compute(ops: GpuOps, z: Tensor, lags: readonly number[]): Promise<Tensor> {
    if (z.ndim !== 2) throw new Error(`the flow features need a sequence [T, r], got ${formatShape(z.shape)}`);
    const [steps, r] = z.shape as [number, number];
    const unique = [...new Set(lags)];
    if (unique.length > MAX_LAGS) throw new Error(`the flow features on the GPU take up to ${MAX_LAGS} lags, got ${unique.length}`);
    if (r > MAX_R) throw new Error(`the flow features on the GPU take vectors of up to ${MAX_R} entries, got ${r}`);
    const width = (r * (r - 1)) / 2;
    const out = ops.alloc([steps, width], 'flow features');
    if (steps * width === 0) return ops.result(out);
    const zg = await ops.input(z, 'flow sequence');
    ops.requireBinding(zg, 'flow features (the sequence)');
    const inv = ops.alloc([steps, unique.length], 'flow norms');
    const pairs = new Uint32Array(width);
    for (let i = 0, q = 0; i < r; i++) for (let j = i + 1; j < r; j++) pairs[q++] = (i << 16) | j;
    const pairsG = ops.alloc([width], 'flow pairs');
    this.ctx.device.queue.writeBuffer(pairsG.buffer, 0, pairs);
    const base = { steps, r, width, lag_count: unique.length, _pad: 0, lags: unique };
    const { device } = this.ctx;
    ops.encodeWith((encoder, temps) => {
      const u = paramsBuffer(device, ops.pool, 'plucker-flow-norms', { ...base, t0: 0, count: steps, out_off: 0 });
      temps.push(u);
      return dispatchGrid(encoder, device, this.norms, 'plucker-flow-norms', [u, zg.buffer, inv.buffer], Math.ceil((steps * unique.length) / WG));
    });
    // Whole steps per window of the output, within one binding.
    const per = Math.max(1, Math.floor((this.ctx.limits.maxStorageBufferBindingSize / 4 - 64) / width));
    for (let t0 = 0; t0 < steps; t0 += per) {
      const count = Math.min(per, steps - t0);
      const w = windowAt(out.buffer, t0 * width, count * width);
      ops.encodeWith((encoder, temps) => {
        const u = paramsBuffer(device, ops.pool, 'plucker-flow', { ...base, t0, count, out_off: w.skip });
        temps.push(u);
        return dispatchGrid(encoder, device, this.features, 'plucker-flow', [u, zg.buffer, inv.buffer, pairsG.buffer, w.binding], Math.ceil((count * width) / WG));
      });
    }
    ops.release(inv, pairsG, zg);
    return ops.result(out);
  }
}
