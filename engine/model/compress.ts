// Low-rank rewrites of a model's layers, in the graph itself, so the result runs in any ONNX runtime:
//   MatMul  y = x·W, W (K × N) ≈ U_r S_r V_rᵀ  →  y = (x·A)·B, A = U_r √S_r (K × r), B = √S_r V_rᵀ (r × N);
//           Gemm the same as two Gemms, a 1×1 conv as two 1×1 convs; activation-aware with an x-side
//           scaling S (ASVD's diagonal, SVD-LLM's Cholesky factor): the SVD of S·W, A = S⁻¹·U_r √S_r;
//   Conv    W (O × I × kh × kw) ≈ G ×₀ U_out ×₁ U_in (Tucker-2)  →  a 1×1 conv by U_inᵀ (I → R_i), the
//           kh×kw conv by G (R_i → R_o) with the layer's pads, strides and dilations, and a 1×1 conv
//           by U_out (R_o → O) carrying the bias; or CP of rank R as four convs (Lebedev et al.).
// The replaced weight is dropped when nothing else reads it. Grouped convolutions are left alone.
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, NodeProtoSchema, TensorProtoSchema, TensorProto_DataType, type ModelProto, type NodeProto } from 'onnx-buf';
import type { Backend } from '../backend';
import { RandomSource } from '../random';
import { Tensor, formatShape } from '../tensor';
import { setWeight, weightTensor, type ExternalReader } from '../io/onnx';
import { fromTensor, mul, toTensor, type Mat } from '../linalg';
import type { Layer } from './layers';
import { relError64 } from '../decomp/dense64';
import { xSideMatrix, type LayerActivations } from './calibration';
import { coefficientParams, forwardTransform, inverseTransform, largest, type TransformSpec } from './transform';
import { subbandApproximation, subbandParams, type LayerSubbands } from './subbands';

export interface RewriteResult {
  /** Numbers stored before and after (the layer's weight only; a bias is kept as it is). */
  paramsBefore: number;
  paramsAfter: number;
  /** ‖W − Ŵ‖F / ‖W‖F of the factorized weight. */
  relError: number;
  rank: number[];
  /** ‖X·(W − Ŵ)‖ / ‖X·W‖ on the calibration samples of the layer's input, when given. */
  outputError?: number;
}

/** A truncated SVD (U m × r, S r, V n × r) split with √S on both sides: left = U√S (m × r) and
 * right = √S Vᵀ (r × n), left·right = U S Vᵀ (each factor carries half of every singular value). */
export async function splitSvd(u: Tensor, s: Tensor, v: Tensor): Promise<{ left: Tensor; right: Tensor }> {
  await Promise.all([u.materialize(), s.materialize(), v.materialize()]);
  const [m, r] = u.shape as [number, number];
  const n = v.shape[0]!;
  const left = new Tensor([m, r]);
  const right = new Tensor([r, n]);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) left.data[i * r + j] = u.data[i * r + j]! * Math.sqrt(s.data[j]!);
  for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) right.data[i * n + j] = Math.sqrt(s.data[i]!) * v.data[j * r + i]!;
  return { left, right };
}

/** A new float32 initializer of the model, under a fresh name from `base`; returns the name. */
function addInitializer(model: ModelProto, base: string, t: Tensor): string {
  const name = fresh(model, base);
  const proto = create(TensorProtoSchema, { name, dataType: TensorProto_DataType.FLOAT });
  setWeight(proto, t);
  model.graph!.initializer.push(proto);
  return name;
}

/** A name not yet used by any value of the graph. */
function fresh(model: ModelProto, base: string): string {
  const used = new Set<string>();
  const g = model.graph!;
  for (const n of g.node) for (const v of [...n.input, ...n.output, n.name]) used.add(v);
  for (const t of g.initializer) used.add(t.name);
  let name = base;
  for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
  return name;
}

const ints = (name: string, values: number[]) => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: values.map(BigInt) });

