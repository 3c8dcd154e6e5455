// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC'11, section 3.3 and table 2). Counter-based, so the k-th block
// of a stream is a pure function of (key, counter) and a WGSL kernel can reproduce the same stream
// (issue #4): WGSL has no 64-bit integers either, hence the 16-bit-halves product below.
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

/** Ten Philox rounds on (c0..c3) under key (k0, k1), written into `out` without allocating. */
function philoxInto(out: Uint32Array | number[], c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void {
  c0 >>>= 0;
  c1 >>>= 0;
  c2 >>>= 0;
  c3 >>>= 0;
  k0 >>>= 0;
  k1 >>>= 0;
  for (let round = 0; round < 10; round++) {
    // Random123 bumps the key before every round but the first (philox.h, _philox4x32bumpkey).
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** One Philox4x32-10 block: 4 uint32 outputs from a 128-bit counter and a 64-bit key (words low first). */
export function philox4x32(counter: readonly [number, number, number, number], key: readonly [number, number]): Block {
  const out: Block = [0, 0, 0, 0];
  philoxInto(out, counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
  return out;
}

const TWO_32 = 4294967296;

/**
 * A stream of random numbers. The key is the seed (a safe integer, or a bigint taken modulo 2⁶⁴;
 * low word first); block k of the stream is philox4x32([k mod 2³², ⌊k / 2³²⌋, stream, 0], key),
 * its four words handed out in order. Distinct streams of one seed never share a block, so
 * fork(k) is free. A shader reproduces word i of a stream from (seed, stream, ⌊i / 4⌋) alone.
 */
export class RandomSource {
  private readonly key: [number, number];
  private readonly stream: number;
  private block = 0;
  private readonly buffer = new Uint32Array(4);
  private used = 4;
  private spareNormal: number | null = null;

  constructor(seed: number | bigint, stream = 0) {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer or a bigint, got ${seed}`);
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
      philoxInto(this.buffer, this.block % TWO_32, Math.floor(this.block / TWO_32), this.stream, 0, this.key[0], this.key[1]);
      this.block++;
      this.used = 0;
    }
    return this.buffer[this.used++]!;
  }

  /**
   * Uniform in [0, 1) with 53 random bits from two words (27 + 26, as numpy's random_sample), so
   * every double k·2⁻⁵³ is equally likely. A float32 shader would use one word per draw instead.
   */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * Standard normal by the Box–Muller transform (Box & Muller 1958); each pair of uniforms gives
   * two normals, cos first, and the sin one is served by the next call.
   */
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

  /**
   * Uniform in [lo, hi) as stored: lo + (hi − lo)·u can round up to hi in the array's dtype
   * (float32 whenever u > 1 − 2⁻²⁵), and such a draw is stored as the largest value below hi,
   * which keeps one draw per element so the stream stays aligned with a shader's.
   */
  fillUniform(out: Float32Array | Float64Array, lo = 0, hi = 1): void {
    const top = out instanceof Float32Array ? float32Below(hi) : float64Below(hi);
    for (let i = 0; i < out.length; i++) {
      out[i] = lo + (hi - lo) * this.uniform();
      if (out[i]! >= hi && hi > lo) out[i] = top;
    }
  }

  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }
}

const bits = new DataView(new ArrayBuffer(8));

/** The largest float32 strictly below x (finite x). */
function float32Below(x: number): number {
  const f = Math.fround(x);
  if (f < x) return f;
  if (f === 0) return -(2 ** -149);
  bits.setFloat32(0, f);
  bits.setUint32(0, f > 0 ? bits.getUint32(0) - 1 : bits.getUint32(0) + 1);
  return bits.getFloat32(0);
}

/** The largest double strictly below x (finite x). */
function float64Below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  bits.setFloat64(0, x);
  bits.setBigUint64(0, x > 0 ? bits.getBigUint64(0) - 1n : bits.getBigUint64(0) + 1n);
  return bits.getFloat64(0);
}
