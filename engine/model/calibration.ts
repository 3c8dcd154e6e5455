// Calibration: what each layer sees on real inputs. A layer's captured input (onnxruntime-web
// exposes it as an extra graph output for the run) is read as samples of the vectors its weight
// multiplies — the rows of x for MatMul and Gemm, the k-channel patch at each output position for a
// convolution — and reduced per layer to:
//   - the Gram XᵀX over all samples (float64) for the matrix layers (MatMul, Gemm, 1×1 conv): SVD-LLM
//     whitens by its Cholesky factor, and ‖X·(W − Ŵ)‖ = ‖R·(W − Ŵ)‖ gives the output error exactly;
//   - the mean |x| per feature, ASVD's scaling;
//   - for larger convolutions an even sample of patches (at most PATCH_SAMPLES), for their output error.
import { syrkRows, Tensor, formatShape } from '../tensor';
import { cholesky, invertUpper, mat, mul, type Mat } from '../linalg';
import { errorRatio } from '../decomp/dense64';
import { convGeometry, modelInputShape } from './shapes';
import type { Layer } from './layers';
import type { ModelProto } from '../io/onnx';
import type { ModelRuntime } from '../node-api';

export const PATCH_SAMPLES = 4096;

/** The weight as the matrix M (K × N) with y = x·M: MatMul W, Gemm W or Wᵀ (transB), a conv's
 * O × (I·kh·kw) weight transposed. */
export function xSideMatrix(l: Layer, w: Tensor): Tensor {
  if (!storedTransposed(l)) return new Tensor([l.rows, l.cols], w.data);
  const out = new Tensor([l.cols, l.rows]);
  for (let i = 0; i < l.rows; i++) for (let j = 0; j < l.cols; j++) out.data[j * l.rows + i] = w.data[i * l.cols + j]!;
  return out;
}

export class LayerActivations {
  /** Features per sample (K of y = x·M). */
  readonly k: number;
  samples = 0;
  readonly absSum: Float64Array;
  /** XᵀX (k × k): matrix layers only. */
  readonly gram: Float64Array | null;
  /** Sampled patch rows (float32, rows × k): larger convolutions only. */
  patches: Float32Array[] = [];
  /** The shapes of the layer's input and output on the first batch. */
  shapes: { x: number[]; y: number[] } | null = null;

  constructor(
    readonly layer: Layer,
    private readonly patchBudget: number,
  ) {
    this.k = xSideK(layer);
    this.absSum = new Float64Array(this.k);
    this.gram = isMatrixLayer(layer) ? new Float64Array(this.k * this.k) : null;
  }

  /** Adds one batch of the layer's input. */
  add(x: Tensor): void {
    const xt = samplesOf(this.layer, x, this.k); // k × P, row-major
    const p = xt.length / this.k;
    this.samples += p;
    for (let f = 0; f < this.k; f++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += Math.abs(xt[f * p + j]!);
      this.absSum[f]! += s;
    }
    if (this.gram) {
      const g = syrkRows(xt, this.k, p, new Float64Array(this.k * this.k));
      for (let i = 0; i < g.length; i++) this.gram[i]! += g[i]!;
    } else {
      const take = Math.min(p, this.patchBudget);
      const rows = new Float32Array(take * this.k);
      for (let t = 0; t < take; t++) {
        const j = Math.floor(((t + 0.5) * p) / take);
        for (let f = 0; f < this.k; f++) rows[t * this.k + f] = xt[f * p + j]!;
      }
      this.patches.push(rows);
    }
  }

  /** ASVD's scaling: S = diag((mean |x_f|)^α), features never seen scaled like the smallest seen. */
  asvdScaling(alpha = 0.5): { s: Mat; inverse: Mat } {
    const d = Float64Array.from(this.absSum, (a) => (a / Math.max(1, this.samples)) ** alpha);
    const top = d.reduce((a, b) => Math.max(a, b), 0);
    const floor = top > 0 ? top * 1e-6 : 1;
    const s = mat(this.k, this.k);
    const inverse = mat(this.k, this.k);
    for (let i = 0; i < this.k; i++) {
      const v = Math.max(d[i]!, floor);
      s.data[i * this.k + i] = v;
      inverse.data[i * this.k + i] = 1 / v;
    }
    return { s, inverse };
  }

