import { describe, expect, it } from 'vitest';
import { RandomSource, philox4x32 } from './random';

describe('Philox4x32-10', () => {
  // Random123 (D. E. Shaw Research), tests/kat_vectors: counter[4] key[2] → output[4].
  it.each([
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ])('matches the known answer for counter %j key %j', (ctr, key, expected) => {
    expect(philox4x32(ctr, key)).toEqual(expected);
  });
});

describe('RandomSource', () => {
  const take = (r: RandomSource, n: number) => Array.from({ length: n }, () => r.nextUint32());

  it('repeats a stream for the same seed and differs across seeds, streams and forks', () => {
    expect(take(new RandomSource(42), 10)).toEqual(take(new RandomSource(42), 10));
    expect(take(new RandomSource(42), 10)).not.toEqual(take(new RandomSource(43), 10));
    expect(take(new RandomSource(42, 1), 10)).not.toEqual(take(new RandomSource(42, 0), 10));
    const r = new RandomSource(5);
    expect(take(r.fork(0), 8)).not.toEqual(take(r.fork(1), 8));
    expect(take(r.fork(1).fork(2), 8)).not.toEqual(take(r.fork(2).fork(1), 8));
    // Seed 2^40 + 3 uses both key words.
    expect(take(new RandomSource(2 ** 40 + 3), 4)).not.toEqual(take(new RandomSource(3), 4));
  });

  it('the first block of seed 0, stream 0 is the all-zero known answer', () => {
    expect(take(new RandomSource(0), 4)).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const r = new RandomSource(7);
    const u = new Float64Array(100_000);
    r.fillUniform(u);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((a, b) => a + b, 0) / u.length - 0.5)).toBeLessThan(0.005);
    const z = new Float64Array(100_000);
    r.fillNormal(z);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    // Standard errors: mean 0.0032, variance 0.0045; bounds at about 6σ.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    // Fourth moment of a normal is 3.
    expect(z.reduce((a, b) => a + b ** 4, 0) / z.length).toBeCloseTo(3, 0);
  });
});
