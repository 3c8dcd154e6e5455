// Small ONNX models built in tests: typed inputs (fixed or symbolic dims), attributes, float32
// initializers, Gaussian tensors from a seed.
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, GraphProtoSchema, ModelProtoSchema, TensorProtoSchema, TensorProto_DataType, ValueInfoProtoSchema, type ModelProto, type NodeProto } from 'onnx-buf';
import { RandomSource, Tensor, setWeight } from '../engine';

const dimsOf = (dims: (number | string)[]) => dims.map((d) => (typeof d === 'number' ? { value: { case: 'dimValue' as const, value: BigInt(d) } } : { value: { case: 'dimParam' as const, value: d } }));
export const input = (name: string, dims: (number | string)[]) => create(ValueInfoProtoSchema, { name, type: { value: { case: 'tensorType', value: { elemType: TensorProto_DataType.FLOAT, shape: { dim: dimsOf(dims) } } } } });
export const ints = (name: string, v: number[]) => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: v.map(BigInt) });
export const int = (name: string, v: number) => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(v) });
export const float = (name: string, v: number) => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: v });
export const text = (name: string, v: string) => create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(v) });
export const weight = (name: string, t: Tensor) => {
  const p = create(TensorProtoSchema, { name, dataType: TensorProto_DataType.FLOAT });
  setWeight(p, t);
  return p;
};
export const gaussian = (shape: number[], seed: number) => {
  const t = new Tensor(shape);
  new RandomSource(seed).fillNormal(t.data);
  return t;
};
/** One input x, one output y, these initializers and nodes (opset 13). */
export const modelOf = (x: (number | string)[], weights: [string, Tensor][], nodes: NodeProto[]): ModelProto =>
  create(ModelProtoSchema, {
    irVersion: 8n,
    opsetImport: [{ domain: '', version: 13n }],
    graph: create(GraphProtoSchema, { name: 'g', input: [input('x', x)], output: [create(ValueInfoProtoSchema, { name: 'y' })], initializer: weights.map(([n, t]) => weight(n, t)), node: nodes }),
  });
