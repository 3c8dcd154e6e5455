import { z } from 'zod';
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
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, ".", "_" and "-" only (no folders)')
      .default('output')
      .describe('file name; ".npy" is added if missing'),
    dtype: z.enum(['float32', 'float64']).default('float32').describe('dtype written to the file'),
  }),
  async run({ tensor }, params, ctx) {
    const file = params.name.endsWith('.npy') ? params.name : `${params.name}.npy`;
    await ctx.output.write(file, writeNpy(tensor, params.dtype === 'float64' ? '<f8' : '<f4'));
    return {};
  },
});
