import { z } from 'zod';
import { defineNode, writeSafetensors } from '../../engine';

export const exportSafetensors = defineNode({
  type: 'export.safetensors',
  title: 'Save .safetensors',
  category: 'export',
  description: 'Writes named tensors as <out>/<name>.safetensors (headless runs: the output folder), dtypes and metadata as they are.',
  typeVersion: 1,
  inputs: [{ name: 'weights', type: 'weights', doc: 'the named tensors to save' }],
  outputs: [],
  params: z.object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use letters, digits, ".", "_" and "-" only (no folders)')
      .default('weights')
      .describe('file name; ".safetensors" is added if missing'),
  }),
  async run({ weights }, p, ctx) {
    await ctx.output.write(p.name.endsWith('.safetensors') ? p.name : `${p.name}.safetensors`, writeSafetensors(weights.file));
    return {};
  },
});
