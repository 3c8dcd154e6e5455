import { describe, expect, it } from 'vitest';
import { RandomSource, philox4x32 } from './random';

type Kat = [[number, number, number, number], [number, number], [number, number, number, number]];

describe('Philox4x32-10', () => {
  // Random123's known-answer file kat_vectors (D. E. Shaw Research; tests/ in the current
  // repository, examples/ in older releases), "philox4x32 10" lines: counter[4] key[2] → output[4].
  // The first three are the current file's; the last two come from the older, longer file.
  const kats: Kat[] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
    [[1, 0, 0, 0], [1, 0], [0xac08141b, 0xdfc5ccbe, 0x79c07a47, 0xa7f66093]],
    [[0x452821e6, 0x38d01377, 0xbe5466cf, 0x34e90c6c], [0, 0x80000000], [0x94ca5566, 0x14924b2f, 0x28214292, 0x59faeaee]],
  ];
  it.each(kats)('matches the known answer for counter %j key %j', (ctr, key, expected) => {
    expect(philox4x32(ctr, key)).toEqual(expected);
  });

  it('agrees with a BigInt transcription of the round function on random inputs', () => {
    // Independent of the 16-bit-halves product: full 64-bit products in BigInt.
    const reference = (ctr: number[], key: number[]) => {
      let c = ctr.map(BigInt);
      let [k0, k1] = key.map(BigInt) as [bigint, bigint];
      const mask = 0xffffffffn;
      for (let r = 0; r < 10; r++) {
        if (r > 0) [k0, k1] = [(k0 + 0x9e3779b9n) & mask, (k1 + 0xbb67ae85n) & mask];
        const p0 = 0xd2511f53n * c[0]!;
        const p1 = 0xcd9e8d57n * c[2]!;
        c = [(p1 >> 32n) ^ c[1]! ^ k0, p1 & mask, (p0 >> 32n) ^ c[3]! ^ k1, p0 & mask];
      }
      return c.map(Number);
    };
    const r = new RandomSource(99);
    for (let i = 0; i < 200; i++) {
      const ctr = [r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()] as const;
      const key = [r.nextUint32(), r.nextUint32()] as const;
      expect(philox4x32(ctr, key)).toEqual(reference([...ctr], [...key]));
    }
  });
});

describe('RandomSource', () => {
  const take = (r: RandomSource, n: number) => Array.from({ length: n }, () => r.nextUint32());

  it('repeats a stream for the same seed and differs across seeds, streams and forks', () => {
    expect(take(new RandomSource(42), 10)).toEqual(take(new RandomSource(42), 10));
    expect(take(new RandomSource(42n), 10)).toEqual(take(new RandomSource(42), 10));
    expect(take(new RandomSource(42), 10)).not.toEqual(take(new RandomSource(43), 10));
    expect(take(new RandomSource(42, 1), 10)).not.toEqual(take(new RandomSource(42, 0), 10));
    const r = new RandomSource(5);
    expect(take(r.fork(0), 8)).not.toEqual(take(r.fork(1), 8));
    expect(take(r.fork(1).fork(2), 8)).not.toEqual(take(r.fork(2).fork(1), 8));
    // Seed 2^40 + 3 uses both key words.
    expect(take(new RandomSource(2 ** 40 + 3), 4)).not.toEqual(take(new RandomSource(3), 4));
    expect(() => new RandomSource(1.5)).toThrow(RangeError);
  });

  it('hands out block k as philox4x32([k, 0, stream, 0], seed words), the layout a shader reproduces', () => {
    expect(take(new RandomSource(0), 4)).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    const seed = (0x299f31d0n << 32n) | 0xa4093822n;
    const words = take(new RandomSource(seed, 7), 12);
    expect(words.slice(8)).toEqual(philox4x32([2, 0, 7, 0], [0xa4093822, 0x299f31d0]));
  });

  it('builds uniforms from 53 bits of two words', () => {
    const [a, b] = take(new RandomSource(11), 2) as [number, number];
    expect(new RandomSource(11).uniform()).toBe(((a >>> 5) * 2 ** 26 + (b >>> 6)) / 2 ** 53);
  });

  it('keeps fillUniform half-open even when a draw rounds up to hi in the array dtype', () => {
    class Top extends RandomSource {
      override uniform() {
        return 1 - 2 ** -53;
      }
    }
    const f32 = new Float32Array(3);
    new Top(0).fillUniform(f32);
    expect(Math.max(...f32)).toBe(1 - 2 ** -24);
    const f64 = new Float64Array(3);
    new Top(0).fillUniform(f64, 1, 2); // 1 + (1 − 2⁻⁵³) rounds to 2 in doubles
    expect(Math.max(...f64)).toBe(2 - 2 ** -52);
    new Top(0).fillUniform(f32, -1, 0.1);
    expect(Math.max(...f32)).toBeLessThan(0.1);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const r = new RandomSource(7);
    const u = new Float64Array(100_000);
    r.fillUniform(u);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    // Standard error of the mean of U(0, 1): 0.00091; bound at about 5σ.
    expect(Math.abs(u.reduce((a, b) => a + b, 0) / u.length - 0.5)).toBeLessThan(0.005);
    const z = new Float64Array(100_000);
    r.fillNormal(z);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    // Standard errors: mean 0.0032, variance 0.0045; bounds at about 6σ.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    // Fourth moment of a normal is 3 (standard error 0.03), which a uniform-ish mistake would miss.
    expect(Math.abs(z.reduce((a, b) => a + b ** 4, 0) / z.length - 3)).toBeLessThan(0.2);
    const y = new Float32Array(100_000);
    new RandomSource(8).fillNormal(y, 5, 2);
    expect(Math.abs(y.reduce((a, b) => a + b, 0) / y.length - 5)).toBeLessThan(0.04);
  });
});
