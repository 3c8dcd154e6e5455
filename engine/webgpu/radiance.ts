// The radiance ops of engine/radiance/ops.ts on the GPU: a field of any architecture lives in one
// device buffer θ (its tensors one after another, in params order); evaluation, rendering and a
// training step run as dispatches of engine/webgpu/kernels/radiance.ts, and only the values the
// caller asks for come back (σ and RGB at points, colours of rays). The grids' gradients are
// accumulated in fixed point (shaders/common/fixed.wgsl): deterministic for a seed, like the CPU, and
// equal to the CPU's to float32 rounding. Hash and MLP fields run on radiance-neural.wgsl: their
// weight gradients are reductions over the points (no atomics), their hash tables scattered in fixed
// point like the grids.
import { Tensor, formatShape } from '../tensor';
import { ADAM, type FieldSlot, type GradSource, type RadianceOps } from '../radiance/ops';
import type { FieldEval, RadianceField } from '../radiance/field';
import type { RenderOptions, RenderResult } from '../radiance/render';
import type { GpuContext } from './runtime/device';
import type { GpuOps, GpuTensor } from './ops';
import { MAX_TENSORS, RadianceKernels, type FieldLayout, type NeuralLayout } from './kernels/radiance';
import { encodingWidth, hashLevels } from '../radiance/neural';

/** Points per fixed-point accumulation (common/fixed.wgsl's 2^16 bound). */
const ACCUMULATE_POINTS = 2 ** 16;
/** Points per forward chunk (a render's samples), below the binding limit too. */
const FORWARD_POINTS = 2 ** 20;

const ARCH = { dense: 0, vm: 1, cp: 2 } as const;

/** The neural kernel's widest layer and its hash levels (its private arrays). */
const NEURAL_MAX_WIDTH = 256;
const NEURAL_MAX_LEVELS = 16;

class GpuSlot implements FieldSlot {
  t = 0;
  constructor(
    readonly field: RadianceField,
    readonly layout: FieldLayout | NeuralLayout,
    /** Where each parameter tensor starts in θ, then θ's size. */
    readonly offsets: number[],
    readonly theta: GpuTensor,
    readonly train: { grad: GpuTensor; m: GpuTensor; v: GpuTensor; acc: GpuTensor; bound: GpuTensor } | null,
  ) {}
}

const notOurs = () => new Error('a radiance field loaded by another backend\'s ops');

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;

export class GpuRadianceOps implements RadianceOps {
  constructor(
    private readonly ctx: GpuContext,
    private readonly ops: GpuOps,
    private readonly k: RadianceKernels,
  ) {}

  get where(): string {
    return `the GPU (${this.ctx.adapter})`;
  }

  async load(f: RadianceField, train = false): Promise<FieldSlot> {
    const tensors = Object.values(f.params);
    const offsets = [0];
    for (const t of tensors) offsets.push(offsets[offsets.length - 1]! + t.size);
    const size = offsets[offsets.length - 1]!;
    const neural = f.arch === 'hash' || f.arch === 'mlp' ? neuralLayout(f, size) : null;
    if (!neural && tensors.length > MAX_TENSORS) throw new Error(`a ${f.arch} field of ${tensors.length} tensors is more than the GPU kernels take (${MAX_TENSORS})`);
    // The accumulators hold two words per parameter: the largest binding a step makes.
    const limit = Math.min(this.ctx.limits.maxStorageBufferBindingSize, this.ctx.limits.maxBufferSize);
    const need = (train ? 8 : 4) * size;
    if (need > limit) {
      throw new Error(`a ${f.arch} field of ${size.toLocaleString('en-US')} params needs ${mib(need)} in one GPU binding${train ? ' (its gradient accumulators)' : ''}, above this device's limit of ${mib(limit)} (${this.ctx.adapter}): lower the resolution or the ranks, or run with --backend cpu`);
    }
    const flat = new Float32Array(size);
    tensors.forEach((t, i) => flat.set(t.data, offsets[i]!));
    const theta = this.ops.upload(new Tensor([size], flat), `${f.arch} field θ`);
    let state: GpuSlot['train'] = null;
    if (train) {
      state = {
        grad: this.ops.alloc([size], 'radiance gradient'),
        m: this.ops.alloc([size], 'Adam m'),
        v: this.ops.alloc([size], 'Adam v'),
        acc: this.ops.alloc([2 * size], 'radiance fixed-point accumulators'),
        bound: this.ops.alloc([16], 'radiance bounds'),
      };
      this.clear(...Object.values(state));
    }
    const layout: FieldLayout | NeuralLayout = neural ?? { arch: ARCH[f.arch as keyof typeof ARCH], n: f.resolution, rs: f.densityRank, rc: f.colorRank, offsets };
    return new GpuSlot(f, layout, offsets, theta, state);
  }