/** Drops the weight if no node reads it any more (its initializer, or the Constant node making it). */
function dropIfUnused(model: ModelProto, weight: string): void {
  const g = model.graph!;
  if (g.node.some((n) => n.input.includes(weight)) || g.output.some((o) => o.name === weight)) return;
  g.initializer = g.initializer.filter((t) => t.name !== weight);
  g.node = g.node.filter((n) => !(n.opType === 'Constant' && n.output[0] === weight));
}

/** Replaces `node` in the graph's node list by `nodes` (in order, at its place: topological order kept). */
function replaceNode(model: ModelProto, node: NodeProto, nodes: NodeProto[]): void {
  const g = model.graph!;
  const at = g.node.indexOf(node);
  g.node.splice(at, 1, ...nodes);
}

/** An x-side scaling for activation-aware methods: the SVD is of S·M, and S⁻¹ goes on the first factor. */
export interface Scaling {
  s: Mat;
  inverse: Mat;
}

/** M (K × N) ≈ A·B at rank r: the truncated SVD of M (or of S·M, A then S⁻¹·U_r√S_r), √S on both sides. */
export async function lowRankFactors(m: Tensor, rank: number, backend: Backend, scaling?: Scaling): Promise<{ a: Tensor; b: Tensor }> {
  const target = scaling ? toTensor(mul(scaling.s, fromTensor(m))) : m;
  const svd = await backend.truncatedSvd(target, { rank, method: 'exact', oversample: 0, powerIters: 0, random: new RandomSource(0) });
  const { left, right } = await splitSvd(svd.value.u, svd.value.s, svd.value.v);
  return { a: scaling ? toTensor(mul(scaling.inverse, fromTensor(left))) : left, b: right };
}

/** What a layer's low-rank rewrite computes: the costly part (an SVD, a HOOI, a CP-ALS), which a
 * job queue runs on a worker (task 'model.factors'); the rewrite of the graph then uses it. */
export type LayerFactors =
  | { form: 'matrix'; a: Tensor; b: Tensor }
  | { form: 'tucker2'; core: Tensor; uOut: Tensor; uIn: Tensor; relError: number }
  | { form: 'cp'; weights: Tensor; factors: Tensor[] };

/** The inputs of layerFactors: for 'matrix' the weight as y = x·M (K × N) and the rank; for 'tucker2'
 * and 'cp' the conv kernel (O × I × kh × kw) and [R_out, R_in] or [R]. */
export interface FactorRequest {
  form: 'matrix' | 'tucker2' | 'cp';
  weight: Tensor;
  rank: number[];
  /** The name of the layer (messages). */
  layer: string;
  scaling?: Scaling;
}

/** A layer's factors (see LayerFactors), from its weight alone. */
export async function layerFactors(req: FactorRequest, backend: Backend): Promise<LayerFactors> {
  const w = req.weight;
  if (req.form === 'matrix') {
    const [k, n] = w.shape as [number, number];
    const rank = req.rank[0]!;
    if (w.ndim !== 2 || rank < 1 || rank > Math.min(k, n)) throw new Error(`layer '${req.layer}': rank ${rank} is outside 1 … ${Math.min(k, n)} (the weight is ${formatShape(w.shape)} as x·M)`);
    return { form: 'matrix', ...(await lowRankFactors(w, rank, backend, req.scaling)) };
  }
  if (req.form === 'tucker2') {
    const [ro, ri] = req.rank as [number, number];
    const t = await backend.tucker(w, { ranks: [ro, ri, null, null], modes: [0, 1], method: 'hooi', init: 'svd', maxIter: 50, tol: 1e-8, random: new RandomSource(0) });
    await Promise.all([t.core.materialize(), t.factors[0]!.materialize(), t.factors[1]!.materialize()]);
    return { form: 'tucker2', core: t.core, uOut: t.factors[0]!, uIn: t.factors[1]!, relError: t.relError };
  }
  const rank = req.rank[0]!;
  // ALS from the SVD start: up to 500 sweeps on small kernels, 50 on large ones (each sweep costs
  // about size × rank; on real kernels the error has settled to ~1e-3 relative by 50).
  const sweeps = Math.min(500, Math.max(50, Math.floor(1e8 / (w.size * rank))));
  const cp = await backend.cp(w, { rank, init: 'svd', maxIter: sweeps, tol: 1e-9, normalize: true, random: new RandomSource(0) });
  await Promise.all([cp.weights.materialize(), ...cp.factors.map((f) => f.materialize())]);
  return { form: 'cp', weights: cp.weights, factors: [...cp.factors] };
}

