// Binds the radiance-field kernels: shaders/radiance-field.wgsl (grid fields at points, forward and
// the fixed-point backward), radiance-neural.wgsl (hash and MLP fields: forward, backward, the weight
// reduction), radiance-march.wgsl (ray sampling, compositing and its backward),
// radiance-resolve.wgsl (fixed-point accumulators to float gradients) and radiance-adam.wgsl. Each
// method records one dispatch into the ops' open encoder; engine/webgpu/radiance.ts strings them into
// the passes of engine/radiance/ops.ts.
import type { GpuContext } from '../runtime/device';
import type { GpuOps } from '../ops';
import { dispatchGrid, kernel, type Kernel } from '../runtime/pipeline';
import { paramsBuffer, type ParamValues } from '../runtime/params';

/** Threads per workgroup, one per point, sample, ray or parameter. */
const WG = 64;
/** Parameter tensors a field may have in θ (vm has 13). */
export const MAX_TENSORS = 15;

export type FieldMode = 'forward' | 'bound' | 'accumulate';
const FIELD_MODE: Record<FieldMode, number> = { forward: 0, bound: 1, accumulate: 2 };

/** A grid field as the kernels see it: architecture, sizes, and where each tensor starts in θ. */
export interface FieldLayout {
  arch: 0 | 1 | 2;
  n: number;
  rs: number;
  rc: number;
  /** Start of each tensor, then the total (tensors + 1 entries). */
  offsets: number[];
}

/** A hash or MLP field as the neural kernel sees it (θ: the tables, then w0, b0, w1, b1, …). */
export interface NeuralLayout {
  arch: 0 | 1;
  levels: number;
  features: number;
  log2Table: number;
  frequencies: number;
  matrices: number;
  width: number;
  hidden: number;
  levelN: number[];
  /** Floats of the tables (where w0 starts) and of all weights and biases. */
  weightsStart: number;
  weightsSize: number;
  /** Floats of `work` per point: the layers' input activations, then their output deltas. */
  actStride: number;
  deltaStride: number;
}

export type NeuralMode = 'forward' | 'bound' | 'backward' | 'weights';
const NEURAL_MODE: Record<NeuralMode, number> = { forward: 0, bound: 1, backward: 2, weights: 3 };

export class RadianceKernels {
  private readonly field: Kernel;
  private readonly neural: Kernel;
  private readonly march: Kernel;
  private readonly resolveK: Kernel;
  private readonly adamK: Kernel;
  /** Stand-ins for bindings a mode does not use (distinct: writable bindings may not alias). */
  private readonly spare: GPUBuffer[];

  constructor(private readonly ctx: GpuContext) {
    const d = ctx.device;
    const [u, r, w] = ['uniform', 'read-only-storage', 'storage'] as const;
    this.field = kernel(d, 'radiance-field', [u, r, r, w, r, w, w], { WG });
    this.neural = kernel(d, 'radiance-neural', [u, r, r, w, r, w, w, w, w], { WG });
    this.march = kernel(d, 'radiance-march', [u, r, w, w, r, w, r, w], { WG });
    this.resolveK = kernel(d, 'radiance-resolve', [u, w, r, w], { WG });
    this.adamK = kernel(d, 'radiance-adam', [u, w, w, w, w], { WG });
    this.spare = [0, 1, 2, 3, 4, 5, 6].map((i) => d.createBuffer({ label: `radiance spare ${i}`, size: 64, usage: GPUBufferUsage.STORAGE }));
  }

  destroy(): void {
    for (const b of this.spare) b.destroy();
  }

  private dispatch<K extends 'radiance-field' | 'radiance-neural' | 'radiance-march' | 'radiance-resolve' | 'radiance-adam'>(ops: GpuOps, k: Kernel, name: K, values: ParamValues<K>, buffers: GPUBuffer[], threads: number): void {
    if (threads === 0) return;
    const uniform = paramsBuffer(this.ctx.device, ops.pool, name, values);
    ops.encodeWith((encoder, temps) => {
      temps.push(uniform);
      return dispatchGrid(encoder, this.ctx.device, k, name, [uniform, ...buffers], Math.ceil(threads / WG));
    });
  }