  /** SVD-LLM's whitening: the upper Cholesky factor R of XᵀX (+ λI, λ raised from 1e-8·trace/k until
   * it factors, when the calibration does not span every feature) and R⁻¹. */
  whitening(): { s: Mat; inverse: Mat; shift: number } {
    if (!this.gram) throw new Error(`layer '${this.layer.name}': whitening is for matrix layers`);
    const k = this.k;
    let trace = 0;
    for (let i = 0; i < k; i++) trace += this.gram[i * k + i]!;
    const base = trace > 0 ? trace / k : 1;
    for (let shift = 0, step = 1e-8; step <= 1; step *= 10) {
      const g = mat(k, k, Float64Array.from(this.gram));
      for (let i = 0; i < k; i++) g.data[i * k + i]! += shift;
      const r = cholesky(g);
      if (r) return { s: r, inverse: invertUpper(r), shift };
      shift = step * base;
    }
    throw new Error(`layer '${this.layer.name}': the calibration activations' Gram does not factor even shifted by the mean of its diagonal (non-finite activations?)`);
  }

  /** ‖X·(M − M̂)‖ / ‖X·M‖ on the calibration samples (M, M̂ K × N as x-side matrices). */
  outputError(m: ArrayLike<number>, approx: ArrayLike<number>): number {
    const k = this.k;
    const n = m.length / k;
    let err = 0;
    let ref = 0;
    if (this.gram) {
      // Σ_j d_jᵀ G d_j over the columns of D = M − M̂: the sum of D ∘ (G·D), and the same for M.
      const g = mat(k, k, this.gram);
      const quadratic = (d: Float64Array) => mul(g, mat(k, n, d)).data.reduce((acc, v, i) => acc + v * d[i]!, 0);
      err = quadratic(Float64Array.from(m, (v, i) => v - approx[i]!));
      ref = quadratic(Float64Array.from(m));
    } else {
      const [mm, mh] = [mat(k, n, Float64Array.from(m)), mat(k, n, Float64Array.from(approx))];
      for (const rows of this.patches) {
        const x = mat(rows.length / k, k, Float64Array.from(rows));
        const [y, yh] = [mul(x, mm).data, mul(x, mh).data];
        for (let i = 0; i < y.length; i++) {
          err += (y[i]! - yh[i]!) ** 2;
          ref += y[i]! ** 2;
        }
      }
    }
    return errorRatio(Math.sqrt(Math.max(0, err)), Math.sqrt(ref));
  }
}

/** MatMul, Gemm and 1×1 convolutions: the layers an SVD factorizes. */
export const isMatrixLayer = (l: Layer): boolean => l.op === 'MatMul' || l.op === 'Gemm' || (l.op === 'Conv' && l.shape.length === 4 && l.shape[2]! * l.shape[3]! === 1);

/** Whether the stored weight is M transposed (y = x·Mᵀ): a conv's, and a Gemm's with transB. */
const storedTransposed = (l: Layer) => l.op === 'Conv' || (l.op === 'Gemm' && Number(l.node.attribute.find((a) => a.name === 'transB')?.i ?? 0n) !== 0);
const xSideK = (l: Layer) => (storedTransposed(l) ? l.cols : l.rows);

/** The layer's input as samples, transposed: k × P row-major (feature f's values in row f). */
function samplesOf(l: Layer, x: Tensor, k: number): Float64Array {
  if (l.op === 'MatMul' || l.op === 'Gemm') {
    if (x.shape[x.ndim - 1] !== k) throw new Error(`layer '${l.name}': its input is ${formatShape(x.shape)}, expected a last axis of ${k}`);
    const p = x.size / k;
    const out = new Float64Array(k * p);
    for (let j = 0; j < p; j++) for (let f = 0; f < k; f++) out[f * p + j] = x.data[j * k + f]!;
    return out;
  }
  // A convolution: the (c, a, b) patch feeding each output position, zeros where it reads padding.
  const [o, i, kh, kw] = l.shape as [number, number, number, number];
  void o;
  if (x.ndim !== 4 || x.shape[1] !== i) throw new Error(`layer '${l.name}': its input is ${formatShape(x.shape)}, expected N × ${i} × H × W`);
  const [n, , h, w] = x.shape as [number, number, number, number];
  const g = convGeometry(l.node, [kh, kw], h, w);
  const [oh, ow] = g.out;
  const p = n * oh * ow;
  const out = new Float64Array(k * p);
  for (let c = 0; c < i; c++)
    for (let a = 0; a < kh; a++)
      for (let b = 0; b < kw; b++) {
        const f = (c * kh + a) * kw + b;
        for (let s = 0; s < n; s++)
          for (let yy = 0; yy < oh; yy++) {
            const r = yy * g.strides[0] - g.pads[0] + a * g.dilations[0];
            if (r < 0 || r >= h) continue;
            for (let xx = 0; xx < ow; xx++) {
              const q = xx * g.strides[1] - g.pads[1] + b * g.dilations[1];
              if (q < 0 || q >= w) continue;
              out[f * p + (s * oh + yy) * ow + xx] = x.data[((s * i + c) * h + r) * w + q]!;
            }
          }
      }
  return out;
}

