// What distillation asks of a backend, written once (distill.ts) over these ops: a field placed where
// the backend evaluates it (a slot), its values at points, renders of rays, and a training step — the
// gradients of a batch of point and ray losses followed by one Adam step. cpuRadianceOps is the
// definition; the WebGPU backend's (engine/webgpu/radiance.ts) runs the grid architectures' passes on
// the device with the same results to float32 rounding, and hands hash and MLP fields to this one.
import { Tensor } from '../tensor';
import { evaluateField, zerosLike, type FieldEval, type FieldGrad, type RadianceField } from './field';
import { renderRays, type RenderOptions, type RenderResult } from './render';

/** A field loaded by a RadianceOps (opaque to the caller). */
export interface FieldSlot {
  readonly field: RadianceField;
}

/** A source of gradients in a training step. */
export type GradSource =
  /** dL/dσ and dL/dRGB at points. */
  | { kind: 'points'; points: Float32Array; upstream: FieldGrad }
  /** dL/dC of rendered rays (origins and unit directions, R × 3 each). */
  | { kind: 'rays'; origins: Float32Array; dirs: Float32Array; render: RenderOptions; dColors: Float32Array };

export interface RadianceOps {
  /** Where the ops run (for messages). */
  readonly where: string;
  /** The field placed for evaluation; `train` also gives it Adam's state (its params are then the
   * slot's: read them back with `read`). */
  load(f: RadianceField, train?: boolean): Promise<FieldSlot>;
  evaluate(s: FieldSlot, points: Float32Array): Promise<FieldEval>;
  render(s: FieldSlot, origins: Float32Array, dirs: Float32Array, opts: RenderOptions): Promise<RenderResult>;
  /** The gradients of every source (added in order), then one Adam step at `rate` (β 0.9, 0.99; the
   * colour basis at a tenth of it; a dense field projected back to σ ≥ 0, RGB in [0, 1]). */
  train(s: FieldSlot, sources: readonly GradSource[], rate: number): Promise<void>;
  /** The field's current parameters on the host. */
  read(s: FieldSlot): Promise<RadianceField>;
  release(s: FieldSlot): void;
}

export const ADAM = { b1: 0.9, b2: 0.99, eps: 1e-8, basisRate: 0.1 } as const;

class CpuSlot implements FieldSlot {
  m: Record<string, Float32Array> = {};
  v: Record<string, Float32Array> = {};
  t = 0;
  /** The last evaluation and render since the params last changed: a training step on the same
   * points or rays reuses their forward values. */
  lastPoints: { points: Float32Array; values: FieldEval } | null = null;
  lastRays: { origins: Float32Array; dirs: Float32Array; render: RenderOptions; result: RenderResult } | null = null;
  constructor(readonly field: RadianceField) {}
}

const sameRender = (a: RenderOptions, b: RenderOptions) => a.samples === b.samples && (a.densityScale ?? 1) === (b.densityScale ?? 1) && a.background.every((v, k) => v === b.background[k]);

/** The CPU's ops: the engine's own evaluateField and renderRays, Adam in float64 over float32 state. */
export const cpuRadianceOps: RadianceOps = {
  where: 'the CPU',
  async load(f, train = false) {
    const s = new CpuSlot(f);
    if (train) {
      s.m = Object.fromEntries(Object.entries(f.params).map(([k, p]) => [k, new Float32Array(p.size)]));
      s.v = Object.fromEntries(Object.entries(f.params).map(([k, p]) => [k, new Float32Array(p.size)]));
    }
    return s;
  },
  async evaluate(slot, points) {
    const s = slot as CpuSlot;
    const values = evaluateField(s.field, points);
    s.lastPoints = { points, values };
    return values;
  },
  async render(slot, origins, dirs, opts) {
    const s = slot as CpuSlot;
    const result = renderRays(s.field, origins, dirs, opts);
    s.lastRays = { origins, dirs, render: opts, result };
    return result;
  },
  async train(slot, sources, rate) {
    const s = slot as CpuSlot;
    const f = s.field;
    const grads = zerosLike(f);
    const { lastPoints: lp, lastRays: lr } = s;
    for (const src of sources) {
      if (src.kind === 'points') evaluateField(f, src.points, src.upstream, grads, lp?.points === src.points ? lp.values : undefined);
      else renderRays(f, src.origins, src.dirs, src.render, src.dColors, grads, lr && lr.origins === src.origins && lr.dirs === src.dirs && sameRender(lr.render, src.render) ? lr.result : undefined);
    }
    adamStep(s, grads, rate);
    s.lastPoints = s.lastRays = null;
  },
  async read(s) {
    return s.field;
  },
  release() {},
};

function adamStep(s: CpuSlot, grads: Record<string, Tensor>, rate: number): void {
  s.t++;
  const { b1, b2, eps } = ADAM;
  const c1 = 1 - b1 ** s.t;
  const c2 = 1 - b2 ** s.t;
  for (const [name, p] of Object.entries(s.field.params)) {
    const g = grads[name]!.data;
    const [m, v] = [s.m[name]!, s.v[name]!];
    const lr = name === 'basis' ? rate * ADAM.basisRate : rate;
    for (let i = 0; i < p.size; i++) {
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! * g[i]!;
      p.data[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
    }
    if (s.field.arch === 'dense') for (let i = 0; i < p.size; i++) p.data[i] = i % 4 === 0 ? Math.max(0, p.data[i]!) : Math.min(1, Math.max(0, p.data[i]!));
  }
}