  /** The field at `count` points: forward writes (σ, r, g, b) per point into `out`; bound and
   * accumulate read dL/d(σ, rgb) from `upstream` and fill `bound` / `acc` (p = log2Points). */
  fieldPass(ops: GpuOps, mode: FieldMode, f: FieldLayout, theta: GPUBuffer, points: GPUBuffer, count: number, io: { out?: GPUBuffer; upstream?: GPUBuffer; acc?: GPUBuffer; bound?: GPUBuffer; log2Points?: number }): void {
    const [s0, s1, s2, s3] = this.spare as [GPUBuffer, GPUBuffer, GPUBuffer, GPUBuffer];
    this.dispatch(ops, this.field, 'radiance-field', { arch: f.arch, n: f.n, rs: f.rs, rc: f.rc, count, mode: FIELD_MODE[mode], log2_points: io.log2Points ?? 0, _pad: 0, offsets: f.offsets.slice(0, 16) }, [points, theta, io.out ?? s0, io.upstream ?? s1, io.acc ?? s2, io.bound ?? s3], count);
  }

  /** A hash or MLP field at `count` points: forward into `out`; bound and backward read `upstream`
   * (backward fills `work` and, hash, `acc`); weights adds the weight and bias gradients of the
   * points in `work` into `grad`. */
  neuralPass(ops: GpuOps, mode: NeuralMode, f: NeuralLayout, theta: GPUBuffer, points: GPUBuffer | null, count: number, io: { out?: GPUBuffer; upstream?: GPUBuffer; acc?: GPUBuffer; bound?: GPUBuffer; work?: GPUBuffer; grad?: GPUBuffer; log2Points?: number }): void {
    const sp = this.spare as GPUBuffer[];
    const values: ParamValues<'radiance-neural'> = {
      arch: f.arch, count, mode: NEURAL_MODE[mode], log2_points: io.log2Points ?? 0, levels: f.levels, features: f.features, log2_table: f.log2Table, frequencies: f.frequencies,
      matrices: f.matrices, width: f.width, hidden: f.hidden, act_stride: f.actStride, delta_stride: f.deltaStride, weights_start: f.weightsStart, weights_size: f.weightsSize, _pad: 0, level_n: f.levelN,
    };
    this.dispatch(ops, this.neural, 'radiance-neural', values, [points ?? sp[0]!, theta, io.out ?? sp[1]!, io.upstream ?? sp[2]!, io.acc ?? sp[3]!, io.bound ?? sp[4]!, io.work ?? sp[5]!, io.grad ?? sp[6]!], mode === 'weights' ? f.weightsSize : count);
  }

  /** Ray marching: 'sample' fills points and deltas from rays; 'composite' the colours from the
   * samples' (σ, rgb); 'backward' the samples' upstream from dL/dC. */
  marchPass(ops: GpuOps, mode: 'sample' | 'composite' | 'backward', rays: number, samples: number, opts: { densityScale: number; background: readonly number[] }, b: { rays: GPUBuffer; points: GPUBuffer; deltas: GPUBuffer; samples: GPUBuffer; colors?: GPUBuffer; dColors?: GPUBuffer; upstream?: GPUBuffer }): void {
    const [s0, s1, s2] = this.spare as [GPUBuffer, GPUBuffer, GPUBuffer];
    const m = { sample: 0, composite: 1, backward: 2 }[mode];
    const [bg0, bg1, bg2] = opts.background as [number, number, number];
    this.dispatch(ops, this.march, 'radiance-march', { rays, samples, mode: m, density_scale: opts.densityScale, bg_r: bg0, bg_g: bg1, bg_b: bg2 }, [b.rays, b.points, b.deltas, b.samples, b.colors ?? s0, b.dColors ?? s1, b.upstream ?? s2], mode === 'sample' ? rays * samples : rays);
  }

  /** grad += the accumulators' sums; the accumulators zeroed. */
  resolve(ops: GpuOps, offsets: readonly number[], acc: GPUBuffer, bound: GPUBuffer, grad: GPUBuffer, log2Points: number): void {
    const size = offsets[offsets.length - 1]!;
    this.dispatch(ops, this.resolveK, 'radiance-resolve', { size, tensors: offsets.length - 1, log2_points: log2Points, _pad: 0, offsets }, [acc, bound, grad], size);
  }

  /** One Adam step (t ≥ 1) at `rate`; the gradient zeroed. */
  adam(ops: GpuOps, size: number, basisStart: number, dense: boolean, rate: number, t: number, b: { theta: GPUBuffer; grad: GPUBuffer; m: GPUBuffer; v: GPUBuffer }, betas: { b1: number; b2: number }): void {
    this.dispatch(ops, this.adamK, 'radiance-adam', { size, basis_start: basisStart, dense: dense ? 1 : 0, _pad: 0, rate, b1: betas.b1, b2: betas.b2, c1: 1 - betas.b1 ** t, c2: 1 - betas.b2 ** t }, [b.theta, b.grad, b.m, b.v], size);
  }
}