/** What a caller already has for a rewrite: the layer's weight as read, and its factors computed
 * elsewhere (a job), so neither is read or computed again. */
export interface Computed {
  weight: Tensor;
  factors: LayerFactors;
}

/** The factors computed elsewhere if they are of this form, else null. */
function given<F extends LayerFactors['form']>(c: Computed | undefined, form: F): Extract<LayerFactors, { form: F }> | null {
  return c?.factors.form === form ? (c.factors as Extract<LayerFactors, { form: F }>) : null;
}

/**
 * A matrix layer at rank r, rewritten as two of its kind: MatMul x·W → (x·A)·B; Gemm α·x·op(W) + β·C →
 * Gemm(Gemm(x, A, α), B, C, β); a 1×1 conv → a 1×1 conv by Aᵀ (keeping its strides and pads) and one
 * by Bᵀ carrying the bias. M is the weight as y = x·M (layer rows × cols transposed for Conv and
 * Gemm with transB). With `stats` the table's output error is measured on the calibration samples.
 */
export async function factorizeMatrix(model: ModelProto, layer: Layer, rank: number, backend: Backend, read?: ExternalReader, scaling?: Scaling, stats?: LayerActivations, computed?: Computed): Promise<RewriteResult> {
  const w = computed?.weight ?? (await weightTensor(layer.tensor, read));
  const m = xSideMatrix(layer, w);
  const [k, n] = m.shape as [number, number];
  if (rank < 1 || rank > Math.min(k, n)) throw new Error(`layer '${layer.name}': rank ${rank} is outside 1 … ${Math.min(k, n)} (the weight is ${layer.shape.join(' × ')})`);
  const { a, b } = given(computed, 'matrix') ?? (await lowRankFactors(m, rank, backend, scaling));
  const x = layer.node.input[0]!;
  const y = layer.node.output[0]!;
  const mid = fresh(model, `${layer.name}.lowrank`);
  const nodes: NodeProto[] = [];
  if (layer.op === 'MatMul') {
    const nameA = addInitializer(model, `${layer.weight}.lowrank_a`, a);
    const nameB = addInitializer(model, `${layer.weight}.lowrank_b`, b);
    nodes.push(
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_1`, opType: 'MatMul', input: [x, nameA], output: [mid] }),
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_2`, opType: 'MatMul', input: [mid, nameB], output: [y] }),
    );
  } else if (layer.op === 'Gemm') {
    const alpha = layer.node.attribute.find((t) => t.name === 'alpha');
    const beta = layer.node.attribute.find((t) => t.name === 'beta');
    const c = layer.node.input[2];
    const nameA = addInitializer(model, `${layer.weight}.lowrank_a`, a);
    const nameB = addInitializer(model, `${layer.weight}.lowrank_b`, b);
    nodes.push(
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_1`, opType: 'Gemm', input: [x, nameA], output: [mid], attribute: alpha ? [alpha] : [] }),
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_2`, opType: 'Gemm', input: c ? [mid, nameB, c] : [mid, nameB], output: [y], attribute: beta && c ? [beta] : [] }),
    );
  } else {
    const o = layer.shape[0]!;
    const first = new Tensor([rank, k, 1, 1]); // Aᵀ: I → r
    for (let i = 0; i < k; i++) for (let t = 0; t < rank; t++) first.data[t * k + i] = a.data[i * rank + t]!;
    const second = new Tensor([o, rank, 1, 1]); // Bᵀ: r → O
    for (let t = 0; t < rank; t++) for (let j = 0; j < o; j++) second.data[j * rank + t] = b.data[t * o + j]!;
    const n1 = addInitializer(model, `${layer.weight}.lowrank_in`, first);
    const n2 = addInitializer(model, `${layer.weight}.lowrank_out`, second);
    const keep = layer.node.attribute.filter((t) => ['strides', 'pads', 'dilations', 'auto_pad'].includes(t.name));
    const bias = layer.node.input[2];
    nodes.push(
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_1`, opType: 'Conv', input: [x, n1], output: [mid], attribute: [...keep, ints('kernel_shape', [1, 1])] }),
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_2`, opType: 'Conv', input: bias ? [mid, n2, bias] : [mid, n2], output: [y], attribute: [ints('kernel_shape', [1, 1])] }),
    );
  }
  replaceNode(model, layer.node, nodes);
  dropIfUnused(model, layer.weight);
  const approx = mul(fromTensor(a), fromTensor(b)).data;
  return { paramsBefore: k * n, paramsAfter: rank * (k + n), relError: relError64(m.data, approx), rank: [rank], ...(stats ? { outputError: stats.outputError(m.data, approx) } : {}) };
}

