// A neural network as an ONNX model: its graph, weights (initializers and Constant nodes), opset
// and inputs/outputs, kept as the decoded protobuf so an unedited model is written back byte for byte.
import type { ModelProto } from '../io/onnx';
import { weightCount } from '../io/onnx';
import { layersOf } from '../model/layers';
import type { ValueKind } from './kind';

export interface ModelValue {
  kind: 'model';
  /** The file it came from (messages, exports). */
  name: string;
  proto: ModelProto;
}

export const modelKind = {
  kind: 'model',
  doc: 'an ONNX model: its graph, its weights (initializers and Constant nodes), opset, inputs and outputs',
  color: '#64748b',
  example: (): ModelValue => ({ kind: 'model', name: 'empty.onnx', proto: { graph: { node: [], initializer: [], input: [], output: [] }, opsetImport: [] } as unknown as ModelProto }),
  summary: (m) => {
    const g = m.proto.graph;
    const opset = m.proto.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
    return { parameters: g ? weightCount(m.proto) : 0, about: `${m.name}: ${g?.node.length ?? 0} nodes, ${g ? layersOf(m.proto).length : 0} compressible layers${opset !== undefined ? `, opset ${opset}` : ''}` };
  },
  tensors: () => [],
  preview: async () => null,
  noPreview: 'a model has no picture of its own: model.layers lists its layers, model.weight takes one out',
} satisfies ValueKind<'model', ModelValue>;
