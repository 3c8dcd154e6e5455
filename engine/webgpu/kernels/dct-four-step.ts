// Binds shaders/dct-four-step.wgsl: the orthonormal DCT-II/III of contiguous lines that one
// workgroup's FFT does not serve, in place on a resident tensor — power-of-two lengths above 2048 (up
// to 2048²) by Makhoul's single complex FFT done in Bailey's four steps, every other length by
// Bluestein's chirp z-transform (two such FFTs of the power of two N ≥ 2n − 1, up to 2048²). The
// transposes of the four steps are folded into strided loads and stores. Lines beyond one storage
// binding go a window of whole lines at a time, through complex scratch buffers the size of a window.
// Tables (float64 on the host, cached per length): w[t] = exp(−2πit/N), the rotations exp(−iπk/2n),
// and for Bluestein the chirp c_j = exp(iπj²/n) and its length-N FFT.
import { Tensor } from '../../tensor';
import type { GpuContext } from '../runtime/device';
import type { GpuOps, GpuTensor } from '../ops';
import { dispatchGrid, kernel, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

/** The largest FFT of one workgroup (shaders/dct-four-step.wgsl's `line`). */
const STEP_MAX = 2048;
const FFT_MAX = STEP_MAX * STEP_MAX;

interface Tables {
  w: GpuTensor;
  rotate: GpuTensor;
  /** Bluestein only. */
  chirp: GpuTensor | null;
  chirpFft: GpuTensor | null;
}

const isPow2 = (n: number) => (n & (n - 1)) === 0;

export class DctFourStepKernel {
  private readonly kernel: Kernel;
  private readonly tables = new Map<number, Tables>();
  private dummies: [GpuTensor, GpuTensor] | null = null;

  constructor(
    private readonly ctx: GpuContext,
    private readonly ops: GpuOps,
  ) {
    const rw = 'storage' as const;
    const ro = 'read-only-storage' as const;
    this.kernel = kernel(ctx.device, 'dct-four-step', ['uniform', rw, rw, ro, ro, rw, ro, ro], { WG: 256, LINE: STEP_MAX });
  }

  /** The complex FFT length for DCT lines of n: n itself (a power of two above 2048), or
   * Bluestein's power of two ≥ 2n − 1 (n not a power of two); null where neither applies. */
  static fftLength(n: number): number | null {
    if (n < 3) return null;
    if (isPow2(n)) return n > STEP_MAX && n <= FFT_MAX ? n : null;
    const big = 2 ** Math.ceil(Math.log2(2 * n - 1));
    return big <= FFT_MAX ? big : null;
  }

  /** Whether lines of length n take this kernel: fftLength(n) exists and the complex scratch of the
   * fewest lines a window may hold (8·N bytes each; windows start on 256-byte boundaries) fits a
   * storage binding. */
  handles(n: number): boolean {
    const big = DctFourStepKernel.fftLength(n);
    return big !== null && 8 * big * windowAlign(n) <= this.ctx.limits.maxStorageBufferBindingSize;
  }

  /** Records the transform of every line along the last axis of x, in place. */
  transformLastAxis(x: GpuTensor, inverse: boolean): void {
    const n = x.shape[x.shape.length - 1]!;
    if (!this.handles(n)) throw new Error(`the four-step FFT DCT takes lines of 3 … ${FFT_MAX} (Bluestein's FFT of ≤ ${FFT_MAX} for lengths that are not powers of two) whose complex FFT fits one storage binding, got ${n}`);
    const lines = x.size / n;
    if (lines === 0) return;
    const big = DctFourStepKernel.fftLength(n)!;
    const bluestein = big !== n;
    const n1 = big <= STEP_MAX ? big : 2 ** Math.ceil(Math.log2(big) / 2);
    const n2 = big / n1;
    const t = this.tablesFor(n, big);
    // Windows of whole lines: the complex scratch of a window fits one binding (so does its real
    // data, smaller), and the data window starts on a 256-byte boundary.
    const align = windowAlign(n);
    const fit = Math.floor(this.ctx.limits.maxStorageBufferBindingSize / (8 * big));
    const most = fit >= lines ? lines : Math.floor(fit / align) * align;
    // Bluestein with N ≤ 2048 runs in workgroup memory (step 2) and needs no scratch.
    const inWorkgroup = bluestein && big <= STEP_MAX;
    const [temp, temp2] = inWorkgroup ? this.unused() : [this.ops.alloc([most, big, 2], 'dct four-step scratch'), bluestein ? this.ops.alloc([most, big, 2], 'dct Bluestein scratch') : this.unused()[1]];
    // Per window: step 2 alone; or per FFT the two steps — Bluestein's FFT of a (pre 1) into temp2
    // (post 1), then of temp2 (pre 2) into the DCT (post 2); Makhoul's single FFT (pre 0, post 0).
    const ffts = bluestein ? [[1, 1], [2, 2]] : [[0, 0]];
    const dispatches = inWorkgroup
      ? [{ step: 2, m: big, q: 1, per: 1, pre: 0, post: 0 }]
      : ffts.flatMap(([pre, post]) => ([[0, n1, n2], [1, n2, n1]] as const).map(([step, m, q]) => ({ step, m, q, per: Math.min(STEP_MAX / m, q), pre: pre!, post: post! })));
    for (let first = 0; first < lines; first += most) {
      const count = Math.min(most, lines - first);
      const dataWindow = { buffer: x.buffer, offset: 4 * first * n, size: 4 * count * n };
      for (const { step, m, q, per, pre, post } of dispatches) {
        const groups = (count * q) / per;
        const uniform = paramsBuffer(this.ctx.device, this.ops.pool, 'dct-four-step', { n, big, m, log2m: Math.log2(m), q, groups, step, inverse: inverse ? 1 : 0, n2, per, pre, post });
        const buffers = [uniform, dataWindow, temp.buffer, t.w.buffer, t.rotate.buffer, temp2.buffer, (t.chirp ?? t.rotate).buffer, (t.chirpFft ?? t.rotate).buffer];
        this.ops.encodeWith((encoder, temps) => {
          temps.push(uniform);
          return dispatchGrid(encoder, this.ctx.device, this.kernel, `dct-four-step ${step}`, buffers, groups);
        });
      }
    }
    if (!inWorkgroup) this.ops.release(temp, bluestein ? temp2 : null);
  }

  /** Two small buffers bound as the scratch a dispatch does not use (writable bindings must not
   * alias one another). */
  private unused(): [GpuTensor, GpuTensor] {
    return (this.dummies ??= [this.ops.alloc([4], 'dct four-step unused scratch'), this.ops.alloc([4], 'dct four-step unused scratch 2')]);
  }

  private tablesFor(n: number, big: number): Tables {
    let t = this.tables.get(n);
    if (!t) {
      const upload = (data: Float32Array, label: string) => this.ops.upload(new Tensor([data.length], data), label);
      t = { w: upload(rootsOfUnity(big, big), 'dct four-step twiddles'), rotate: upload(rootsOfUnity(n, 4 * n), 'dct four-step rotations'), chirp: null, chirpFft: null };
      if (big !== n) {
        const { chirp, chirpFft } = bluesteinTables(n, big);
        t.chirp = upload(Float32Array.from(chirp), 'dct Bluestein chirp');
        t.chirpFft = upload(Float32Array.from(chirpFft), 'dct Bluestein chirp FFT');
      }
      this.tables.set(n, t);
    }
    return t;
  }
}

/** exp(−2πik/turn) for k < count, interleaved (cos, −sin), computed in float64 and rounded: the FFT
 * twiddles (turn = the FFT length) and Makhoul's rotations exp(−iπk/2n) (turn = 4n). */
export function rootsOfUnity(count: number, turn: number): Float32Array {
  const out = new Float32Array(2 * Math.max(1, count));
  for (let k = 0; k < count; k++) {
    out[2 * k] = Math.cos((2 * Math.PI * k) / turn);
    out[2 * k + 1] = -Math.sin((2 * Math.PI * k) / turn);
  }
  return out;
}

/** Lines per window step so that windows of lines of n float32s start on 256-byte boundaries. */
function windowAlign(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return 64 / gcd(n, 64);
}

/** c_j = exp(iπj²/n) for j < n, and the FFT of length big of c placed at j and big − j (the
 * circular kernel of Bluestein's convolution), interleaved (re, im), in float64. j² is reduced
 * mod 2n in exact integer arithmetic first (j² < 2⁵³), so the phase keeps full precision. */
export function bluesteinTables(n: number, big: number): { chirp: Float64Array; chirpFft: Float64Array } {
  const chirp = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) {
    const phase = (Math.PI * ((j * j) % (2 * n))) / n;
    chirp[2 * j] = Math.cos(phase);
    chirp[2 * j + 1] = Math.sin(phase);
  }
  const re = new Float64Array(big);
  const im = new Float64Array(big);
  for (let j = 0; j < n; j++) {
    re[j] = chirp[2 * j]!;
    im[j] = chirp[2 * j + 1]!;
    if (j > 0) {
      re[big - j] = chirp[2 * j]!;
      im[big - j] = chirp[2 * j + 1]!;
    }
  }
  fft64(re, im);
  const chirpFft = new Float64Array(2 * big);
  for (let k = 0; k < big; k++) {
    chirpFft[2 * k] = re[k]!;
    chirpFft[2 * k + 1] = im[k]!;
  }
  return { chirp, chirpFft };
}

/** In-place radix-2 FFT (X_k = Σ x_j e^{−2πijk/N}) of a power-of-two length, float64. */
function fft64(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}
