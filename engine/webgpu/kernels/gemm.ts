// Binds shaders/gemm.wgsl (pipeline from ../runtime/pipeline, one per device). `encode` records one
// strided-batched product on buffers already on the device (the WebGPU backend's resident
// tensors); bench/gemm-host.ts runs products of host operands on it (tests, benches).
import type { GpuContext } from '../runtime/device';
import { BufferPool } from '../runtime/pool';
import { bindBuffers, kernel, type Kernel } from '../runtime/pipeline';
import type { GpuTimer } from '../runtime/timer';
import { paramsBuffer } from '../runtime/params';

/** Each workgroup computes a TILE × TILE block of C with (TILE / 4)² threads (shaders/gemm.wgsl):
 * 64, 256 threads, unless a test asks for another. */
const TILE = 64;
const MAX_GRID = 65535;

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
}

/** One product C[b] = α·op(A[b])·op(B[b]) + β·C[b] over `batch` matrices, on device buffers. */
export interface GemmJob {
  a: GPUBuffer;
  b: GPUBuffer;
  c: GPUBuffer;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  /** β ≠ 0 reads C before writing it. */
  beta?: number;
  batch?: number;
  /** Element strides between the matrices of a batch (0: the same matrix for every batch). */
  strideA?: number;
  strideB?: number;
  strideC?: number;
  /** Row strides of A and B as stored (default: packed, K or M for A, N or K for B). */
  lda?: number;
  ldb?: number;
}

export class GemmKernel {
  private readonly kernel: Kernel;
  /** Set while encodeTimed records: each pass then writes timestamps. */
  private timer: GpuTimer | null = null;

  constructor(
    readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
    readonly tile = TILE,
  ) {
    if (tile % 4 !== 0 || tile < 4 || (tile / 4) ** 2 > ctx.limits.maxComputeInvocationsPerWorkgroup) throw new Error(`GEMM tile ${tile}: a multiple of 4 with (tile / 4)² ≤ ${ctx.limits.maxComputeInvocationsPerWorkgroup} threads`);
    this.kernel = kernel(ctx.device, 'gemm', ['uniform', 'read-only-storage', 'read-only-storage', 'storage'], { TILE: tile });
  }

