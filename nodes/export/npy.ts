import { z } from 'zod';
import { fileNameParam, withExtension } from './common';
import { defineNode, writeNpy } from '../../engine';

export const exportNpy = defineNode({
  type: 'export.npy',
  title: 'Save .npy',
  category: 'export',
  description: 'Writes its input as <out>/<name>.npy (headless runs: the output folder).',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'the tensor to save' }],
  outputs: [],
  params: z.object({
    name: fileNameParam('output', '.npy'),
    dtype: z.enum(['float32', 'float64']).default('float32').describe('dtype written to the file'),
  }),
  async run({ tensor }, params, ctx) {
    const file = withExtension(params.name, '.npy');
    await ctx.output.write(file, writeNpy(tensor, params.dtype === 'float64' ? '<f8' : '<f4'));
    return {};
  },
});
