import { z } from 'zod';
import { defineNode, readSafetensors } from '../../engine';

export const sourceSafetensors = defineNode({
  type: 'source.safetensors',
  title: 'Weights (.safetensors)',
  category: 'source',
  description: 'Loads the named tensors of a .safetensors file (PEFT adapters, Hugging Face checkpoints) with their dtypes and metadata; model.weight takes one out by name.',
  typeVersion: 1,
  inputs: [],
  outputs: [{ name: 'weights', type: 'weights', doc: 'the named tensors, as stored' }],
  params: z.object({
    path: z.string().min(1, 'give the path of a .safetensors file').describe('path of the .safetensors file, relative to the graph file'),
  }),
  files: (p) => [p.path],
  async run(_inputs, p, ctx) {
    return { weights: { kind: 'weights' as const, name: p.path, file: readSafetensors(await ctx.files.read(p.path), p.path) } };
  },
});