  /**
   * Records the product into `encoder`. Operands larger than one storage binding are bound a window
   * at a time (the binding starts at the 256-byte boundary below the window, the rest passed as an
   * element offset): rows of A and C, or the K rows of a transposed A and of B with C accumulated,
   * or a range of batches — so a tensor that fits in one device buffer is
   * multiplied even when it exceeds the binding limit. Within a window, one dispatch per 65535
   * batches. The uniform buffers it writes are pushed onto `temps`; the caller releases them to the
   * pool after submitting. Returns the number of dispatches.
   */
  encode(encoder: GPUCommandEncoder, job: GemmJob, temps: GPUBuffer[]): number {
    const batch = job.batch ?? 1;
    if (job.m === 0 || job.n === 0 || batch === 0) return 0;
    const limit = this.ctx.limits.maxStorageBufferBindingSize;
    const { m, n, k } = job;
    const [sa, sb, sc] = [job.strideA ?? 0, job.strideB ?? 0, job.strideC ?? 0];
    // Elements each operand spans over the whole batch.
    const span = (stride: number, one: number) => (batch > 1 && stride > 0 ? (batch - 1) * stride + one : one);
    const [ea, eb, ec] = [span(sa, m * k), span(sb, k * n), span(sc, m * n)];
    const whole = (buffer: GPUBuffer, elems: number): Window => ({ buffer, offset: 0, size: Math.max(16, 4 * elems), skip: 0 });
    const fits = (elems: number) => 4 * elems <= limit;
    if (fits(ea) && fits(eb) && fits(ec)) {
      const chunks = batch === 1 && !job.lda && !job.ldb ? splitKChunks(m, n, k, this.tile) : 1;
      if (chunks > 1 && fits(chunks * m * n)) return this.splitK(encoder, job, chunks, whole(job.a, ea), whole(job.b, eb), whole(job.c, ec), temps);
      return this.dispatch(encoder, job, whole(job.a, ea), whole(job.b, eb), whole(job.c, ec), temps);
    }
    const tooLarge = (what: string) =>
      new Error(`matmul: ${what} (${m}×${k} · ${k}×${n}${batch > 1 ? `, ${batch} batches` : ''}) cannot be split into windows of this device's storage binding limit of ${limit} bytes`);
    const window = (buffer: GPUBuffer, firstElem: number, elems: number): Window => {
      const offset = Math.floor((4 * firstElem) / 256) * 256;
      const skip = firstElem - offset / 4;
      return { buffer, offset, size: 4 * (skip + elems), skip };
    };
    let dispatches = 0;
    if (batch > 1) {
      // A range of batches per window; shared operands (stride 0) are bound whole.
      // 63 elements of slack: a window may start up to 252 bytes before its first element.
      const step = Math.min(...[sa, sb, sc].filter((x) => x > 0).map((x) => Math.floor((limit / 4 - 63) / x)));
      if (step <= 0 || [[sa, m * k], [sb, k * n], [sc, m * n]].some(([st, one]) => st === 0 && !fits(one!))) throw tooLarge('a batch operand');
      for (let b0 = 0; b0 < batch; b0 += step) {
        const nb = Math.min(step, batch - b0);
        const bind = (buffer: GPUBuffer, stride: number, one: number) => (stride === 0 ? whole(buffer, one) : window(buffer, b0 * stride, (nb - 1) * stride + one));
        dispatches += this.dispatch(encoder, { ...job, batch: nb }, bind(job.a, sa, m * k), bind(job.b, sb, k * n), bind(job.c, sc, m * n), temps);
      }
      return dispatches;
    }
    if (!job.transA && fits(eb)) {
      // Rows of A (M × K) and of C (M × N) a window at a time.
      const step = Math.floor((limit / 4 - 63) / Math.max(k, n));
      if (step <= 0) throw tooLarge('a row block');
      for (let r0 = 0; r0 < m; r0 += step) {
        const rows = Math.min(step, m - r0);
        dispatches += this.dispatch(encoder, { ...job, m: rows }, window(job.a, r0 * k, rows * k), whole(job.b, eb), window(job.c, r0 * n, rows * n), temps);
      }
      return dispatches;
    }
    if (job.transA && !job.transB && fits(ec)) {
      // A stored K × M and B stored K × N: K rows of both a window at a time, C accumulated.
      const step = Math.floor((limit / 4 - 63) / Math.max(m, n));
      if (step <= 0) throw tooLarge('a K block');
      for (let k0 = 0; k0 < k; k0 += step) {
        const ks = Math.min(step, k - k0);
        const beta = k0 === 0 ? (job.beta ?? 0) : 1;
        dispatches += this.dispatch(encoder, { ...job, k: ks, beta }, window(job.a, k0 * m, ks * m), window(job.b, k0 * n, ks * n), whole(job.c, ec), temps);
      }
      return dispatches;
    }
    throw tooLarge(job.transA ? 'the transposed product' : 'B');
  }

  /** Whether encode can bind this product (whole, or in one of its windowings); GpuOps.matmul
   * transposes an operand first where it cannot. */
  windowable(job: GemmJob): boolean {
    const batch = job.batch ?? 1;
    if (job.m === 0 || job.n === 0 || batch === 0) return true;
    const room = this.ctx.limits.maxStorageBufferBindingSize / 4 - 63;
    const { m, n, k } = job;
    const [sa, sb, sc] = [job.strideA ?? 0, job.strideB ?? 0, job.strideC ?? 0];
    const span = (stride: number, one: number) => (batch > 1 && stride > 0 ? (batch - 1) * stride + one : one);
    const [ea, eb, ec] = [span(sa, m * k), span(sb, k * n), span(sc, m * n)];
    const fits = (elems: number) => 4 * elems <= this.ctx.limits.maxStorageBufferBindingSize;
    if (fits(ea) && fits(eb) && fits(ec)) return true;
    if (batch > 1) {
      const step = Math.min(...[sa, sb, sc].filter((x) => x > 0).map((x) => Math.floor(room / x)));
      return step > 0 && ![[sa, m * k], [sb, k * n], [sc, m * n]].some(([st, one]) => st === 0 && !fits(one!));
    }
    if (!job.transA && fits(eb)) return Math.floor(room / Math.max(k, n)) > 0;
    if (job.transA && !job.transB && fits(ec)) return Math.floor(room / Math.max(m, n)) > 0;
    return false;
  }