/** MatMul with weight W (K × N) → two MatMuls of rank r (see factorizeMatrix). */
export const factorizeMatMul = (model: ModelProto, layer: Layer, rank: number, backend: Backend, read?: ExternalReader, scaling?: Scaling): Promise<RewriteResult> => factorizeMatrix(model, layer, rank, backend, read, scaling);

/** The weight of a group-1 2-D convolution, checked; the layer's spatial attributes. */
async function convWeight(layer: Layer, what: string, read?: ExternalReader, known?: Tensor): Promise<Tensor> {
  const group = Number(layer.node.attribute.find((a) => a.name === 'group')?.i ?? 1n);
  if (group !== 1) throw new Error(`layer '${layer.name}' is a grouped convolution (group ${group}); ${what} rewrites group-1 convolutions only (exclude it)`);
  const w = known ?? (await weightTensor(layer.tensor, read));
  if (w.ndim !== 4) throw new Error(`layer '${layer.name}': a ${w.ndim}-D conv weight ${formatShape(w.shape)}; only 2-D convolutions (O × I × kh × kw) are rewritten`);
  return w;
}

/** Conv with weight W (O × I × kh × kw, group 1) → Tucker-2 as three convs; a 1×1 conv → its SVD as two. */
export async function factorizeConv(model: ModelProto, layer: Layer, ranks: [number, number], backend: Backend, read?: ExternalReader, stats?: LayerActivations, computed?: Computed): Promise<RewriteResult> {
  const node = layer.node;
  const w = await convWeight(layer, 'Tucker-2', read, computed?.weight);
  const [o, i, kh, kw] = w.shape as [number, number, number, number];
  const [ro, ri] = ranks;
  if (ro < 1 || ro > o || ri < 1 || ri > i) throw new Error(`layer '${layer.name}': ranks (${ro}, ${ri}) are outside 1 … ${o} (out) and 1 … ${i} (in) for a weight of ${formatShape(w.shape)}`);
  if (kh * kw === 1) return factorizeMatrix(model, layer, Math.min(ro, ri), backend, read, undefined, stats, computed);
  const x = node.input[0]!;
  const y = node.output[0]!;
  const bias = node.input[2];
  const t = given(computed, 'tucker2') ?? ((await layerFactors({ form: 'tucker2', weight: w, rank: [ro, ri], layer: layer.name }, backend)) as Extract<LayerFactors, { form: 'tucker2' }>);
  const { uOut, uIn } = t;
  const inW = new Tensor([ri, i, 1, 1]); // U_inᵀ
  for (let r = 0; r < ri; r++) for (let c = 0; c < i; c++) inW.data[r * i + c] = uIn.data[c * ri + r]!;
  const outW = new Tensor([o, ro, 1, 1], Float32Array.from(uOut.data)); // U_out
  const core = new Tensor([ro, ri, kh, kw], Float32Array.from(t.core.data));
  const nIn = addInitializer(model, `${layer.weight}.tucker_in`, inW);
  const nCore = addInitializer(model, `${layer.weight}.tucker_core`, core);
  const nOut = addInitializer(model, `${layer.weight}.tucker_out`, outW);
  const m1 = fresh(model, `${layer.name}.tucker_1`);
  const m2 = fresh(model, `${layer.name}.tucker_2`);
  const spatial = node.attribute.filter((a) => a.name !== 'group');
  replaceNode(model, node, [
    create(NodeProtoSchema, { name: `${layer.name}.tucker_in`, opType: 'Conv', input: [x, nIn], output: [m1], attribute: [ints('kernel_shape', [1, 1])] }),
    create(NodeProtoSchema, { name: `${layer.name}.tucker_core`, opType: 'Conv', input: [m1, nCore], output: [m2], attribute: spatial.length ? spatial : [ints('kernel_shape', [kh, kw])] }),
    create(NodeProtoSchema, { name: `${layer.name}.tucker_out`, opType: 'Conv', input: bias ? [m2, nOut, bias] : [m2, nOut], output: [y], attribute: [ints('kernel_shape', [1, 1])] }),
  ]);
  dropIfUnused(model, layer.weight);
  const result: RewriteResult = { paramsBefore: o * i * kh * kw, paramsAfter: ri * i + ro * ri * kh * kw + o * ro, relError: t.relError, rank: [ro, ri] };
  if (stats) {
    // Ŵ[a, b, s] = Σ_{p,q} U_out[a, p] G[p, q, s] U_in[b, q]
    const s2 = kh * kw;
    const approx = new Float64Array(w.size);
    const gi = new Float64Array(ro * i * s2); // G ×₁ U_in: ro × I × s
    for (let p = 0; p < ro; p++) for (let q = 0; q < ri; q++) for (let b = 0; b < i; b++) {
      const u = uIn.data[b * ri + q]!;
      for (let e = 0; e < s2; e++) gi[(p * i + b) * s2 + e]! += core.data[(p * ri + q) * s2 + e]! * u;
    }
    for (let a = 0; a < o; a++) for (let p = 0; p < ro; p++) {
      const u = uOut.data[a * ro + p]!;
      for (let e = 0; e < i * s2; e++) approx[a * i * s2 + e]! += u * gi[p * i * s2 + e]!;
    }
    result.outputError = convOutputError(layer, w, approx, stats);
  }
  return result;
}

