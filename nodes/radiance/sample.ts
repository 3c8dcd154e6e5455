import { z } from 'zod';
import { defineNode, sampleField } from '../../engine';

export const radianceSample = defineNode({
  type: 'radiance.sample',
  title: 'Sample radiance field',
  category: 'radiance',
  description: 'Any radiance field sampled at resolution³ corner-aligned nodes of [−1, 1]³: the dense-grid tensor [N, N, N, 4] (σ, then RGB; axis 0 = x), for export.npy, a volume view or any tensor node (e.g. Tucker on a distilled field).',
  typeVersion: 1,
  inputs: [{ name: 'field', type: 'radiance', doc: 'the field to sample' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the grid [N, N, N, 4]' }],
  params: z.object({
    resolution: z.number().int().min(2).max(256).default(64).describe('nodes per axis'),
  }),
  run({ field }, p) {
    return { tensor: sampleField(field, p.resolution) };
  },
});
