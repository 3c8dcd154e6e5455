// Binds shaders/dct_four_step.wgsl: the orthonormal DCT-II/III of contiguous lines of a power-of-two
// length above one workgroup's FFT (2048 < n ≤ 2048²), in place on a resident tensor: Makhoul's
// single complex FFT of length n done as n2 FFTs of length n1, a twiddle, and n1 FFTs of length n2
// (Bailey's four steps; the transposes are folded into the strided loads and stores). Lines beyond
// one storage binding go a window of whole lines at a time, through one complex scratch buffer the
// size of a window. Tables (float64 on the host, cached per length): w[t] = exp(−2πit/n), t < n, and
// the rotations exp(−iπk/2n).
import { Tensor } from '../tensor';
import type { GpuContext } from './device';
import type { GpuOps, GpuTensor } from './ops';
import { dispatchGrid, kernel, lineWindows, type Kernel } from './pipeline';

/** The largest FFT of one workgroup (shaders/dct_four_step.wgsl's `line`). */
const STEP_MAX = 2048;

export class DctFourStepKernel {
  private readonly kernel: Kernel;
  private readonly tables = new Map<number, { w: GpuTensor; rotate: GpuTensor }>();

  constructor(
    private readonly ctx: GpuContext,
    private readonly ops: GpuOps,
  ) {
    this.kernel = kernel(ctx.device, 'dct_four_step', ['uniform', 'storage', 'storage', 'read-only-storage', 'read-only-storage']);
  }

  /** Whether lines of length n take this kernel: a power of two in (2048, 2048²] whose complex line
   * (8n bytes) fits one storage binding. */
  handles(n: number): boolean {
    return n > STEP_MAX && n <= STEP_MAX * STEP_MAX && (n & (n - 1)) === 0 && 8 * n <= this.ctx.limits.maxStorageBufferBindingSize;
  }

  /** Records the transform of every line along the last axis of x, in place. */
  transformLastAxis(x: GpuTensor, inverse: boolean): void {
    const n = x.shape[x.shape.length - 1]!;
    if (!this.handles(n)) throw new Error(`the four-step FFT DCT takes power-of-two lines of ${2 * STEP_MAX} … ${STEP_MAX * STEP_MAX} whose complex line fits one storage binding, got ${n}`);
    const lines = x.size / n;
    if (lines === 0) return;
    const log2n = Math.log2(n);
    const n1 = 2 ** Math.ceil(log2n / 2);
    const n2 = n / n1;
    const { w, rotate } = this.tablesFor(n);
    // Windows of whole lines whose complex scratch fits one binding; the real data of a window is
    // half that, so its binding fits too.
    const windows = lineWindows(lines, 2 * n, this.ctx.limits.maxStorageBufferBindingSize);
    const temp = this.ops.alloc([windows[0]!.count, n, 2], 'dct four-step scratch');
    for (const win of windows) {
      const dataWindow = { buffer: x.buffer, offset: 4 * win.first * n, size: 4 * win.count * n };
      for (const [step, m, q] of [[0, n1, n2], [1, n2, n1]] as const) {
        const uniform = this.ops.pool.acquire('dct_four_step params', 32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
        this.ctx.device.queue.writeBuffer(uniform, 0, Uint32Array.of(n, m, Math.log2(m), q, win.count * q, step, inverse ? 1 : 0, n2));
        this.ops.encodeWith((encoder, temps) => {
          temps.push(uniform);
          return dispatchGrid(encoder, this.ctx.device, this.kernel, `dct_four_step ${step}`, [uniform, dataWindow, temp.buffer, w.buffer, rotate.buffer], win.count * q);
        });
      }
    }
    this.ops.release(temp);
  }

  private tablesFor(n: number) {
    let t = this.tables.get(n);
    if (!t) {
      const w = new Float32Array(2 * n);
      const rot = new Float32Array(2 * n);
      for (let k = 0; k < n; k++) {
        w[2 * k] = Math.cos((2 * Math.PI * k) / n);
        w[2 * k + 1] = -Math.sin((2 * Math.PI * k) / n);
        rot[2 * k] = Math.cos((Math.PI * k) / (2 * n));
        rot[2 * k + 1] = -Math.sin((Math.PI * k) / (2 * n));
      }
      t = { w: this.ops.upload(new Tensor([w.length], w), 'dct four-step twiddles'), rotate: this.ops.upload(new Tensor([rot.length], rot), 'dct four-step rotations') };
      this.tables.set(n, t);
    }
    return t;
  }
}