  /** The field's values at `count` points (in `points`) into `out`, (σ, r, g, b) each. */
  private forward(s: GpuSlot, points: GPUBuffer, count: number, out: GPUBuffer): void {
    if (isNeural(s.layout)) this.k.neuralPass(this.ops, 'forward', s.layout, s.theta.buffer, points, count, { out });
    else this.k.fieldPass(this.ops, 'forward', s.layout, s.theta.buffer, points, count, { out });
  }

  async evaluate(s: FieldSlot, points: Float32Array): Promise<FieldEval> {
    if (!(s instanceof GpuSlot)) throw notOurs();
    const count = points.length / 3;
    const sigma = new Float32Array(count);
    const rgb = new Float32Array(count * 3);
    const chunk = this.forwardChunk();
    for (let p0 = 0; p0 < count; p0 += chunk) {
      const c = Math.min(chunk, count - p0);
      const pts = this.ops.upload(new Tensor([c, 3], points.subarray(3 * p0, 3 * (p0 + c))), 'radiance points');
      const out = this.ops.alloc([c, 4], 'radiance values');
      this.forward(s, pts.buffer, c, out.buffer);
      const v = (await this.ops.read(out)).data;
      this.ops.release(pts, out);
      for (let p = 0; p < c; p++) {
        sigma[p0 + p] = v[4 * p]!;
        for (let k = 0; k < 3; k++) rgb[3 * (p0 + p) + k] = v[4 * p + 1 + k]!;
      }
    }
    this.ops.flush();
    return { sigma, rgb };
  }

  async render(s: FieldSlot, origins: Float32Array, dirs: Float32Array, opts: RenderOptions): Promise<RenderResult> {
    if (!(s instanceof GpuSlot)) throw notOurs();
    const rays = origins.length / 3;
    const S = opts.samples;
    const colors = new Float32Array(rays * 3);
    const transmittance = new Float32Array(rays);
    const per = Math.max(1, Math.floor(this.forwardChunk() / S));
    for (let r0 = 0; r0 < rays; r0 += per) {
      const c = Math.min(per, rays - r0);
      const b = this.march(s, origins, dirs, r0, c, opts);
      const out = this.ops.alloc([c, 4], 'radiance colours');
      this.k.marchPass(this.ops, 'composite', c, S, this.marchOpts(opts), { ...this.bufs(b), colors: out.buffer });
      const v = (await this.ops.read(out)).data;
      this.ops.release(out, ...Object.values(b));
      for (let r = 0; r < c; r++) {
        for (let k = 0; k < 3; k++) colors[3 * (r0 + r) + k] = v[4 * r + k]!;
        transmittance[r0 + r] = v[4 * r + 3]!;
      }
    }
    this.ops.flush();
    return { colors, transmittance };
  }

  async train(s: FieldSlot, sources: readonly GradSource[], rate: number): Promise<void> {
    if (!(s instanceof GpuSlot)) throw notOurs();
    const st = this.accumulate(s, sources);
    s.t++;
    const size = s.offsets[s.offsets.length - 1]!;
    const basisStart = 'basis' in s.field.params ? size - s.field.params.basis!.size : size;
    this.k.adam(this.ops, size, basisStart, s.field.arch === 'dense', rate, s.t, { theta: s.theta.buffer, grad: st.grad.buffer, m: st.m.buffer, v: st.v.buffer }, ADAM);
    this.ops.flush();
  }

  /** The gradients of the sources alone (no step), read back and cleared: for the parity tests. */
  async gradients(s: FieldSlot, sources: readonly GradSource[]): Promise<Record<string, Tensor>> {
    if (!(s instanceof GpuSlot)) throw notOurs();
    const st = this.accumulate(s, sources);
    const flat = (await this.ops.read(st.grad)).data;
    this.clear(st.grad);
    this.ops.flush();
    return this.split(s, flat);
  }

