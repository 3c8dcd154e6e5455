// Device-resident tensors and the ops the GPU algorithms are written with. Every op records its
// dispatches into one open command encoder; `flush` submits it, and reads (`read`, `sumSquares`)
// flush first, so a chain of products between two readbacks is one submission. Buffers released
// while the encoder is open go back to the pool only after it is submitted: a later upload into a
// reused buffer (queue.writeBuffer) is then ordered after the commands that read it.
import { Tensor, formatShape, type DeferredValues } from '../tensor';
import type { GpuContext } from './runtime/device';
import { GemmKernel, type GemmJob } from './kernels/gemm';
import { PermuteKernel } from './kernels/permute';
import { BufferPool } from './runtime/pool';
import { ReduceKernel, sumPartials } from './kernels/reduce';
import { ResidentCache } from './runtime/resident';

/** Multiply-adds of a Gram matrix (rows² · cols) up to which the GPU algorithms read an unfolding
 * back and take its subspace on the host in float64 (~20 ms in the WebAssembly kernel); above it the
 * Gram matrix is formed on the device in float32. */
export const HOST_SUBSPACE_WORK = 2 ** 27;

/** A float32 tensor in C order held in a device buffer. */
export class GpuTensor {
  constructor(
    readonly shape: readonly number[],
    readonly buffer: GPUBuffer,
  ) {}

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

export interface OpStats {
  dispatches: number;
  submits: number;
  readbacks: number;
  uploadBytes: number;
  readbackBytes: number;
  /** Results left on the device (deferred tensors), and how many of them were read back later. */
  deferred: number;
  deferredRead: number;
}

/** The values of a result left on the device: pinned in the resident cache under `key` until read. */
class DeviceValues implements DeferredValues {
  private reading: Promise<Float32Array> | null = null;
  key!: Tensor;

  constructor(
    readonly ops: GpuOps,
    readonly copy: GpuTensor,
  ) {}

  get where(): string {
    return `the GPU (${this.ops.ctx.adapter})`;
  }

  alive(): boolean {
    return this.ops.lost === null;
  }

  read(): Promise<Float32Array> {
    return (this.reading ??= this.ops.read(this.copy).then((t) => {
      this.ops.stats.deferredRead++;
      this.ops.resident.unpin(this.key);
      return t.data;
    }));
  }

  async sumSquares(): Promise<number> {
    if (this.reading) {
      let s = 0;
      for (const v of await this.reading) s += v * v;
      return s;
    }
    return this.ops.sumSquares(this.copy);
  }

  /** The device copy, for a call on the same ops while it is still kept. */
  resident(ops: GpuOps): GpuTensor | null {
    return ops === this.ops && ops.resident.owns(this.copy.buffer) ? this.copy : null;
  }
}

export class GpuOps {
  readonly pool: BufferPool;
  readonly gemm: GemmKernel;
  private readonly permuteKernel: PermuteKernel;
  private readonly reduce: ReduceKernel;
  private encoder: GPUCommandEncoder | null = null;
  private pending: GPUBuffer[] = [];
  readonly stats: OpStats = { dispatches: 0, submits: 0, readbacks: 0, uploadBytes: 0, readbackBytes: 0, deferred: 0, deferredRead: 0 };
  /** Device copies of host tensors kept between calls (see input and keep). */
  readonly resident: ResidentCache<GpuTensor>;
  /** Whether `result` leaves results on the device (deferred tensors) rather than reading them
   * back; the backend turns it on, kernel tests read every result. */
  defer = false;
  /** Why the device was lost (set by the backend); deferred results can no longer be read. */
  lost: string | null = null;

  constructor(
    readonly ctx: GpuContext,
    residentBytes = Math.min(2 ** 29, ctx.limits.maxBufferSize / 4),
  ) {
    this.resident = new ResidentCache<GpuTensor>(residentBytes, (g) => this.pending.push(g.buffer));
    this.pool = new BufferPool(ctx.device);
    this.gemm = new GemmKernel(ctx, this.pool);
    this.permuteKernel = new PermuteKernel(ctx, this.pool);
    this.reduce = new ReduceKernel(ctx, this.pool);
  }

  /** A new tensor of `shape` (contents undefined). Refuses sizes above the device's largest buffer,
   * naming what was asked for and what the device allows. */
  alloc(shape: readonly number[], label: string): GpuTensor {
    const bytes = 4 * shape.reduce((a, b) => a * b, 1);
    const limit = this.ctx.limits.maxBufferSize;
    if (bytes > limit) {
      throw new Error(`${label} ${formatShape(shape)} needs ${mib(bytes)} in one buffer, above this device's buffer size limit of ${mib(limit)} (adapter: ${this.ctx.adapter}); use --backend cpu for tensors this large`);
    }
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    return new GpuTensor([...shape], this.pool.acquire(label, Math.max(16, bytes), usage));
  }