  /**
   * Split-K for products with few output tiles and a long K (the Gram matrices of wide unfoldings):
   * `chunks` products over K-slices of kc run as one batch into partials (chunks × M × N, the slices
   * addressed through the leading dimensions), a second product ones(1 × chunks)·partials adds them
   * with α and β, and the last K mod kc terms follow with β = 1. Float32 sums over shorter runs.
   */
  private splitK(encoder: GPUCommandEncoder, job: GemmJob, chunks: number, a: Window, b: Window, c: Window, temps: GPUBuffer[]): number {
    const { m, n, k } = job;
    const kc = Math.floor(k / chunks);
    const main = chunks * kc;
    const lda = job.transA ? m : k;
    const ldb = job.transB ? k : n;
    const partials = this.pool.acquire('gemm split-K partials', 4 * chunks * m * n, GPUBufferUsage.STORAGE);
    const ones = this.pool.acquire('gemm split-K ones', 4 * chunks, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.ctx.device.queue.writeBuffer(ones, 0, new Float32Array(chunks).fill(1));
    temps.push(partials, ones);
    const sliceA = job.transA ? kc * m : kc;
    const sliceB = job.transB ? kc : kc * n;
    const p: Window = { buffer: partials, offset: 0, size: 4 * chunks * m * n, skip: 0 };
    let dispatches = this.dispatch(encoder, { ...job, k: kc, batch: chunks, strideA: sliceA, strideB: sliceB, strideC: m * n, alpha: 1, beta: 0, lda, ldb }, a, b, p, temps);
    const onesW: Window = { buffer: ones, offset: 0, size: 4 * chunks, skip: 0 };
    dispatches += this.dispatch(encoder, { a: ones, b: partials, c: job.c, m: 1, n: m * n, k: chunks, alpha: job.alpha ?? 1, beta: job.beta ?? 0 }, onesW, p, c, temps);
    if (main < k) {
      const rest = { ...a, skip: a.skip + (job.transA ? main * m : main) };
      const restB = { ...b, skip: b.skip + (job.transB ? main : main * n) };
      dispatches += this.dispatch(encoder, { ...job, k: k - main, beta: 1, lda, ldb }, rest, restB, c, temps);
    }
    return dispatches;
  }

  /** One product on bound windows, one dispatch per 65535 batches. */
  private dispatch(encoder: GPUCommandEncoder, job: GemmJob, a: Window, b: Window, c: Window, temps: GPUBuffer[]): number {
    const { device } = this.ctx;
    const batch = job.batch ?? 1;
    let dispatches = 0;
    for (let b0 = 0; b0 < batch; b0 += MAX_GRID) {
      const uniform = paramsBuffer(device, this.pool, 'gemm', {
        m: job.m,
        n: job.n,
        k: job.k,
        trans_a: job.transA ? 1 : 0,
        trans_b: job.transB ? 1 : 0,
        stride_a: job.strideA ?? 0,
        stride_b: job.strideB ?? 0,
        stride_c: job.strideC ?? 0,
        alpha: job.alpha ?? 1,
        beta: job.beta ?? 0,
        batch0: b0,
        off_a: a.skip,
        off_b: b.skip,
        off_c: c.skip,
        lda: job.lda ?? (job.transA ? job.m : job.k),
        ldb: job.ldb ?? (job.transB ? job.k : job.n),
      });
      temps.push(uniform);
      const bind = bindBuffers(device, this.kernel, 'gemm bind group', [uniform, ...[a, b, c].map(({ buffer, offset, size }) => ({ buffer, offset, size }))]);
      const pass = encoder.beginComputePass(this.timer?.pass('gemm pass') ?? { label: 'gemm pass' });
      pass.setPipeline(this.kernel.pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(job.n / this.tile), Math.ceil(job.m / this.tile), Math.min(MAX_GRID, batch - b0));
      pass.end();
      dispatches++;
    }
    return dispatches;
  }

  /** `encode` with each pass writing timestamps into `timer` (benchmarks: kernel time only). */
  encodeTimed(encoder: GPUCommandEncoder, job: GemmJob, temps: GPUBuffer[], timer: GpuTimer | null): number {
    this.timer = timer;
    try {
      return this.encode(encoder, job, temps);
    } finally {
      this.timer = null;
    }
  }
}

/** How many K-slices a product splits into: when its output has fewer than 32 tiles of 64 × 64 and
 * K is long, enough slices of ≥ 1024 to give the device ~128 workgroups (1: no split). */
export function splitKChunks(m: number, n: number, k: number, tile = TILE): number {
  const tiles = Math.ceil(m / tile) * Math.ceil(n / tile);
  if (tiles >= 32 || k < 8192) return 1;
  return Math.max(1, Math.min(Math.floor(k / 1024), Math.ceil(128 / tiles)));
}

/** A bound part of a buffer (bytes) and the element offset of the operand inside it. */
interface Window {
  buffer: GPUBuffer;
  offset: number;
  size: number;
  skip: number;
}