/** A layer's input and output shapes on one run (MACs are counted from them). */
export type LayerShapes = Map<string, { x: number[]; y: number[] }>;

/** Bytes of float64 Grams and patch samples the calibration of these layers keeps at once. */
export function calibrationBytes(layers: readonly Layer[]): number {
  return layers.reduce((n, l) => n + (isMatrixLayer(l) ? 8 * xSideK(l) ** 2 : 4 * PATCH_SAMPLES * xSideK(l)) + 8 * xSideK(l), 0);
}

/**
 * Runs the model on the calibration batch (axis 0, `chunk` items at a time; the first item alone,
 * for the shapes, unless the model's input fixes its batch size, which then sets every chunk) and
 * gathers each layer's input statistics. `runtime.capture` exposes the layer inputs (and, on the first
 * chunk, outputs) as graph outputs. `items` is the size of the chunk the shapes come from.
 */
export async function collectActivations(
  runtime: ModelRuntime,
  model: ModelProto,
  layers: readonly Layer[],
  batch: Tensor,
  opts: { chunk?: number; what: string; progress?: (done: number, of: number) => void; shapesOf?: readonly Layer[] },
): Promise<{ stats: Map<string, LayerActivations>; shapes: LayerShapes; items: number }> {
  const n = batch.shape[0]!;
  const per = batch.size / n;
  const fixed = fixedBatch(model);
  if (fixed !== null && n % fixed !== 0) throw new Error(`${opts.what} takes batches of exactly ${fixed} on its first axis; the calibration has ${n} items, not a multiple of ${fixed}`);
  const chunk = fixed ?? Math.max(1, opts.chunk ?? 8);
  const first = fixed ?? 1;
  const starts = [0];
  for (let s = first; s < n; s += chunk) starts.push(s);
  const stats = new Map(layers.map((l) => [l.name, new LayerActivations(l, Math.ceil(PATCH_SAMPLES / starts.length))]));
  const shapes: LayerShapes = new Map();
  const inputs = [...new Set(layers.map((l) => l.node.input[0]!))];
  const shaped = opts.shapesOf ?? layers;
  for (const [k, s] of starts.entries()) {
    opts.progress?.(k, starts.length);
    const e = Math.min(n, s + (k === 0 ? first : chunk));
    const part = new Tensor([e - s, ...batch.shape.slice(1)], batch.data.subarray(s * per, e * per));
    const names = k === 0 ? [...new Set([...inputs, ...shaped.flatMap((l) => [l.node.input[0]!, l.node.output[0]!])])] : inputs;
    const got = await runtime.capture(model, part, names, opts.what);
    if (k === 0) for (const l of shaped) shapes.set(l.name, { x: [...got.get(l.node.input[0]!)!.shape], y: [...got.get(l.node.output[0]!)!.shape] });
    for (const l of layers) stats.get(l.name)!.add(got.get(l.node.input[0]!)!);
  }
  return { stats, shapes, items: first };
}

/** The model's first input's first dim when it is fixed (a number, not a symbolic dim), else null. */
function fixedBatch(model: ModelProto): number | null {
  const first = modelInputShape(model, {}).shape[0];
  return first === undefined || Number.isNaN(first) ? null : first;
}

/** Each layer's input and output shapes on one run of the model on zeros of `inputShape`. */
export async function layerShapes(runtime: ModelRuntime, model: ModelProto, layers: readonly Layer[], inputShape: readonly number[], what: string): Promise<LayerShapes> {
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (!inputShape.every((d) => Number.isInteger(d) && d >= 1) || size > 2 ** 28) throw new Error(`an input of ${formatShape(inputShape)} cannot be fed (${size} values; dims must be whole numbers ≥ 1, at most 2^28 values in all)`);
  const got = await runtime.capture(model, new Tensor([...inputShape]), [...new Set(layers.flatMap((l) => [l.node.input[0]!, l.node.output[0]!]))], what);
  return new Map(layers.map((l) => [l.name, { x: [...got.get(l.node.input[0]!)!.shape], y: [...got.get(l.node.output[0]!)!.shape] }]));
}