  /** Whether t fits one storage binding. Products, reductions, transposes, line transforms and the
   * DWT take larger tensors a window at a time; the other kernels need it to fit. */
  fitsBinding(t: GpuTensor): boolean {
    return 4 * t.size <= this.ctx.limits.maxStorageBufferBindingSize;
  }

  /** Throws, naming the operation and the sizes, when `what` must bind all of t and cannot. */
  requireBinding(t: GpuTensor, what: string): void {
    if (this.fitsBinding(t)) return;
    const limit = this.ctx.limits.maxStorageBufferBindingSize;
    throw new Error(`the ${what} on the GPU reads all of ${formatShape(t.shape)} (${mib(4 * t.size)}) at once, above this device's storage binding limit of ${mib(limit)} (adapter: ${this.ctx.adapter}); use --backend cpu for this node`);
  }

  upload(t: Tensor, label = 'tensor'): GpuTensor {
    const g = this.alloc(t.shape, label);
    if (t.size) this.ctx.device.queue.writeBuffer(g.buffer, 0, t.data as Float32Array<ArrayBuffer>);
    this.stats.uploadBytes += t.data.byteLength;
    return g;
  }

  /** The device copy of a tensor: the kept one if there is one (a deferred result's own, also
   * seen through a reshape), else a fresh upload that is kept for later calls. Read only: a method
   * that transforms its input in place copies it first. release() of it is a no-op while kept. */
  async input(t: Tensor, label = 'input'): Promise<GpuTensor> {
    const hit = this.resident.get(t);
    if (hit) return hit;
    const own = t.deferred instanceof DeviceValues ? t.deferred.resident(this) : null;
    if (own) return new GpuTensor(t.shape, own.buffer);
    await t.materialize();
    const g = this.upload(t, label);
    this.resident.put(t, g);
    return g;
  }

  /** A method's result g as a tensor: with `defer`, left on the device (pinned in the resident
   * cache until read) while the pinned results fit its cap; else read back now, the device copy
   * kept for the next call. g belongs to the cache (or is released) from now on. */
  async result(g: GpuTensor): Promise<Tensor> {
    if (this.defer && g.size > 0) {
      const values = new DeviceValues(this, g);
      const t = Tensor.deferred(g.shape, values);
      values.key = t;
      if (this.resident.put(t, g, true)) {
        this.stats.deferred++;
        this.flush();
        return t;
      }
    }
    const t = await this.read(g);
    this.keep(t, g);
    return t;
  }

  /** Keeps g on the device as the copy of host tensor t (a result read back), for later calls; g
   * belongs to the cache from now on (or is released, if too large to keep). */
  keep(t: Tensor, g: GpuTensor): void {
    if (!this.resident.put(t, g)) this.release(g);
  }

  /** Gives the tensors' buffers back to the pool (after the open encoder is submitted); kept
   * copies stay. */
  release(...ts: (GpuTensor | null | undefined)[]): void {
    for (const t of ts) if (t && !this.resident.owns(t.buffer)) this.pending.push(t.buffer);
  }

  flush(): void {
    if (this.encoder) {
      this.ctx.device.queue.submit([this.encoder.finish()]);
      this.stats.submits++;
      this.encoder = null;
    }
    // A buffer released twice must enter the free lists once.
    this.pool.release(...new Set(this.pending));
    this.pending = [];
  }

  private enc(): GPUCommandEncoder {
    return (this.encoder ??= this.ctx.device.createCommandEncoder({ label: 'corespace ops encoder' }));
  }

  private run(job: GemmJob): void {
    this.stats.dispatches += this.gemm.encode(this.enc(), job, this.pending);
  }

