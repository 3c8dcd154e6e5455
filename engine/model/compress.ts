// Low-rank rewrites of a model's layers, in the graph itself, so the result runs in any ONNX runtime:
//   MatMul  y = x·W, W (K × N) ≈ U_r S_r V_rᵀ  →  y = (x·A)·B, A = U_r √S_r (K × r), B = √S_r V_rᵀ (r × N);
//   Conv    W (O × I × kh × kw) ≈ G ×₀ U_out ×₁ U_in (Tucker-2)  →  a 1×1 conv by U_inᵀ (I → R_i), the
//           kh×kw conv by G (R_i → R_o) with the layer's pads, strides and dilations, and a 1×1 conv
//           by U_out (R_o → O) carrying the bias; a 1×1 conv is the SVD case: two 1×1 convs.
// The replaced weight is dropped when nothing else reads it. Grouped convolutions are left alone.
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, NodeProtoSchema, TensorProtoSchema, TensorProto_DataType, type ModelProto, type NodeProto } from 'onnx-buf';
import type { Backend } from '../backend';
import { RandomSource } from '../random';
import { Tensor, formatShape } from '../tensor';
import { setWeight, weightTensor, type ExternalReader } from '../io/onnx';
import type { Layer } from './layers';
import { relError64 } from '../decomp/dense64';

