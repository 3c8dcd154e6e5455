// Binds shaders/dct-fft.wgsl: the orthonormal DCT-II/III of contiguous lines whose length is a power
// of two up to 2048, by one complex FFT per line (Makhoul 1980), in place on a resident tensor:
// O(n log n) per line where the product with the cosine matrix costs O(n²). The twiddle and rotation
// tables are computed in float64 on the host and cached per length. Longer power-of-two lines (up
// to 2048²) and lines of other lengths (Bluestein) go to the four-step kernel
// (engine/webgpu/dct-four-step.ts).
import { Tensor } from '../../tensor';
import { DctFourStepKernel, rootsOfUnity } from './dct-four-step';
import type { GpuContext } from '../runtime/device';
import type { GpuOps, GpuTensor } from '../ops';
import { dispatchGrid, kernel, lineWindows, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

export const DCT_FFT_MAX = 2048;

export class DctFftKernel {
  private readonly kernel: Kernel;
  private readonly tables = new Map<number, { twiddle: GpuTensor; rotate: GpuTensor }>();
  private readonly fourStep: DctFourStepKernel;

  constructor(
    private readonly ctx: GpuContext,
    private readonly ops: GpuOps,
  ) {
    this.kernel = kernel(ctx.device, 'dct-fft', ['uniform', 'storage', 'read-only-storage', 'read-only-storage'], { WG: 256, LINE: DCT_FFT_MAX });
    this.fourStep = new DctFourStepKernel(ctx, ops);
  }

  /** Whether lines of length n take one FFT in one workgroup (this kernel's own). */
  static inWorkgroup(n: number): boolean {
    return n >= 2 && n <= DCT_FFT_MAX && (n & (n - 1)) === 0;
  }

  /** Whether lines of length n go by FFT: in one workgroup, or in four steps (Bluestein's for
   * lengths that are not powers of two). */
  handles(n: number): boolean {
    return DctFftKernel.inWorkgroup(n) || this.fourStep.handles(n);
  }

  /** Records the transform of every line along the last axis of x, in place. */
  transformLastAxis(x: GpuTensor, inverse: boolean): void {
    const n = x.shape[x.shape.length - 1]!;
    if (!DctFftKernel.inWorkgroup(n)) return this.fourStep.transformLastAxis(x, inverse);
    const lines = x.size / n;
    if (lines === 0) return;
    const { twiddle, rotate } = this.tablesFor(n);
    // Lines beyond one storage binding are transformed a window of whole lines at a time.
    for (const w of lineWindows(lines, n, this.ctx.limits.maxStorageBufferBindingSize)) {
      const uniform = paramsBuffer(this.ctx.device, this.ops.pool, 'dct-fft', { n, log2n: Math.log2(n), inverse: inverse ? 1 : 0, lines: w.count });
      this.ops.encodeWith((encoder, temps) => {
        temps.push(uniform);
        return dispatchGrid(encoder, this.ctx.device, this.kernel, 'dct-fft', [uniform, w.binding(x.buffer), twiddle.buffer, rotate.buffer], w.count);
      });
    }
  }

  private tablesFor(n: number) {
    let t = this.tables.get(n);
    if (!t) {
      const tw = rootsOfUnity(n / 2, n);
      const rot = rootsOfUnity(n, 4 * n);
      t = { twiddle: this.ops.upload(new Tensor([tw.length], tw), 'dct twiddles'), rotate: this.ops.upload(new Tensor([rot.length], rot), 'dct rotations') };
      this.tables.set(n, t);
    }
    return t;
  }
}