  /** op(A)·op(B) of two matrices. With `into` (and β), C = α·op(A)·op(B) + β·into, written into it.
   * Where the product kernel cannot window operands beyond one storage binding as stored, an
   * operand is transposed first (windowed): to Aᵀ·B with K-blocks when C fits a binding, to A·op(B)
   * with row blocks when B does. */
  matmul(a: GpuTensor, b: GpuTensor, opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number; into?: GpuTensor } = {}): GpuTensor {
    if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`matmul needs two matrices, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    const [m, k] = opts.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [k2, n] = opts.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (k !== k2) throw new Error(`matmul: inner sizes differ (${m}×${k} · ${k2}×${n})`);
    const c = opts.into ?? this.alloc([m, n], 'matmul C');
    if (c.size !== m * n) throw new Error(`matmul: the output holds ${c.size} entries, not ${m}×${n}`);
    const job: GemmJob = { a: a.buffer, b: b.buffer, c: c.buffer, m, n, k, transA: !!opts.transA, transB: !!opts.transB, alpha: opts.alpha ?? 1, beta: opts.beta ?? 0 };
    if (!this.gemm.windowable(job)) {
      const temps: GpuTensor[] = [];
      const flip = (t: GpuTensor) => {
        const f = this.permute(t, [1, 0]);
        temps.push(f);
        return f;
      };
      if (4 * m * n <= this.ctx.limits.maxStorageBufferBindingSize) {
        // Aᵀ stored K × M and B stored K × N: K rows of both a window at a time.
        const at = job.transA ? a : flip(a);
        const bk = !job.transB ? b : b === a && !job.transA ? at : flip(b);
        Object.assign(job, { a: at.buffer, b: bk.buffer, transA: true, transB: false });
      } else {
        Object.assign(job, { a: job.transA ? flip(a).buffer : a.buffer, transA: false });
      }
      this.run(job);
      this.release(...temps);
    } else {
      this.run(job);
    }
    return opts.into ? c : new GpuTensor([m, n], c.buffer);
  }

  /**
   * Y = X ×ₙ op(U) with U an Iₙ × r factor on the device: op(U) = Uᵀ (projection, `transpose`) maps
   * mode n from Iₙ to r, else U maps it from r to Iₙ. X is seen as (P, S, Q) around mode n: one
   * product when P = 1 or Q = 1, else P batched products Y_p = op(U)·X_p. With `into`, the result
   * is α·Y + β·into (the residual X − X̂ in one pass).
   */
  ttm(x: GpuTensor, u: GpuTensor, mode: number, transpose: boolean, out?: { into: GpuTensor; alpha: number; beta: number }): GpuTensor {
    const s = x.shape[mode]!;
    const [uRows, uCols] = u.shape as [number, number];
    const [from, to] = transpose ? [uRows, uCols] : [uCols, uRows];
    if (from !== s) throw new Error(`mode product: factor ${uRows}×${uCols} does not fit mode ${mode} of ${formatShape(x.shape)}`);
    const p = x.shape.slice(0, mode).reduce((a, b) => a * b, 1);
    const q = x.shape.slice(mode + 1).reduce((a, b) => a * b, 1);
    const shape = x.shape.map((n, i) => (i === mode ? to : n));
    const y = out?.into ?? this.alloc(shape, 'mode product');
    const scale = { alpha: out?.alpha ?? 1, beta: out?.beta ?? 0 };
    if (q === 1) {
      // (P × S)·op: U is S × T (transpose) or T × S.
      this.run({ a: x.buffer, b: u.buffer, c: y.buffer, m: p, n: to, k: s, transB: !transpose, ...scale });
    } else {
      // Y_p (T × Q) = op(U)ᵀ-side · X_p (S × Q): A = U stored S × T (transposed read) or T × S.
      this.run({ a: u.buffer, b: x.buffer, c: y.buffer, m: to, n: q, k: s, transA: transpose, batch: p, strideA: 0, strideB: s * q, strideC: to * q, ...scale });
    }
    return new GpuTensor(shape, y.buffer);
  }

  /** numpy.transpose(x, perm), into a new tensor or into `into` (same number of entries). Tensors
   * beyond one storage binding go in windows: slabs of axis 0 when it stays first (each slab
   * transposed on its own when one slab is too large), else three passes — bring the new first
   * axis next to axis 0, transpose the (I₀, rest) matrix a block at a time (axis 0 becomes last),
   * order the rest. */
  permute(x: GpuTensor, perm: readonly number[], into?: GpuTensor): GpuTensor {
    const shape = perm.map((i) => x.shape[i]!);
    if (into && into.size !== x.size) throw new Error(`permute: the output holds ${into.size} entries, not ${x.size}`);
    const y = into ? new GpuTensor(shape, into.buffer) : this.alloc(shape, 'permuted');
    this.permuteRegion(x.buffer, 0, y.buffer, 0, x.shape, perm);
    return y;
  }

  /** dst[dstBase …] = transpose(src[srcBase …], perm) for a src region of `shape`. */
  private permuteRegion(src: GPUBuffer, srcBase: number, dst: GPUBuffer, dstBase: number, shape: readonly number[], perm: readonly number[]): void {
    const k = this.permuteKernel;
    const total = shape.reduce((a, b) => a * b, 1);
    const plan = k.plan(shape, perm);
    if (plan === 'direct') {
      this.stats.dispatches += k.encode(this.enc(), src, dst, shape, perm, this.pending, srcBase, dstBase);
      return;
    }
    if (plan === 'slabs') {
      const slab = total / shape[0]!;
      const inner = perm.slice(1).map((p) => p - 1);
      for (let i = 0; i < shape[0]!; i++) this.permuteRegion(src, srcBase + i * slab, dst, dstBase + i * slab, shape.slice(1), inner);
      return;
    }
    const first = perm[0]!;
    const isIdentity = (p: readonly number[]) => p.every((v, i) => v === i);
    const others = shape.map((_, i) => i).filter((i) => i !== 0 && i !== first);
    const p1 = [0, first, ...others];
    let step = { buffer: src, base: srcBase };
    const temps: GpuTensor[] = [];
    const temp = (dims: readonly number[], label: string) => {
      const t = this.alloc(dims, label);
      temps.push(t);
      return { buffer: t.buffer, base: 0 };
    };
    if (!isIdentity(p1)) {
      const t = temp(p1.map((i) => shape[i]!), 'transpose pass 1');
      this.permuteRegion(src, srcBase, t.buffer, 0, shape, p1);
      step = t;
    }
    const labels = [first, ...others, 0];
    const p3 = perm.map((axis) => labels.indexOf(axis));
    const mid = isIdentity(p3) ? { buffer: dst, base: dstBase } : temp(labels.map((i) => shape[i]!), 'transpose pass 2');
    this.stats.dispatches += k.blockTranspose(this.enc(), step.buffer, mid.buffer, shape[0]!, total / shape[0]!, this.pending, step.base, mid.base);
    if (mid.buffer !== dst) this.permuteRegion(mid.buffer, 0, dst, dstBase, labels.map((i) => shape[i]!), p3);
    this.release(...temps);
  }

  /** Records another kernel's dispatches into the open encoder; `record` returns how many it made
   * and pushes its temporary buffers onto `temps` (released after submission). */
  encodeWith(record: (encoder: GPUCommandEncoder, temps: GPUBuffer[]) => number): void {
    this.stats.dispatches += record(this.enc(), this.pending);
  }

  /** The Gram matrix X₍ₙ₎·X₍ₙ₎ᵀ of the mode-n unfolding (Iₙ × Iₙ). */
  gram(x: GpuTensor, mode: number): GpuTensor {
    const s = x.shape[mode]!;
    const p = x.shape.slice(0, mode).reduce((a, b) => a * b, 1);
    const q = x.shape.slice(mode + 1).reduce((a, b) => a * b, 1);
    if (q === 1) {
      const flat = new GpuTensor([p, s], x.buffer);
      return this.matmul(flat, flat, { transA: true });
    }
    let rows = x;
    if (p > 1) rows = this.permute(x, [mode, ...x.shape.map((_, i) => i).filter((i) => i !== mode)]);
    const flat = new GpuTensor([s, p * q], rows.buffer);
    const g = this.matmul(flat, flat, { transB: true });
    if (rows !== x) this.release(rows);
    return g;
  }

  /** A copy of x in a new buffer. */
  copy(x: GpuTensor): GpuTensor {
    const y = this.alloc(x.shape, 'copy');
    if (x.size) this.enc().copyBufferToBuffer(x.buffer, 0, y.buffer, 0, 4 * x.size);
    return y;
  }

  async read(x: GpuTensor): Promise<Tensor> {
    const bytes = 4 * x.size;
    if (bytes === 0) return new Tensor(x.shape);
    const readback = this.pool.acquire('readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.enc().copyBufferToBuffer(x.buffer, 0, readback, 0, bytes);
    this.flush();
    await readback.mapAsync(GPUMapMode.READ);
    const data = new Float32Array(readback.getMappedRange().slice(0, bytes));
    readback.unmap();
    this.pool.release(readback);
    this.stats.readbacks++;
    this.stats.readbackBytes += bytes;
    return new Tensor(x.shape, data);
  }

  /** Σ x², float32 partials of 4096 terms added in float64 on the host. */
  async sumSquares(x: GpuTensor): Promise<number> {
    if (x.size === 0) return 0;
    const { partial, groups } = this.reduce.encode(this.enc(), x.buffer, x.buffer, x.size, this.pending);
    this.stats.dispatches++;
    return sumPartials((await this.read(new GpuTensor([groups], partial))).data);
  }
}

const mib = (bytes: number) => (bytes < 2 ** 20 ? `${bytes} bytes` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);
