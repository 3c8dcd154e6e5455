import { z } from 'zod';
import { defineNode, weightCount, writeOnnx, type Metrics } from '../../engine';

export const exportOnnx = defineNode({
  type: 'export.onnx',
  title: 'Save .onnx',
  category: 'export',
  description: 'Writes a model as <out>/<name>.onnx (headless runs: the output folder), ready for onnxruntime or any ONNX runtime; reports its params and bytes, and with the model it was made from, what was saved.',
  typeVersion: 1,
  inputs: [
    { name: 'model', type: 'model', doc: 'the model to save' },
    { name: 'reference', type: 'model', doc: 'the model it was made from (e.g. the original), to report the params and bytes saved', optional: true },
  ],
  outputs: [{ name: 'info', type: 'metrics', doc: 'params and bytes of the file; with a reference, paramsSaved, bytesSaved and their ratio' }],
  params: z.object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, ".", "_" and "-" only (no folders)')
      .default('model')
      .describe('file name; ".onnx" is added if missing'),
  }),
  async run({ model, reference }, p, ctx) {
    const bytes = writeOnnx(model.proto);
    await ctx.output.write(p.name.endsWith('.onnx') ? p.name : `${p.name}.onnx`, bytes);
    const params = weightCount(model.proto);
    const info: Metrics = {
      params: { value: params, unit: 'values', doc: 'numbers in the model\'s weights (initializers and Constant nodes)' },
      bytes: { value: bytes.length, unit: 'B', doc: 'size of the .onnx file (external data not included)' },
    };
    if (reference) {
      const [refParams, refBytes] = [weightCount(reference.proto), writeOnnx(reference.proto).length];
      info.paramsSaved = { value: refParams - params, unit: 'values', doc: `params of '${reference.name}' not in this model` };
      info.bytesSaved = { value: refBytes - bytes.length, unit: 'B', doc: `bytes of '${reference.name}' as .onnx not in this file` };
      info.sizeRatio = { value: refBytes === 0 ? 1 : bytes.length / refBytes, unit: '', doc: 'this file\'s bytes / the reference\'s' };
    }
    return { info };
  },
});
