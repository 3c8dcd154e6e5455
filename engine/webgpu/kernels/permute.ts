// Binds shaders/permute.wgsl: numpy.transpose on device buffers (unfoldings, moving an axis last for
// the transforms). `encode` records the dispatches of one transpose; `blockTranspose` those of a 2-D
// transpose of a matrix larger than one storage binding, a block at a time.
import { formatShape } from '../../tensor';
import type { GpuContext } from '../runtime/device';
import type { BufferPool } from '../runtime/pool';
import { dispatchGrid, kernel, windowAt, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

const MAX_AXES = 8;
const WG = 256;

const cOrderStrides = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length);
  for (let i = shape.length - 1, acc = 1; i >= 0; acc *= shape[i]!, i--) s[i] = acc;
  return s;
};

export class PermuteKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pool: BufferPool,
  ) {
    this.kernel = kernel(ctx.device, 'permute', ['uniform', 'read-only-storage', 'storage'], { WG });
  }

  /** Elements one binding holds, less the largest element offset a window may start with. */
  private get bindable(): number {
    return Math.floor(this.ctx.limits.maxStorageBufferBindingSize / 4) - 64;
  }

  /** One dispatch of the strided copy over `iter` (C order): src[srcOff + Σ iₖ·inStride] →
   * dst[dstOff + Σ iₖ·outStride], the two bindings given. */
  private copy(encoder: GPUCommandEncoder, src: GPUBufferBinding, dst: GPUBufferBinding, iter: readonly number[], inStride: readonly number[], outStride: readonly number[], srcOff: number, dstOff: number, temps: GPUBuffer[]): void {
    const total = iter.reduce((a, b) => a * b, 1);
    const axes = Array.from({ length: MAX_AXES }, (_, k) => k);
    const uniform = paramsBuffer(this.ctx.device, this.pool, 'permute', {
      ndim: iter.length,
      total,
      src_off: srcOff,
      dst_off: dstOff,
      out_shape: axes.map((k) => iter[k] ?? 1),
      in_stride: inStride,
      out_stride: outStride,
    });
    temps.push(uniform);
    dispatchGrid(encoder, this.ctx.device, this.kernel, 'permute', [uniform, src, dst], Math.ceil(total / WG));
  }

  /** How `encode` can do this transpose: 'direct' (whole, or windows of slabs of axis 0), 'slabs'
   * (axis 0 kept but one slab exceeds a binding: each slab transposed on its own), or 'passes'
   * (three passes through blockTranspose) — GpuOps.permute arranges the last two. */
  plan(shape: readonly number[], perm: readonly number[]): 'direct' | 'slabs' | 'passes' {
    const total = shape.reduce((a, b) => a * b, 1);
    if (total <= this.bindable || total === 0) return 'direct';
    if (perm[0] !== 0) return 'passes';
    return total / shape[0]! <= this.bindable ? 'direct' : 'slabs';
  }

  /** Records dst[dstBase …] = transpose(src[srcBase …], perm) for a src of `shape` (plan() must be
   * 'direct'); the uniforms go onto `temps`. Returns the number of dispatches. */
  encode(encoder: GPUCommandEncoder, src: GPUBuffer, dst: GPUBuffer, shape: readonly number[], perm: readonly number[], temps: GPUBuffer[], srcBase = 0, dstBase = 0): number {
    const d = shape.length;
    if (d > MAX_AXES) throw new Error(`the WebGPU permute handles up to ${MAX_AXES} axes, got ${formatShape(shape)}`);
    const total = shape.reduce((a, b) => a * b, 1);
    if (total === 0) return 0;
    const strides = cOrderStrides(shape);
    // With axis 0 kept first, input and output slabs along it are contiguous and equal in size, so
    // a tensor beyond one storage binding is transposed a window of slabs at a time.
    const slab = total / shape[0]!;
    const step = 4 * total > this.ctx.limits.maxStorageBufferBindingSize ? Math.floor(this.bindable / slab) : shape[0]!;
    if (step <= 0 || (perm[0] !== 0 && step < shape[0]!)) {
      throw new Error(`the WebGPU permute cannot bind one slab of ${formatShape(shape)} within this device's storage binding limit of ${this.ctx.limits.maxStorageBufferBindingSize} bytes`);
    }
    let windows = 0;
    for (let first = 0; first < shape[0]!; first += step) {
      const count = Math.min(step, shape[0]! - first);
      const iter = perm.map((p, k) => (k === 0 && p === 0 ? count : shape[p]!));
      const a = windowAt(src, srcBase + first * slab, count * slab);
      const b = windowAt(dst, dstBase + first * slab, count * slab);
      this.copy(encoder, a.binding, b.binding, iter, perm.map((p) => strides[p]!), cOrderStrides(iter), a.skip, b.skip, temps);
      windows++;
    }
    return windows;
  }

  /**
   * Records dst = srcᵀ for a rows × cols matrix of any size a buffer holds, one block per dispatch:
   * rb input rows by cb input columns, each block's input span ((rb − 1)·cols + cb elements) and
   * output span ((cb − 1)·rows + rb) within one binding.
   */
  blockTranspose(encoder: GPUCommandEncoder, src: GPUBuffer, dst: GPUBuffer, rows: number, cols: number, temps: GPUBuffer[], srcBase = 0, dstBase = 0): number {
    if (rows * cols === 0) return 0;
    const room = this.bindable;
    const cb = Math.min(cols, Math.floor(room / rows));
    if (cb <= 0) throw new Error(`the WebGPU transpose cannot bind one column of a ${rows}×${cols} matrix within this device's storage binding limit of ${this.ctx.limits.maxStorageBufferBindingSize} bytes`);
    const rb = cols <= room - cb ? Math.min(rows, Math.floor((room - cb) / cols) + 1) : 1;
    let dispatches = 0;
    for (let i0 = 0; i0 < rows; i0 += rb) {
      const r = Math.min(rb, rows - i0);
      for (let j0 = 0; j0 < cols; j0 += cb) {
        const c = Math.min(cb, cols - j0);
        const a = windowAt(src, srcBase + i0 * cols + j0, (r - 1) * cols + c);
        const b = windowAt(dst, dstBase + j0 * rows + i0, (c - 1) * rows + r);
        // Iterate in output order (c × r): input strides (1, cols), output strides (rows, 1).
        this.copy(encoder, a.binding, b.binding, [c, r], [1, cols], [rows, 1], a.skip, b.skip, temps);
        dispatches++;
      }
    }
    return dispatches;
  }
}