export interface RewriteResult {
  /** Numbers stored before and after (the layer's weight only; a bias is kept as it is). */
  paramsBefore: number;
  paramsAfter: number;
  /** ‖W − Ŵ‖F / ‖W‖F of the factorized weight. */
  relError: number;
  rank: number[];
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

/** A new float32 initializer of the model. */
function addInitializer(model: ModelProto, name: string, t: Tensor): void {
  const proto = create(TensorProtoSchema, { name, dataType: TensorProto_DataType.FLOAT });
  setWeight(proto, t);
  model.graph!.initializer.push(proto);
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

/** MatMul with weight W (K × N) → two MatMuls of rank r (plain truncated SVD of W, or of S·W for an
 * activation-aware method, S a K × K scaling whose inverse is applied to the first factor). */
export async function factorizeMatMul(model: ModelProto, layer: Layer, rank: number, backend: Backend, read?: ExternalReader, scaling?: { s: Float64Array; inverse: Float64Array }): Promise<RewriteResult> {
  const w = await weightTensor(layer.tensor, read);
  if (w.ndim !== 2) throw new Error(`layer '${layer.name}': a MatMul weight of ${formatShape(w.shape)} is not a matrix; only 2-D weights are factorized`);
  const [k, n] = w.shape as [number, number];
  if (rank < 1 || rank > Math.min(k, n)) throw new Error(`layer '${layer.name}': rank ${rank} is outside 1 … ${Math.min(k, n)} (the weight is ${k} × ${n})`);
  // Activation-aware: factorize S·W (S K × K), then A = S⁻¹·U_r √S_r, so x·A·B = x·S⁻¹·(S·W)_r.
  const target = scaling ? matmul64(scaling.s, k, w) : w;
  const svd = await backend.truncatedSvd(target, { rank, method: 'exact', oversample: 0, powerIters: 0, random: new RandomSource(0) });
  const { left: a, right: b } = await splitSvd(svd.value.u, svd.value.s, svd.value.v);
  const aFinal = scaling ? matmul64(scaling.inverse, k, a) : a;
  const nameA = fresh(model, `${layer.weight}.lowrank_a`);
  addInitializer(model, nameA, aFinal);
  const nameB = fresh(model, `${layer.weight}.lowrank_b`);
  addInitializer(model, nameB, b);
  const mid = fresh(model, `${layer.name}.lowrank`);
  const x = layer.node.input[0]!;
  const y = layer.node.output[0]!;
  replaceNode(model, layer.node, [
    create(NodeProtoSchema, { name: `${layer.name}.lowrank_1`, opType: 'MatMul', input: [x, nameA], output: [mid] }),
    create(NodeProtoSchema, { name: `${layer.name}.lowrank_2`, opType: 'MatMul', input: [mid, nameB], output: [y] }),
  ]);
  dropIfUnused(model, layer.weight);
  return { paramsBefore: k * n, paramsAfter: rank * (k + n), relError: relErrorOf(w, aFinal, b), rank: [rank] };
}

/** ‖W − A·B‖F / ‖W‖F, the product formed in float64 (relError64 the ratio). */
function relErrorOf(w: Tensor, a: Tensor, b: Tensor): number {
  const [k, n] = w.shape as [number, number];
  const r = a.shape[1]!;
  const ab = new Float64Array(k * n);
  for (let i = 0; i < k; i++)
    for (let t = 0; t < r; t++) {
      const x = a.data[i * r + t]!;
      for (let j = 0; j < n; j++) ab[i * n + j]! += x * b.data[t * n + j]!;
    }
  return relError64(w.data, ab);
}

/** S (k × k, row-major float64) times a k × c tensor. */
function matmul64(s: Float64Array, k: number, x: Tensor): Tensor {
  const c = x.size / k;
  const out = new Tensor([k, c]);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < c; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += s[i * k + t]! * x.data[t * c + j]!;
      out.data[i * c + j] = acc;
    }
  return out;
}

/** Conv with weight W (O × I × kh × kw, group 1) → Tucker-2 as three convs (two for a 1×1 conv). */
export async function factorizeConv(model: ModelProto, layer: Layer, ranks: [number, number], backend: Backend, read?: ExternalReader): Promise<RewriteResult> {
  const node = layer.node;
  const group = Number(node.attribute.find((a) => a.name === 'group')?.i ?? 1n);
  if (group !== 1) throw new Error(`layer '${layer.name}' is a grouped convolution (group ${group}); Tucker-2 rewrites group-1 convolutions only (exclude it)`);
  const w = await weightTensor(layer.tensor, read);
  if (w.ndim !== 4) throw new Error(`layer '${layer.name}': a ${w.ndim}-D conv weight ${formatShape(w.shape)}; only 2-D convolutions (O × I × kh × kw) are rewritten`);
  const [o, i, kh, kw] = w.shape as [number, number, number, number];
  const [ro, ri] = ranks;
  if (ro < 1 || ro > o || ri < 1 || ri > i) throw new Error(`layer '${layer.name}': ranks (${ro}, ${ri}) are outside 1 … ${o} (out) and 1 … ${i} (in) for a weight of ${formatShape(w.shape)}`);
  const x = node.input[0]!;
  const y = node.output[0]!;
  const bias = node.input[2];
  const pointwise = kh === 1 && kw === 1;
  if (pointwise) {
    // A 1×1 conv is a matrix O × I: its SVD as two 1×1 convs (I → r → O), r = min(ro, ri).
    const r = Math.min(ro, ri);
    const svd = await backend.truncatedSvd(new Tensor([o, i], w.data), { rank: r, method: 'exact', oversample: 0, powerIters: 0, random: new RandomSource(0) });
    const { left, right } = await splitSvd(svd.value.u, svd.value.s, svd.value.v);
    const first = right.reshaped([r, i, 1, 1]); // √S Vᵀ
    const second = left.reshaped([o, r, 1, 1]); // U √S
    const n1 = fresh(model, `${layer.weight}.lowrank_in`);
    addInitializer(model, n1, first);
    const n2b = fresh(model, `${layer.weight}.lowrank_out`);
    addInitializer(model, n2b, second);
    const mid = fresh(model, `${layer.name}.lowrank`);
    const keep = node.attribute.filter((a) => ['strides', 'pads', 'dilations', 'auto_pad'].includes(a.name));
    replaceNode(model, node, [
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_1`, opType: 'Conv', input: [x, n1], output: [mid], attribute: [...keep, ints('kernel_shape', [1, 1])] }),
      create(NodeProtoSchema, { name: `${layer.name}.lowrank_2`, opType: 'Conv', input: bias ? [mid, n2b, bias] : [mid, n2b], output: [y], attribute: [ints('kernel_shape', [1, 1])] }),
    ]);
    dropIfUnused(model, layer.weight);
    const rel = relErrorOf(new Tensor([o, i], w.data), new Tensor([o, r], second.data), new Tensor([r, i], first.data));
    return { paramsBefore: o * i, paramsAfter: r * (o + i), relError: rel, rank: [r] };
  }
  const t = await backend.tucker(w, { ranks: [ro, ri, null, null], modes: [0, 1], method: 'hooi', init: 'svd', maxIter: 50, tol: 1e-8, random: new RandomSource(0) });
  const [uOut, uIn] = [t.factors[0]!, t.factors[1]!];
  await Promise.all([t.core.materialize(), uOut.materialize(), uIn.materialize()]);
  const inW = new Tensor([ri, i, 1, 1]); // U_inᵀ
  for (let r = 0; r < ri; r++) for (let c = 0; c < i; c++) inW.data[r * i + c] = uIn.data[c * ri + r]!;
  const outW = new Tensor([o, ro, 1, 1], Float32Array.from(uOut.data)); // U_out
  const core = new Tensor([ro, ri, kh, kw], Float32Array.from(t.core.data));
  const nIn = fresh(model, `${layer.weight}.tucker_in`);
  addInitializer(model, nIn, inW);
  const nCoreName = fresh(model, `${layer.weight}.tucker_core`);
  addInitializer(model, nCoreName, core);
  const nOutName = fresh(model, `${layer.weight}.tucker_out`);
  addInitializer(model, nOutName, outW);
  const m1 = fresh(model, `${layer.name}.tucker_1`);
  const m2 = fresh(model, `${layer.name}.tucker_2`);
  const spatial = node.attribute.filter((a) => a.name !== 'group');
  replaceNode(model, node, [
    create(NodeProtoSchema, { name: `${layer.name}.tucker_in`, opType: 'Conv', input: [x, nIn], output: [m1], attribute: [ints('kernel_shape', [1, 1])] }),
    create(NodeProtoSchema, { name: `${layer.name}.tucker_core`, opType: 'Conv', input: [m1, nCoreName], output: [m2], attribute: spatial.length ? spatial : [ints('kernel_shape', [kh, kw])] }),
    create(NodeProtoSchema, { name: `${layer.name}.tucker_out`, opType: 'Conv', input: bias ? [m2, nOutName, bias] : [m2, nOutName], output: [y], attribute: [ints('kernel_shape', [1, 1])] }),
  ]);
  dropIfUnused(model, layer.weight);
  return { paramsBefore: o * i * kh * kw, paramsAfter: ri * i + ro * ri * kh * kw + o * ro, relError: t.relError, rank: [ro, ri] };
}
