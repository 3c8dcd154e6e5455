// The line of key settings under a node's title: only what differs from the defaults, described
// briefly.
import { describe, expect, it } from 'vitest';
import { findNode } from '../engine/node-api';
import { registry } from '../nodes';
import { keySettings } from './key-settings';

const def = (type: string) => findNode(registry, type)!;

describe('keySettings', () => {
  it('tells a DCT from an inverse DCT, and says nothing of defaults', () => {
    expect(keySettings(def('transform.dct'), {})).toEqual([]);
    expect(keySettings(def('transform.dct'), { inverse: false })).toEqual([]);
    expect(keySettings(def('transform.dct'), { inverse: true })).toEqual(['inverse']);
  });

  it('lists in the schema order, ranks as a comma list, long values cut short', () => {
    expect(keySettings(def('decompose.tucker'), { ranks: [5, null, 5] })).toEqual(['ranks 5,full,5']);
    expect(keySettings(def('decompose.cp'), { seed: 3, rank: 8 })).toEqual(['rank 8', 'seed 3']);
    const [expr] = keySettings(def('source.function'), { expr: 'sin(x) * cos(y) + exp(-(x^2 + y^2))' });
    expect(expr!.length).toBeLessThanOrEqual('expr '.length + 18);
    expect(expr).toMatch(/^expr sin\(x\).*…$/);
  });
});
