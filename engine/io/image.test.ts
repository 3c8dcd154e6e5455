import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../tensor';
import { ImageError, decodeImage } from './image';

const W = 4;
const H = 3;
/** Pixel (y, x) of channel c: distinct values, so a transposed or shifted decode is caught. */
const value8 = (y: number, x: number, c: number) => (y * 60 + x * 13 + c * 71) % 256;
const value16 = (y: number, x: number, c: number) => (y * 21011 + x * 5003 + c * 17077) % 65536;

/** An interleaved H×W×channels image from a per-sample function. */
function samples<T extends Uint8Array | Uint16Array>(out: T, channels: number, f: (y: number, x: number, c: number) => number): T {
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < channels; c++) out[(y * W + x) * channels + c] = f(y, x, c);
  return out;
}

/** Every value of an H×W×3 (or H×W when gray) tensor against f(y, x, c) / max, exactly in float32. */
function expectExact(t: Tensor, f: (y: number, x: number, c: number) => number, max: number) {
  const rgb = t.shape.length === 3;
  expect(t.shape).toEqual(rgb ? [H, W, 3] : [H, W]);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (!rgb) expect(t.get(y, x)).toBe(Math.fround(f(y, x, 0) / max));
      else for (let c = 0; c < 3; c++) expect(t.get(y, x, c)).toBe(Math.fround(f(y, x, c) / max));
    }
  }
}