/** The output error of a conv whose weight W (O × I·kh·kw) became Ŵ, on the calibration samples. */
function convOutputError(layer: Layer, w: Tensor, approx: Float64Array, stats: LayerActivations): number {
  const m = xSideMatrix(layer, w);
  const mh = xSideMatrix(layer, new Tensor(w.shape, Float32Array.from(approx)));
  return stats.outputError(m.data, Float64Array.from(mh.data));
}

/**
 * Conv with weight W (O × I × kh × kw, group 1) → CP of rank R as four convs (Lebedev et al. 2015):
 * a 1×1 conv I → R, a depthwise kh × 1 conv and a depthwise 1 × kw conv (R groups; the layer's
 * vertical and horizontal strides, pads and dilations split between them), and a 1×1 conv R → O
 * carrying the CP weights and the bias. The CP is ALS from an SVD start.
 */
export async function factorizeConvCp(model: ModelProto, layer: Layer, rank: number, backend: Backend, read?: ExternalReader, stats?: LayerActivations, computed?: Computed): Promise<RewriteResult> {
  const node = layer.node;
  const w = await convWeight(layer, 'CP', read, computed?.weight);
  const [o, i, kh, kw] = w.shape as [number, number, number, number];
  if (!Number.isInteger(rank) || rank < 1) throw new Error(`layer '${layer.name}': CP rank ${rank} must be a whole number ≥ 1`);
  const cp = given(computed, 'cp') ?? ((await layerFactors({ form: 'cp', weight: w, rank: [rank], layer: layer.name }, backend)) as Extract<LayerFactors, { form: 'cp' }>);
  const [fa, fb, fc, fd] = cp.factors as [Tensor, Tensor, Tensor, Tensor];
  const r = rank;
  const inW = new Tensor([r, i, 1, 1]);
  for (let t = 0; t < r; t++) for (let c = 0; c < i; c++) inW.data[t * i + c] = fb.data[c * r + t]!;
  const vW = new Tensor([r, 1, kh, 1]);
  for (let t = 0; t < r; t++) for (let e = 0; e < kh; e++) vW.data[t * kh + e] = fc.data[e * r + t]!;
  const hW = new Tensor([r, 1, 1, kw]);
  for (let t = 0; t < r; t++) for (let e = 0; e < kw; e++) hW.data[t * kw + e] = fd.data[e * r + t]!;
  const outW = new Tensor([o, r, 1, 1]);
  for (let a = 0; a < o; a++) for (let t = 0; t < r; t++) outW.data[a * r + t] = fa.data[a * r + t]! * cp.weights.data[t]!;
  const get = (name: string, fallback: number[]) => {
    const a = node.attribute.find((x) => x.name === name);
    return a && a.ints.length ? a.ints.map(Number) : fallback;
  };
  const [sh, sw] = get('strides', [1, 1]) as [number, number];
  const [dh, dw] = get('dilations', [1, 1]) as [number, number];
  const [pt, pl, pb, pr] = get('pads', [0, 0, 0, 0]) as [number, number, number, number];
  const autoPad = node.attribute.filter((a) => a.name === 'auto_pad');
  const padsOf = (p: number[]) => (autoPad.length ? autoPad : [ints('pads', p)]);
  const groups = create(AttributeProtoSchema, { name: 'group', type: AttributeProto_AttributeType.INT, i: BigInt(r) });
  const names = [addInitializer(model, `${layer.weight}.cp_in`, inW), addInitializer(model, `${layer.weight}.cp_vertical`, vW), addInitializer(model, `${layer.weight}.cp_horizontal`, hW), addInitializer(model, `${layer.weight}.cp_out`, outW)];
  const mids = [1, 2, 3].map((k) => fresh(model, `${layer.name}.cp_${k}`));
  const bias = node.input[2];
  replaceNode(model, node, [
    create(NodeProtoSchema, { name: `${layer.name}.cp_in`, opType: 'Conv', input: [node.input[0]!, names[0]!], output: [mids[0]!], attribute: [ints('kernel_shape', [1, 1])] }),
    create(NodeProtoSchema, { name: `${layer.name}.cp_vertical`, opType: 'Conv', input: [mids[0]!, names[1]!], output: [mids[1]!], attribute: [ints('kernel_shape', [kh, 1]), ints('strides', [sh, 1]), ints('dilations', [dh, 1]), ...padsOf([pt, 0, pb, 0]), groups] }),
    create(NodeProtoSchema, { name: `${layer.name}.cp_horizontal`, opType: 'Conv', input: [mids[1]!, names[2]!], output: [mids[2]!], attribute: [ints('kernel_shape', [1, kw]), ints('strides', [1, sw]), ints('dilations', [1, dw]), ...padsOf([0, pl, 0, pr]), groups] }),
    create(NodeProtoSchema, { name: `${layer.name}.cp_out`, opType: 'Conv', input: bias ? [mids[2]!, names[3]!, bias] : [mids[2]!, names[3]!], output: [node.output[0]!], attribute: [ints('kernel_shape', [1, 1])] }),
  ]);
  dropIfUnused(model, layer.weight);
  // Ŵ[a, b, p, q] = Σ_t outW[a, t] · B[b, t] · C[p, t] · D[q, t]
  const approx = new Float64Array(w.size);
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
    let acc = 0;
    for (let t = 0; t < r; t++) acc += outW.data[a * r + t]! * fb.data[b * r + t]! * fc.data[p * r + t]! * fd.data[q * r + t]!;
    approx[((a * i + b) * kh + p) * kw + q] = acc;
  }
  const result: RewriteResult = { paramsBefore: w.size, paramsAfter: r * (i + kh + kw + o), relError: relError64(w.data, approx), rank: [r] };
  if (stats) result.outputError = convOutputError(layer, w, approx, stats);
  return result;
}