  /** Records the sources' gradients into the slot's grad buffer (added to what it holds). */
  private accumulate(s: GpuSlot, sources: readonly GradSource[]): NonNullable<GpuSlot['train']> {
    if (!s.train) throw new Error('this radiance field was loaded for evaluation, not training');
    const st = s.train;
    const ops = this.ops;
    // Each chunk of at most 2^16 points: its bounds, its fixed-point sums, then resolved into grad.
    const L = s.layout;
    const accumulate = (points: GpuTensor, upstream: GpuTensor, count: number) => {
      const log2Points = Math.max(0, Math.ceil(Math.log2(count)));
      if (!isNeural(L)) {
        this.clear(st.bound);
        for (const mode of ['bound', 'accumulate'] as const) this.k.fieldPass(ops, mode, L, s.theta.buffer, points.buffer, count, { upstream: upstream.buffer, acc: st.acc.buffer, bound: st.bound.buffer, log2Points });
        this.k.resolve(ops, L.offsets, st.acc.buffer, st.bound.buffer, st.grad.buffer, log2Points);
        return;
      }
      // A network: each point's activations and deltas into `work`, the hash tables' terms in
      // fixed point (bound first), then the weights' sums over the points.
      const work = ops.alloc([count, L.actStride + L.deltaStride], 'radiance network activations');
      const io = { upstream: upstream.buffer, acc: st.acc.buffer, bound: st.bound.buffer, work: work.buffer, grad: st.grad.buffer, log2Points };
      if (L.arch === 0) {
        this.clear(st.bound);
        this.k.neuralPass(ops, 'bound', L, s.theta.buffer, points.buffer, count, io);
      }
      this.k.neuralPass(ops, 'backward', L, s.theta.buffer, points.buffer, count, io);
      if (L.arch === 0) this.k.resolve(ops, [0, L.weightsStart], st.acc.buffer, st.bound.buffer, st.grad.buffer, log2Points);
      this.k.neuralPass(ops, 'weights', L, s.theta.buffer, null, count, io);
      ops.release(work);
    };
    // Points per accumulation: 2^16, and for a network what its activations leave of one binding.
    const most = isNeural(L) ? Math.max(1, Math.min(ACCUMULATE_POINTS, Math.floor(this.ctx.limits.maxStorageBufferBindingSize / (4 * (L.actStride + L.deltaStride))))) : ACCUMULATE_POINTS;
    for (const src of sources) {
      if (src.kind === 'points') {
        const count = src.points.length / 3;
        for (let p0 = 0; p0 < count; p0 += most) {
          const c = Math.min(most, count - p0);
          const up = new Float32Array(4 * c);
          for (let p = 0; p < c; p++) {
            up[4 * p] = src.upstream.sigma[p0 + p]!;
            for (let k = 0; k < 3; k++) up[4 * p + 1 + k] = src.upstream.rgb[3 * (p0 + p) + k]!;
          }
          const pts = ops.upload(new Tensor([c, 3], src.points.subarray(3 * p0, 3 * (p0 + c))), 'radiance points');
          const upstream = ops.upload(new Tensor([c, 4], up), 'radiance upstream');
          accumulate(pts, upstream, c);
          ops.release(pts, upstream);
        }
        continue;
      }
      const S = src.render.samples;
      const rays = src.origins.length / 3;
      const per = Math.max(1, Math.floor(most / S));
      if (S > most) throw new Error(`the GPU training step takes up to ${most} samples per ray, got ${S}: lower 'samples', or run with --backend cpu`);
      for (let r0 = 0; r0 < rays; r0 += per) {
        const c = Math.min(per, rays - r0);
        const b = this.march(s, src.origins, src.dirs, r0, c, src.render);
        const d = new Float32Array(4 * c);
        for (let r = 0; r < c; r++) for (let k = 0; k < 3; k++) d[4 * r + k] = src.dColors[3 * (r0 + r) + k]!;
        const dColors = ops.upload(new Tensor([c, 4], d), 'radiance dL/dC');
        const upstream = ops.alloc([c * S, 4], 'radiance sample upstream');
        this.k.marchPass(ops, 'backward', c, S, this.marchOpts(src.render), { ...this.bufs(b), dColors: dColors.buffer, upstream: upstream.buffer });
        accumulate(b.points, upstream, c * S);
        ops.release(dColors, upstream, ...Object.values(b));
      }
    }
    return st;
  }

  async read(s: FieldSlot): Promise<RadianceField> {
    if (!(s instanceof GpuSlot)) throw notOurs();
    return { ...s.field, params: this.split(s, (await this.ops.read(s.theta)).data) };
  }

