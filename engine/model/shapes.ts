// Shapes around a layer: the model's input shape with its symbolic dims given, a convolution's
// output geometry (pads, strides, dilations, auto_pad), and multiply–accumulates (MACs) of a layer
// and of its low-rank rewrites, counted from the shapes of its input and output on one run.
import type { ModelProto, NodeProto } from '../io/onnx';
import type { Layer } from './layers';

/** The model's first input shape, symbolic dims (dim_param) taken from `dims`; the names still
 * missing are listed (the shape has NaN there). */
export function modelInputShape(model: ModelProto, dims: Readonly<Record<string, number>>): { name: string; shape: number[]; missing: string[] } {
  const input = model.graph!.input.find((i) => !model.graph!.initializer.some((t) => t.name === i.name));
  if (!input) throw new Error('the model has no graph input to feed');
  const type = input.type?.value;
  if (type?.case !== 'tensorType' || !type.value.shape) throw new Error(`the model's input '${input.name}' is not a tensor of known rank`);
  const missing: string[] = [];
  const shape = type.value.shape.dim.map((d, k) => {
    if (d.value.case === 'dimValue') return Number(d.value.value);
    const name = d.value.case === 'dimParam' ? d.value.value : `${input.name}[${k}]`;
    if (dims[name] !== undefined) return dims[name]!;
    missing.push(name);
    return NaN;
  });
  return { name: input.name, shape, missing };
}

const attr = (node: NodeProto, name: string) => node.attribute.find((a) => a.name === name);
const intsOf = (node: NodeProto, name: string, fallback: number[]) => {
  const a = attr(node, name);
  return a && a.ints.length ? a.ints.map(Number) : fallback;
};

export interface ConvGeometry {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  out: [number, number];
}

/** Where a 2-D convolution's outputs sit on its input of H × W (ONNX Conv semantics, auto_pad included). */
export function convGeometry(node: NodeProto, kernel: [number, number], h: number, w: number): ConvGeometry {
  const [sh, sw] = intsOf(node, 'strides', [1, 1]) as [number, number];
  const [dh, dw] = intsOf(node, 'dilations', [1, 1]) as [number, number];
  const autoPad = attr(node, 'auto_pad') ? new TextDecoder().decode(attr(node, 'auto_pad')!.s) : 'NOTSET';
  const [kh, kw] = kernel;
  let pads = intsOf(node, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const total = (size: number, s: number, d: number, k: number) => Math.max(0, (Math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size);
    const [th, tw] = [total(h, sh, dh, kh), total(w, sw, dw, kw)];
    const lo = (t: number) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
    pads = [lo(th), lo(tw), th - lo(th), tw - lo(tw)];
  }
  const out = (size: number, p0: number, p1: number, k: number, s: number, d: number) => Math.floor((size + p0 + p1 - d * (k - 1) - 1) / s) + 1;
  return { kernel, strides: [sh, sw], dilations: [dh, dw], pads, out: [out(h, pads[0], pads[2], kh, sh, dh), out(w, pads[1], pads[3], kw, sw, dw)] };
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** MACs of the layer on an input of `x` giving an output of `y`: MatMul and Gemm (outputs × K), Conv
 * (outputs × I/g·kh·kw), ConvTranspose (inputs × O/g·kh·kw). */
export function layerMacs(l: Layer, x: readonly number[], y: readonly number[]): number {
  if (l.op === 'Conv') return count(y) * l.cols;
  if (l.op === 'ConvTranspose') return count(x) * l.cols;
  return (count(y) / outputsPerRow(l)) * l.rows * l.cols; // rows of y × K × N
}

/** A MatMul's or Gemm's N, the size of one output row. */
function outputsPerRow(l: Layer): number {
  if (l.op === 'Gemm') return Number(attr(l.node, 'transB')?.i ?? 0n) ? l.rows : l.cols;
  return l.cols;
}

/**
 * MACs of a rewrite of the layer at these ranks, on the same input and output:
 *  - two matrices of rank r (MatMul, Gemm, 1×1 conv): rows × r·(K + N), the first product at the
 *    output's positions (a 1×1 conv keeps its strides on the first conv);
 *  - Tucker-2 (ranks [r_o, r_i]): r_i·I at every input position, r_o·r_i·kh·kw and O·r_o at every output position;
 *  - CP of rank R (Lebedev et al.): R·I at every input position, R·kh at the positions after the
 *    vertical pass, R·kw + O·R at every output position.
 */
export function rewriteMacs(l: Layer, method: 'matrix' | 'tucker2' | 'cp', rank: readonly number[], x: readonly number[], y: readonly number[]): number {
  if (method === 'matrix') {
    if (l.op === 'Conv') return (count(y) / l.rows) * rank[0]! * (l.rows + l.cols);
    const rows = count(y) / outputsPerRow(l);
    return rows * rank[0]! * (l.rows + l.cols);
  }
  const [o, i, kh, kw] = l.shape as [number, number, number, number];
  const inPositions = count(x) / i;
  const outPositions = count(y) / o;
  if (method === 'tucker2') {
    const [ro, ri] = rank as [number, number];
    return inPositions * ri * i + outPositions * (ro * ri * kh * kw + o * ro);
  }
  const r = rank[0]!;
  // The vertical pass has the output's height and the input's width (its horizontal stride is 1).
  const midPositions = (outPositions / y[y.length - 1]!) * x[x.length - 1]!;
  return inPositions * r * i + midPositions * r * kh + outPositions * (r * kw + o * r);
}