/**
 * A layer's weight kept as its k largest coefficients in a transform domain (engine/model/transform.ts)
 * and replaced by their inverse transform: the graph keeps its structure and dense weights (a runtime
 * cannot use the compact form without a custom op); paramsAfter counts the compact form, values and
 * positions. Works on any layer's weight as its rows × cols matrix (a conv's O × (I/g·kh·kw)); `coefficients`:
 * its forward transform, when the caller has it.
 */
export async function transformWeight(model: ModelProto, layer: Layer, k: number, spec: TransformSpec, read?: ExternalReader, stats?: LayerActivations, coefficients?: Tensor): Promise<RewriteResult & { positions: Uint32Array; values: Float32Array }> {
  const w = await weightTensor(layer.tensor, read);
  const [rows, cols] = [layer.rows, layer.cols];
  const c = coefficients ?? (await forwardTransform(w.data, rows, cols, spec));
  if (!Number.isInteger(k) || k < 1 || k > c.size) throw new Error(`layer '${layer.name}': ${k} coefficients are outside 1 … ${c.size} (its ${spec.kind} grid is ${c.shape.join(' × ')})`);
  const positions = largest(c.data, k);
  const kept = new Tensor(c.shape);
  const values = new Float32Array(k);
  positions.forEach((p, i) => {
    kept.data[p] = c.data[p]!;
    values[i] = c.data[p]!;
  });
  const approx = await inverseTransform(kept, rows, cols, spec);
  return { ...denseReplacement(model, layer, w, approx, spec.kind, coefficientParams(k, c.size), [k], stats), positions, values };
}

