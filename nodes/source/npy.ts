import { z } from 'zod';
import { defineNode, readNpy } from '../../engine';

export const sourceNpy = defineNode({
  type: 'source.npy',
  title: 'NumPy array (.npy)',
  category: 'source',
  description: 'Loads a tensor from a .npy file (float32/float64/uint8/int32, C or Fortran order) as float32.',
  typeVersion: 1,
  inputs: [],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the array, float32, C order' }],
  params: z.object({
    path: z.string().min(1, 'give the path of a .npy file').describe('path of the .npy file, relative to the graph file'),
  }),
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const bytes = await ctx.files.read(params.path);
    return { tensor: readNpy(bytes, params.path) };
  },
});
