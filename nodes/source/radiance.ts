import { z } from 'zod';
import { SCENES, defineNode, denseFromGrid, paramCount, sceneField } from '../../engine';

export const sourceRadiance = defineNode({
  type: 'source.radiance',
  title: 'Radiance field',
  category: 'source',
  description: 'A radiance field on [−1, 1]³ as a dense grid: a procedural scene sampled at resolution³ corner-aligned nodes — spheres (four coloured spheres in a value-noise cloud), sdf (a box, a torus and a capsule), box (σ = 2 in [−0.5, 0.5]³) — placed and coloured by the seed; or, with scene grid, the tensor wired into input grid ([N, N, N, 4]: σ ≥ 0, then RGB in [0, 1]; axis 0 = x, 1 = y, 2 = z; node i at −1 + 2i/(N − 1); trilinear between nodes, empty outside the box).',
  typeVersion: 1,
  inputs: [{ name: 'grid', type: 'tensor', doc: 'a dense grid [N, N, N, 4] (σ, R, G, B), for scene grid', optional: true }],
  outputs: [
    { name: 'field', type: 'radiance', doc: 'the field, a dense grid' },
    { name: 'info', type: 'metrics', doc: 'params (4·N³) and resolution' },
  ],
  params: z.object({
    scene: z.enum([...SCENES, 'grid']).default('spheres').describe('a procedural scene, or grid: the tensor wired into input grid'),
    resolution: z.number().int().min(2).max(256).default(64).describe('nodes per axis of a procedural scene\'s grid'),
    seed: z.number().int().min(0).default(0).describe('places and colours a procedural scene'),
  }),
  run({ grid }, p) {
    if (p.scene === 'grid' && !grid) throw new Error("param 'scene' is grid: wire a tensor [N, N, N, 4] (σ, R, G, B) into input 'grid', or pick a procedural scene");
    if (p.scene !== 'grid' && grid) throw new Error(`input 'grid' is wired but param 'scene' is ${p.scene}: set scene to grid to use the tensor, or unwire it`);
    const field = grid ? denseFromGrid(grid, "input 'grid'") : sceneField(p.scene as (typeof SCENES)[number], p.resolution, p.seed);
    return {
      field,
      info: {
        params: { value: paramCount(field), unit: 'values', doc: 'numbers the field stores' },
        resolution: { value: field.resolution, unit: '', doc: 'grid nodes per axis' },
      },
    };
  },
});