/** CRC-32 of PNG chunks (PNG spec annex D), to forge headers that fast-png will accept. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

describe('decodeImage: PNG', () => {
  it('reads 8-bit RGB and RGBA exactly, dropping alpha', () => {
    const rgb = encodePng({ width: W, height: H, data: samples(new Uint8Array(W * H * 3), 3, value8), channels: 3, depth: 8 });
    expectExact(decodeImage(rgb, 'rgb.png', 'rgb'), value8, 255);
    const rgba = encodePng({ width: W, height: H, data: samples(new Uint8Array(W * H * 4), 4, value8), channels: 4, depth: 8 });
    expectExact(decodeImage(rgba, 'rgba.png', 'rgb'), value8, 255);
  });

  it('reads 16-bit RGBA and gray exactly', () => {
    const rgba = encodePng({ width: W, height: H, data: samples(new Uint16Array(W * H * 4), 4, value16), channels: 4, depth: 16 });
    expectExact(decodeImage(rgba, 'rgba16.png', 'rgb'), value16, 65535);
    const gray = encodePng({ width: W, height: H, data: samples(new Uint16Array(W * H), 1, value16), channels: 1, depth: 16 });
    expectExact(decodeImage(gray, 'g16.png', 'gray'), value16, 65535);
    // Gray repeated across the three colour channels.
    expectExact(decodeImage(gray, 'g16.png', 'rgb'), (y, x) => value16(y, x, 0), 65535);
  });

  it('reads 8-bit gray and gray + alpha exactly', () => {
    const gray = encodePng({ width: W, height: H, data: samples(new Uint8Array(W * H), 1, value8), channels: 1, depth: 8 });
    expectExact(decodeImage(gray, 'g.png', 'gray'), value8, 255);
    const ga = encodePng({ width: W, height: H, data: samples(new Uint8Array(W * H * 2), 2, value8), channels: 2, depth: 8 });
    expectExact(decodeImage(ga, 'ga.png', 'gray'), value8, 255);
  });

  it.each([1, 2, 4])('unpacks %i-bit gray, rows padded to whole bytes', (depth) => {
    const level = (y: number, x: number) => (y * 3 + x * 5) % 2 ** depth;
    const rowBytes = Math.ceil((W * depth) / 8);
    const packed = new Uint8Array(rowBytes * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) packed[y * rowBytes + ((x * depth) >> 3)]! |= level(y, x) << (8 - depth - ((x * depth) & 7));
    const bytes = encodePng({ width: W, height: H, data: packed, channels: 1, depth: depth as 1 | 2 | 4 });
    expectExact(decodeImage(bytes, 'low.png', 'gray'), level, 2 ** depth - 1);
  });

  it('expands palettes, 8-bit and 4-bit, with and without transparency', () => {
    const palette = [[255, 0, 0], [0, 128, 255], [10, 20, 30]];
    const index = (y: number, x: number) => (y + x) % 3;
    const colour = (y: number, x: number, c: number) => palette[index(y, x)]![c]!;
    const idx8 = samples(new Uint8Array(W * H), 1, index);
    expectExact(decodeImage(encodePng({ width: W, height: H, data: idx8, channels: 1, depth: 8, palette }), 'p8.png', 'rgb'), colour, 255);
    // W = 4 at 4 bits: two indices per byte, high nibble first.
    const idx4 = new Uint8Array((W / 2) * H).map((_, i) => (index(Math.floor(i / 2), (i % 2) * 2) << 4) | index(Math.floor(i / 2), (i % 2) * 2 + 1));
    expectExact(decodeImage(encodePng({ width: W, height: H, data: idx4, channels: 1, depth: 4, palette }), 'p4.png', 'rgb'), colour, 255);
    // First entry half transparent (tRNS): its colour is still taken as stored.
    const withAlpha = [[255, 0, 0, 128], [0, 128, 255, 255], [10, 20, 30, 255]];
    expectExact(decodeImage(encodePng({ width: W, height: H, data: idx8, channels: 1, depth: 8, palette: withAlpha }), 'pa.png', 'rgb'), colour, 255);
  });

  it('converts colour to gray with BT.601 luma', () => {
    // Hand-computed: 0.299·10 + 0.587·200 + 0.114·30 = 123.81 (of 255); pure red gives 0.299.
    const data = new Uint8Array(W * H * 3);
    data.set([10, 200, 30], 0);
    data.set([255, 0, 0], 3);
    const g = decodeImage(encodePng({ width: W, height: H, data, channels: 3, depth: 8 }), 'luma.png', 'gray');
    expect(g.shape).toEqual([H, W]);
    expect(g.get(0, 0)).toBeCloseTo(123.81 / 255, 6);
    expect(g.get(0, 1)).toBeCloseTo(0.299, 6);
    expect(g.get(2, 3)).toBe(0);
  });
});

describe('decodeImage: JPEG', () => {
  it('reads JPEG within compression error', () => {
    const w = 16;
    const data = new Uint8Array(w * w * 4);
    for (let i = 0; i < w * w; i++) data.set(i % w < 8 ? [100, 150, 200, 255] : [220, 40, 90, 255], i * 4);
    const bytes = new Uint8Array(jpeg.encode({ width: w, height: w, data }, 95).data);
    const t = decodeImage(bytes, 'two.jpg', 'rgb');
    expect(t.shape).toEqual([w, w, 3]);
    // Away from the edge between the halves, JPEG at quality 95 stays within a few levels.
    for (const [c, v] of [100, 150, 200].entries()) expect(Math.abs(t.get(7, 2, c) - v / 255)).toBeLessThan(4 / 255);
    for (const [c, v] of [220, 40, 90].entries()) expect(Math.abs(t.get(9, 13, c) - v / 255)).toBeLessThan(4 / 255);
    const g = decodeImage(bytes, 'two.jpg', 'gray');
    expect(g.shape).toEqual([w, w]);
    expect(Math.abs(g.get(3, 3) - (0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 255)).toBeLessThan(4 / 255);
  });
});

describe('decodeImage: errors name the file', () => {
  const good = () => encodePng({ width: W, height: H, data: new Uint8Array(W * H), channels: 1, depth: 8 });

  it('refuses other formats, saying what is supported and showing the first bytes', () => {
    const gif = new TextEncoder().encode('GIF89a....');
    expect(() => decodeImage(gif, 'pic.png', 'gray')).toThrow(ImageError);
    expect(() => decodeImage(gif, 'pic.png', 'gray')).toThrow(/^pic\.png: not a PNG or JPEG image.*first bytes are 47 49 46 38 39 61 2e 2e$/);
    expect(() => decodeImage(new Uint8Array(0), 'empty.png', 'gray')).toThrow(/^empty\.png: .*\(empty file\)/);
    try {
      decodeImage(gif, 'pic.png', 'gray');
    } catch (e) {
      expect((e as ImageError).file).toBe('pic.png');
    }
  });

  it('wraps the decoder error for truncated and corrupt files', () => {
    expect(() => decodeImage(good().subarray(0, 30), 'cut.png', 'gray')).toThrow(/^cut\.png: cannot decode this PNG \(corrupt, truncated or unsupported\): /);
    const flipped = good().slice();
    flipped[flipped.length - 16]! ^= 0xff; // inside IDAT: only the CRC notices
    expect(() => decodeImage(flipped, 'bad.png', 'gray')).toThrow(/^bad\.png: cannot decode this PNG .*CRC/);
    const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256) }, 90).data);
    expect(() => decodeImage(jpg.subarray(0, 20), 'cut.jpg', 'gray')).toThrow(/^cut\.jpg: cannot decode this JPEG/);
  });

  it('refuses zero-size images', () => {
    // A valid PNG with its IHDR width forged to 0 and the chunk CRC recomputed.
    const png = good().slice();
    png.fill(0, 16, 20);
    new DataView(png.buffer).setUint32(29, crc32(png.subarray(12, 29)));
    expect(() => decodeImage(png, 'zero.png', 'rgb')).toThrow(/^zero\.png: the image is empty \(0×3 pixels\)/);
    const jpg = new Uint8Array(jpeg.encode({ width: 5, height: 0, data: new Uint8Array(0) }, 90).data);
    expect(() => decodeImage(jpg, 'zero.jpg', 'gray')).toThrow(/^zero\.jpg: the image is empty \(5×0 pixels\)/);
  });

  it('refuses interlaced sub-byte PNGs, which fast-png would scramble', () => {
    const bytes = encodePng({ width: W, height: H, data: new Uint8Array(H), channels: 1, depth: 1 }, { interlace: 'Adam7' });
    expect(() => decodeImage(bytes, 'adam7.png', 'gray')).toThrow(/^adam7\.png: cannot decode this PNG .*Adam7/);
  });
});
