// The rank policies: tail shares of a spectrum, and the greedy budget allocation across layers.
import { describe, expect, it } from 'vitest';
import { allocateBudget, tailShares, type BudgetLayer } from './plan';

/** A 100 × 100 layer whose rank-r rewrite stores 200·r params. */
const layer = (tail: (r: number) => number): BudgetLayer => ({
  params: 10_000,
  tails: [Float64Array.from({ length: 100 }, (_, i) => tail(i + 1))],
  paramsAt: ([r]) => 200 * r!,
});

describe('budget allocation', () => {
  it('tail shares: the part of ‖W‖² a rank leaves out', () => {
    expect([...tailShares([2, 1])]).toEqual([0.2, 0]);
    expect([...tailShares([0, 0])]).toEqual([0, 0]);
  });

  it('gives the params to the layer whose error falls most per param', () => {
    const fast = layer((r) => 10 ** -(r + 1)); // 0.01, 0.001, …: little to gain after rank 1
    const flat = layer((r) => 1 - r / 100); // 0.01 per rank, every rank
    expect(allocateBudget([fast, flat], 1000)).toEqual([[1], [4]]);
    // The same with the layers swapped: the allocation follows the spectra, not the order.
    expect(allocateBudget([flat, fast], 1000)).toEqual([[4], [1]]);
  });

  it('keeps a layer whole when that beats growing its rank, and never rewrites it larger than itself', () => {
    const flat = layer((r) => 1 - r / 100);
    const [r] = allocateBudget([flat], 10_000);
    expect(r).toBeNull(); // the whole budget: exact beats any rank (each ≤ 49 stores less than 10 000)
    const [capped] = allocateBudget([flat], 9_900);
    expect(capped![0]! * 200).toBeLessThan(10_000);
  });

  it('a Tucker-2 layer grows the channel mode whose tail falls faster per param', () => {
    // Modes out and in of 50 each; params ro·50 + ro·ri·9 + 50·ri (as rewriteParams for a 3×3 conv).
    const conv: BudgetLayer = {
      params: 50 * 50 * 9,
      tails: [Float64Array.from({ length: 50 }, (_, i) => 1 - (i + 1) / 50), Float64Array.from({ length: 50 }, (_, i) => 10 ** -(i + 2))],
      paramsAt: ([ro, ri]) => ro! * 50 + ro! * ri! * 9 + 50 * ri!,
    };
    const [r] = allocateBudget([conv], 2000);
    expect(r![0]).toBeGreaterThan(5);
    expect(r![1]).toBe(1);
    expect(conv.paramsAt(r!)).toBeLessThanOrEqual(2000);
  });

  it('refuses a budget that rank 1 everywhere does not fit', () => {
    expect(() => allocateBudget([layer(() => 0), layer(() => 0)], 300)).toThrow('rank 1 in every layer already keeps 400 params, above the 300 allowed');
  });
});
