import { describe, expect, it } from 'vitest';
import { Tensor } from './tensor';
import { pad, slice } from './shape-ops';

const v = (xs: number[]) => Tensor.from([xs.length], xs);

describe('pad (numpy.pad)', () => {
  // Expected values: numpy.pad([1, 2, 3], (2, 2), mode) by hand from numpy's documented rules.
  it.each([
    ['constant', [0, 0, 1, 2, 3, 0, 0]],
    ['edge', [1, 1, 1, 2, 3, 3, 3]],
    ['reflect', [3, 2, 1, 2, 3, 2, 1]],
    ['wrap', [2, 3, 1, 2, 3, 1, 2]],
  ] as const)('%s', (mode, want) => {
    expect([...pad(v([1, 2, 3]), [[2, 2]], mode).data]).toEqual(want);
  });

  it('pads 2-D with a fill value and refuses bad widths', () => {
    const p = pad(Tensor.from([2, 2], [1, 2, 3, 4]), [[1, 0], [0, 1]], 'constant', -1);
    expect(p.shape).toEqual([3, 3]);
    expect([...p.data]).toEqual([-1, -1, -1, 1, 2, -1, 3, 4, -1]);
    expect(() => pad(v([1]), [[1, 1]], 'reflect')).toThrow(/'reflect' needs at least 2 entries on axis 0; use 'edge'/);
    expect(() => pad(v([1, 2]), [[1, 1], [0, 0]])).toThrow(/pad widths list 2 axes but the input \[2\] has 1/);
  });
});

describe('slice (numpy start:stop:step)', () => {
  const x = v([0, 1, 2, 3, 4, 5]);
  it.each([
    [{}, [0, 1, 2, 3, 4, 5]],
    [{ step: -1 }, [5, 4, 3, 2, 1, 0]],
    [{ start: 1, stop: -1 }, [1, 2, 3, 4]],
    [{ start: -2 }, [4, 5]],
    [{ start: 5, stop: 1, step: -2 }, [5, 3]],
    [{ start: 10 }, []],
    [{ stop: 100, step: 2 }, [0, 2, 4]],
  ])('%j', (range, want) => {
    expect([...slice(x, [range]).data]).toEqual(want);
  });

  it('slices one axis of a matrix and keeps the rest', () => {
    const m = Tensor.from([3, 4], Array.from({ length: 12 }, (_, i) => i));
    const s = slice(m, [null, { start: 1, step: 2 }]);
    expect(s.shape).toEqual([3, 2]);
    expect([...s.data]).toEqual([1, 3, 5, 7, 9, 11]);
    expect(() => slice(m, [{ step: 0 }])).toThrow(/step on axis 0 must be a non-zero integer/);
  });
});
