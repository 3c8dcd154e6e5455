import { z } from 'zod';
import { decodeImage, defineNode } from '../../engine';

export const sourceImage = defineNode({
  type: 'source.image',
  title: 'Image (PNG/JPEG)',
  category: 'source',
  description: 'Loads a PNG or JPEG image as an H×W (gray) or H×W×3 (rgb) tensor with values in [0, 1].',
  typeVersion: 1,
  inputs: [],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'H×W or H×W×3, values in [0, 1]' }],
  params: z.object({
    path: z.string().min(1, 'give the path of a PNG or JPEG file').describe('path of the image, relative to the graph file'),
    mode: z.enum(['gray', 'rgb']).default('gray').describe('gray: BT.601 luma, H×W; rgb: H×W×3'),
  }),
  files: (p) => [p.path],
  async run(_inputs, params, ctx) {
    const bytes = await ctx.files.read(params.path);
    return { tensor: decodeImage(bytes, params.path, params.mode) };
  },
});