  /** θ-shaped values as the field's tensors. */
  private split(s: GpuSlot, flat: Float32Array): Record<string, Tensor> {
    const params: Record<string, Tensor> = {};
    Object.entries(s.field.params).forEach(([name, t], i) => (params[name] = new Tensor(t.shape, flat.slice(s.offsets[i]!, s.offsets[i + 1]!))));
    return params;
  }

  release(s: FieldSlot): void {
    if (!(s instanceof GpuSlot)) throw notOurs();
    this.ops.release(s.theta, ...(s.train ? Object.values(s.train) : []));
    this.ops.flush();
  }

  /** Records zeroing the buffers. */
  private clear(...ts: GpuTensor[]): void {
    this.ops.encodeWith((encoder) => {
      for (const t of ts) encoder.clearBuffer(t.buffer);
      return 0;
    });
  }

  /** Points per forward chunk: 2^20, or what four floats a point fit in one binding. */
  private forwardChunk(): number {
    return Math.max(64, Math.min(FORWARD_POINTS, Math.floor(this.ctx.limits.maxStorageBufferBindingSize / 16)));
  }

  private marchOpts(opts: RenderOptions) {
    return { densityScale: opts.densityScale ?? 1, background: opts.background };
  }

  private bufs(b: { rays: GpuTensor; points: GpuTensor; deltas: GpuTensor; samples: GpuTensor }) {
    return { rays: b.rays.buffer, points: b.points.buffer, deltas: b.deltas.buffer, samples: b.samples.buffer };
  }

  /** Rays r0 … r0 + count − 1 sampled and evaluated: their points, steps and sample values. */
  private march(s: GpuSlot, origins: Float32Array, dirs: Float32Array, r0: number, count: number, opts: RenderOptions) {
    const S = opts.samples;
    const packed = new Float32Array(6 * count);
    for (let r = 0; r < count; r++) {
      packed.set(origins.subarray(3 * (r0 + r), 3 * (r0 + r) + 3), 6 * r);
      packed.set(dirs.subarray(3 * (r0 + r), 3 * (r0 + r) + 3), 6 * r + 3);
    }
    if (count * S * 16 > this.ctx.limits.maxStorageBufferBindingSize) throw new Error(`${formatShape([count, S])} ray samples do not fit one GPU binding on ${this.ctx.adapter}: lower the samples per ray, or run with --backend cpu`);
    const b = {
      rays: this.ops.upload(new Tensor([count, 6], packed), 'radiance rays'),
      points: this.ops.alloc([count * S, 3], 'radiance ray points'),
      deltas: this.ops.alloc([count], 'radiance ray steps'),
      samples: this.ops.alloc([count * S, 4], 'radiance ray samples'),
    };
    const mo = this.marchOpts(opts);
    this.k.marchPass(this.ops, 'sample', count, S, mo, this.bufs(b));
    this.forward(s, b.points.buffer, count * S, b.samples.buffer);
    return b;
  }
}

const isNeural = (l: FieldLayout | NeuralLayout): l is NeuralLayout => 'matrices' in l;

/** A hash or MLP field's layout for the neural kernel, checked against its private arrays. */
function neuralLayout(f: RadianceField, size: number): NeuralLayout {
  const s = f.neural!;
  const arch = f.arch as 'hash' | 'mlp';
  const width = encodingWidth(arch, s);
  if (Math.max(width, s.hidden) > NEURAL_MAX_WIDTH) throw new Error(`a ${arch} field with layers ${Math.max(width, s.hidden)} wide is wider than the GPU kernel takes (${NEURAL_MAX_WIDTH}): lower hidden${arch === 'hash' ? ', levels or features' : ''}, or run with --backend cpu`);
  if (arch === 'hash' && s.levels > NEURAL_MAX_LEVELS) throw new Error(`a hash field of ${s.levels} levels is more than the GPU kernel takes (${NEURAL_MAX_LEVELS}): lower levels, or run with --backend cpu`);
  const weightsStart = arch === 'hash' ? s.levels * 2 ** s.log2TableSize * s.features : 0;
  return {
    arch: arch === 'hash' ? 0 : 1,
    levels: arch === 'hash' ? s.levels : 0,
    features: s.features,
    log2Table: s.log2TableSize,
    frequencies: s.frequencies,
    matrices: s.layers + 1,
    width,
    hidden: s.hidden,
    levelN: arch === 'hash' ? hashLevels(f.resolution, s.levels) : [],
    weightsStart,
    weightsSize: size - weightsStart,
    actStride: width + s.hidden * s.layers,
    deltaStride: s.hidden * s.layers + 4,
  };
}
