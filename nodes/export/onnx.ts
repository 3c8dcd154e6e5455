import { z } from 'zod';
import { defineNode, writeOnnx } from '../../engine';

export const exportOnnx = defineNode({
  type: 'export.onnx',
  title: 'Save .onnx',
  category: 'export',
  description: 'Writes a model as <out>/<name>.onnx (headless runs: the output folder), ready for onnxruntime or any ONNX runtime.',
  typeVersion: 1,
  inputs: [{ name: 'model', type: 'model', doc: 'the model to save' }],
  outputs: [],
  params: z.object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, ".", "_" and "-" only (no folders)')
      .default('model')
      .describe('file name; ".onnx" is added if missing'),
  }),
  async run({ model }, p, ctx) {
    await ctx.output.write(p.name.endsWith('.onnx') ? p.name : `${p.name}.onnx`, writeOnnx(model.proto));
    return {};
  },
});
