import { z } from 'zod';
import { defineNode, entryTensor, layerNamed, weightTensor } from '../../engine';
import { externalReader } from '../source/onnx';

export const modelWeight = defineNode({
  type: 'model.weight',
  title: 'Layer weight',
  category: 'model',
  description: 'One layer\'s weight as a tensor, as stored (MatMul K × N, Gemm as stored, Conv O × I/g × kh × kw), or one named tensor of a .safetensors checkpoint, for any decomposition or view node.',
  typeVersion: 1,
  inputs: [{ name: 'model', type: ['model', 'weights'], doc: 'an ONNX model, or the named tensors of a checkpoint' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the weight, float32' }],
  params: z.object({
    layer: z.string().min(1, 'name a layer (model.layers lists them)').describe('the layer\'s node name (or its weight\'s name), as model.layers lists it'),
  }),
  async run({ model }, p, ctx) {
    if (model.kind === 'weights') {
      const entry = model.file.entries.find((e) => e.name === p.layer);
      if (!entry) throw new Error(`param 'layer': ${model.name} has no tensor named '${p.layer}' (it has ${model.file.entries.length}: ${model.file.entries.slice(0, 6).map((e) => e.name).join(', ')}${model.file.entries.length > 6 ? ', …' : ''})`);
      return { tensor: entryTensor(entry) };
    }
    let layer;
    try {
      layer = layerNamed(model.proto, p.layer);
    } catch (e) {
      throw new Error(`param 'layer': ${(e as Error).message}`);
    }
    return { tensor: await weightTensor(layer.tensor, externalReader(ctx, model.name)) };
  },
});
