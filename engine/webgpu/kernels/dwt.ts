// Binds shaders/dwt.wgsl: one level of the periodized DWT along one axis inside a block, in pywt's
// packed layout (the levels and axes are ordered once, in engine/transforms/ops.ts): one dispatch
// from one buffer into another.
import { formatShape } from '../../tensor';
import type { GpuContext } from '../runtime/device';
import type { GpuOps, GpuTensor } from '../ops';
import type { BufferPool } from '../runtime/pool';
import { dispatchGrid, kernel, windowAt, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

const MAX_AXES = 8;
const MAX_TAPS = 8;
/** Threads per workgroup, one per entry. */
const WG = 256;

export class DwtKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pool: BufferPool,
  ) {
    this.kernel = kernel(ctx.device, 'dwt', ['uniform', 'read-only-storage', 'storage'], { WG });
  }

  /** Records one level along `axis` inside the block [0, extent), src → dst. A tensor larger than
   * one storage binding goes a window of slabs along axis 0 at a time (axis must not be 0 then:
   * dwtGpu transposes for that). Returns the number of dispatches. */
  encode(encoder: GPUCommandEncoder, src: GPUBuffer, dst: GPUBuffer, shape: readonly number[], extent: readonly number[], axis: number, taps: { lo: Float64Array; hi: Float64Array }, inverse: boolean, temps: GPUBuffer[]): number {
    if (taps.lo.length > MAX_TAPS) throw new Error(`the WebGPU wavelet transform takes filters of up to ${MAX_TAPS} taps, got ${taps.lo.length}; use --backend cpu for this node`);
    const total = shape.reduce((a, b) => a * b, 1);
    if (total === 0) return 0;
    const limit = this.ctx.limits.maxStorageBufferBindingSize;
    const slab = total / shape[0]!;
    const step = 4 * total <= limit ? shape[0]! : Math.floor((limit / 4 - 64) / slab);
    if (step <= 0 || (axis === 0 && step < shape[0]!)) {
      throw new Error(`the wavelet transform on the GPU cannot bind ${axis === 0 ? 'all' : 'one slab'} of ${formatShape(shape)} within this device's storage binding limit of ${limit} bytes (adapter: ${this.ctx.adapter}); use --backend cpu for this node`);
    }
    let dispatches = 0;
    for (let first = 0; first < shape[0]!; first += step) {
      const count = Math.min(step, shape[0]! - first);
      const a = windowAt(src, first * slab, count * slab);
      const b = windowAt(dst, first * slab, count * slab);
      const axes = Array.from({ length: MAX_AXES }, (_, k) => k);
      const uniform = paramsBuffer(this.ctx.device, this.pool, 'dwt', {
        ndim: shape.length,
        total: count * slab,
        axis,
        n: extent[axis]!,
        taps: taps.lo.length,
        inverse: inverse ? 1 : 0,
        src_off: a.skip,
        dst_off: b.skip,
        shape: axes.map((k) => (k === 0 ? count : (shape[k] ?? 1))),
        extent: axes.map((k) => (k === 0 ? Math.max(0, Math.min(count, extent[0]! - first)) : (extent[k] ?? 1))),
        lo: taps.lo,
        hi: taps.hi,
      });
      temps.push(uniform);
      dispatches += dispatchGrid(encoder, this.ctx.device, this.kernel, 'dwt', [uniform, a.binding, b.binding], Math.ceil((count * slab) / WG));
    }
    return dispatches;
  }
}

/** One level along `axis` inside the block `extent`, src → dst (both of the tensor's shape). Beyond
 * one binding the kernel goes slabs of axis 0 at a time; a level along axis 0 itself then runs
 * between two transposes that swap axes 0 and 1 (also windowed). */
export function encodeDwtLevel(ops: GpuOps, kernel: DwtKernel, src: GpuTensor, dst: GpuTensor, shape: readonly number[], extent: readonly number[], axis: number, taps: { lo: Float64Array; hi: Float64Array }, inverse: boolean): void {
  if (shape.length > MAX_AXES) throw new Error(`the WebGPU DWT handles up to ${MAX_AXES} axes, got ${formatShape(shape)}`);
  const windowed = !ops.fitsBinding(src);
  if (windowed && shape.length === 1) ops.requireBinding(src, 'wavelet transform of a 1-D signal');
  if (windowed && axis === 0) {
    const swap = shape.map((_, i) => (i === 0 ? 1 : i === 1 ? 0 : i));
    const t = ops.permute(src, swap);
    const t2 = ops.alloc(t.shape, 'dwt transposed');
    const ext = swap.map((i) => extent[i]!);
    ops.encodeWith((enc, temps) => kernel.encode(enc, t.buffer, t2.buffer, t.shape, ext, 1, taps, inverse, temps));
    ops.permute(t2, swap, dst);
    ops.release(t, t2);
  } else {
    ops.encodeWith((enc, temps) => kernel.encode(enc, src.buffer, dst.buffer, shape, extent, axis, taps, inverse, temps));
  }
}