/** The layer's weight replaced by a dense approximation (in the weight's own shape) under the name
 * `<weight>.<suffix>`, with its weight error and, given the layer's calibration, its output error. */
function denseReplacement(model: ModelProto, layer: Layer, w: Tensor, approx: Float64Array, suffix: string, paramsAfter: number, rank: number[], stats?: LayerActivations): RewriteResult {
  const dense = new Tensor(w.shape, Float32Array.from(approx));
  layer.node.input[1] = addInitializer(model, `${layer.weight}.${suffix}`, dense);
  dropIfUnused(model, layer.weight);
  const result: RewriteResult = { paramsBefore: layer.rows * layer.cols, paramsAfter, relError: relError64(w.data, approx), rank };
  if (stats) result.outputError = stats.outputError(xSideMatrix(layer, w).data, Float64Array.from(xSideMatrix(layer, dense).data));
  return result;
}

/**
 * A layer's weight as WaRA-style low-rank wavelet subbands (engine/model/subbands.ts): each subband of
 * its DWT at its own rank, replaced by the inverse DWT (dense in the graph, as transformWeight);
 * paramsAfter counts the subbands' factors.
 */
export async function subbandWeight(model: ModelProto, layer: Layer, ls: LayerSubbands, ranks: readonly number[], read?: ExternalReader, stats?: LayerActivations): Promise<RewriteResult & { factors: { name: string; left: Tensor; right: Tensor }[] }> {
  const w = await weightTensor(layer.tensor, read);
  const { weight, factors } = await subbandApproximation(ls, ranks);
  return { ...denseReplacement(model, layer, w, weight, 'subbands', subbandParams(ls, ranks), [...ranks], stats), factors };
}
