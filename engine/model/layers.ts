// The layers of an ONNX model that low-rank methods compress: MatMul, Gemm, Conv and ConvTranspose
// nodes whose weight is a constant of the graph (an initializer or a Constant node's value).
import type { ModelProto, NodeProto, TensorProto } from '../io/onnx';
import { weightsOf } from '../io/onnx';
import { eigh, gramRows } from '../linalg';

export type LayerOp = 'MatMul' | 'Gemm' | 'Conv' | 'ConvTranspose';

export interface Layer {
  /** The node's name (or, unnamed, its weight's). */
  name: string;
  op: LayerOp;
  node: NodeProto;
  /** The weight's name and proto. */
  weight: string;
  tensor: TensorProto;
  shape: number[];
  /** The weight as a matrix: MatMul K × N (y = x·W), Gemm as stored, Conv O × (I/g·kh·kw),
   * ConvTranspose I × (O/g·kh·kw). */
  rows: number;
  cols: number;
}

const OPS: readonly LayerOp[] = ['MatMul', 'Gemm', 'Conv', 'ConvTranspose'];

export function layersOf(model: ModelProto): Layer[] {
  const weights = weightsOf(model);
  const out: Layer[] = [];
  for (const node of model.graph!.node) {
    if (!OPS.includes(node.opType as LayerOp) || node.domain) continue;
    const weight = node.input[1];
    const tensor = weight ? weights.get(weight) : undefined;
    if (!weight || !tensor) continue; // activations times activations (attention): nothing to compress
    const shape = tensor.dims.map(Number);
    if (shape.length < 2) continue;
    const rows = shape[0]!;
    const cols = shape.slice(1).reduce((a, b) => a * b, 1);
    out.push({ name: node.name || weight, op: node.opType as LayerOp, node, weight, tensor, shape, rows, cols });
  }
  return out;
}

/** The layer of that name, or an error listing a few that exist. */
export function layerNamed(model: ModelProto, name: string): Layer {
  const all = layersOf(model);
  const hit = all.find((l) => l.name === name || l.weight === name);
  if (hit) return hit;
  const some = all.slice(0, 8).map((l) => l.name);
  throw new Error(`no compressible layer named '${name}' (this model has ${all.length}: ${some.join(', ')}${all.length > 8 ? ', …' : ''}); model.layers lists them`);
}

/** The singular values of a rows × cols matrix (row-major), descending, from the eigenvalues of its
 * smaller Gram matrix in float64 (a summary's accuracy: values below ~1e-8·σ₁ read as 0). */
export function singularValuesOf(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const wide = rows <= cols;
  const [m, n] = wide ? [rows, cols] : [cols, rows];
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[wide ? i * cols + j : j * rows + i] = data[i * cols + j]!;
  const g = gramRows(a, m, n);
  return Float64Array.from(eigh(g).values, (l) => Math.sqrt(Math.max(0, l)));
}
