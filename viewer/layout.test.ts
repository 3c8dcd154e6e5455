// Where the 3-D view puts each entry: modes 0, 1, 2 along x, y (downwards), z, centred; a 4-D tensor
// as a grid of 3-D slices along mode 3, each slice a whole block apart.
import { describe, expect, it } from 'vitest';
import { layoutVoxels } from './Tensor3D';

describe('voxel layout', () => {
  it('places a 2×3×4 tensor centred, every index once, values in C order', () => {
    const values = Array.from({ length: 24 }, (_, i) => i);
    const v = layoutVoxels([2, 3, 4], values);
    expect(v).toHaveLength(24);
    expect(v[0]).toEqual({ index: [0, 0, 0], value: 0, pos: [-0.5, 1, -1.5] });
    expect(v[23]).toEqual({ index: [1, 2, 3], value: 23, pos: [0.5, -1, 1.5] });
    expect(new Set(v.map((x) => x.pos.join(','))).size).toBe(24);
  });

  it('lays out the slices of a 4-D tensor in a grid that keeps them apart', () => {
    const v = layoutVoxels([2, 2, 2, 4], Array.from({ length: 32 }, (_, i) => i));
    // Slices g = 0 … 3 of mode 3 in a 2 × 2 grid, offsets of (2 + 2) along x and y.
    const at = (i: number[]) => v.find((x) => x.index.join() === i.join())!.pos;
    expect(at([0, 0, 0, 1])[0]! - at([0, 0, 0, 0])[0]!).toBe(4);
    expect(at([0, 0, 0, 2])[1]! - at([0, 0, 0, 0])[1]!).toBe(-4);
    expect(new Set(v.map((x) => x.pos.join(','))).size).toBe(32);
  });
});
