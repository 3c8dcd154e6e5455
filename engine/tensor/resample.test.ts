// Block means for display: numpy.array_split-style blocks, each output the mean of its block.
import { describe, expect, it } from 'vitest';
import { Tensor } from './tensor';
import { blockMean } from './resample';

describe('blockMean', () => {
  it('averages blocks of a 5×4 matrix down to 2×2 (blocks of 3 and 2 rows) and keeps the mean', () => {
    const t = Tensor.from([5, 4], Array.from({ length: 20 }, (_, i) => i));
    const m = blockMean(t, [2, 2]);
    expect(m.shape).toEqual([2, 2]);
    // Rows 0–2 | 3–4, columns 0–1 | 2–3 (the split floor(i·2/n)).
    expect([...m.data]).toEqual([4.5, 6.5, 14.5, 16.5]);
    expect(blockMean(t, [5, 4])).toBe(t);
  });

  it('keeps the overall mean when blocks are equal, on a 3-D tensor', () => {
    const t = Tensor.from([4, 6, 8], Array.from({ length: 192 }, (_, i) => Math.sin(i)));
    const m = blockMean(t, [2, 3, 4]);
    const mean = (x: Float32Array) => x.reduce((a, b) => a + b, 0) / x.length;
    expect(m.shape).toEqual([2, 3, 4]);
    expect(Math.abs(mean(m.data) - mean(t.data))).toBeLessThan(1e-6);
  });
});
