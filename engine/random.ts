// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC'11). Counter-based, so the k-th block of a stream is a pure
// function of (key, counter) and a WGSL kernel can reproduce the same stream (issue #4).
// Checked against Random123's published known-answer vectors in random.test.ts.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9; // golden ratio
const W1 = 0xbb67ae85; // sqrt(3) − 1

export type Block = [number, number, number, number];

/** High 32 bits of the exact 64-bit product of two uint32s (16-bit halves keep it exact in doubles). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const p1 = al * bh;
  const p2 = ah * bl;
  const mid = ((al * bl) >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
  return (ah * bh + (p1 >>> 16) + (p2 >>> 16) + (mid >>> 16)) >>> 0;
}

/** One Philox4x32-10 block: 4 uint32 outputs from a 128-bit counter and a 64-bit key. */
export function philox4x32(counter: readonly number[], key: readonly number[]): Block {
  let [c0, c1, c2, c3] = counter as Block;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
  }
  return [c0, c1, c2, c3];
}

const TWO_32 = 4294967296;

/**
 * A stream of random numbers. The key is the seed (two 32-bit words from a number up to 2⁵³ or a
 * bigint up to 2⁶⁴); the counter is (block index low, block index high, stream, 0), so streams of
 * one seed never overlap and fork(k) is free.
 */
export class RandomSource {
  private readonly key: [number, number];
  private readonly stream: number;
  private block = 0;
  private buffer: Block = [0, 0, 0, 0];
  private used = 4;
  private spareNormal: number | null = null;

  constructor(seed: number | bigint, stream = 0) {
    const s = BigInt.asUintN(64, BigInt(seed));
    this.key = [Number(s & 0xffffffffn), Number(s >> 32n)];
    this.stream = stream >>> 0;
  }

  /** An independent stream of the same seed: forks with different ids never share a block. */
  fork(stream: number): RandomSource {
    // Mix the parent's stream so that fork(a).fork(b) differs from fork(b).fork(a).
    const mixed = (Math.imul(this.stream ^ 0x85ebca6b, 0x27d4eb2f) + stream + 1) >>> 0;
    return new RandomSource((BigInt(this.key[1]) << 32n) | BigInt(this.key[0]), mixed);
  }

  nextUint32(): number {
    if (this.used === 4) {
      const lo = this.block % TWO_32;
      const hi = Math.floor(this.block / TWO_32);
      this.buffer = philox4x32([lo, hi, this.stream, 0], this.key);
      this.block++;
      this.used = 0;
    }
    return this.buffer[this.used++]!;
  }

  /** Uniform in [0, 1) with 53 random bits (two words), as numpy's random_sample. */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal by the Box–Muller transform; both values of a pair are used. */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  fillUniform(out: Float32Array | Float64Array, lo = 0, hi = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
  }

  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }
}
