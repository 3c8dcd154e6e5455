import { encode as encodePng } from 'fast-png';
import { zlibSync } from 'fflate';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../tensor';
import { ImageError, decodeImage, jpegDecoderBytes } from './image';

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

/** A PNG chunk: length, name, data, CRC (spec 5.3). */
function chunk(name: string, data = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(name), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function header(width: number, height: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  const data = new Uint8Array(13);
  const view = new DataView(data.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  data.set([depth, colorType, 0, 0, interlace], 8);
  return chunk('IHDR', data);
}

const pngOf = (chunks: Uint8Array[]) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunks.flatMap((c) => [...c])]);

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

describe('decodeImage: JPEG decoder memory', () => {
  /** A JPEG whose start-of-frame is patched to claim width × height (the scan stays 16×16). */
  function claiming(width: number, height: number): Uint8Array {
    const bytes = new Uint8Array(jpeg.encode({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 4) }, 90).data);
    const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
    new DataView(bytes.buffer).setUint16(sof + 5, height);
    new DataView(bytes.buffer).setUint16(sof + 7, width);
    return bytes;
  }

  it("estimates what jpeg-js requests, to the megabyte", () => {
    const w = 1200;
    const h = 700;
    const data = new Uint8Array(w * h * 4).map((_, i) => (i * 37) % 256);
    const bytes = new Uint8Array(jpeg.encode({ width: w, height: h, data }, 80).data);
    const need = jpegDecoderBytes({ width: w, height: h, components: [{ h: 1, v: 1 }, { h: 1, v: 1 }, { h: 1, v: 1 }] });
    const decode = (mb: number) => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: mb });
    expect(() => decode(Math.floor(need / 2 ** 20) - 1)).toThrow(/maxMemoryUsageInMB/);
    expect(decode(Math.ceil(need / 2 ** 20) + 1).width).toBe(w);
  });

  it('refuses a 16384² JPEG before decoding, saying how much the decoder needs and the size that fits', () => {
    // 16384² gray is 2^28 entries, within the tensor limit; the decoder's blocks are not.
    expect(() => decodeImage(claiming(16384, 16384), 'huge.jpg', 'gray')).toThrow(
      /^huge\.jpg: decoding this 16384×16384 JPEG takes about \d+ MB in the decoder .* above the 1536 MB it may use; downsample it first \(at most about \d+×\d+ pixels\), or save it as PNG$/,
    );
    let message = '';
    try {
      decodeImage(claiming(16384, 16384), 'huge.jpg', 'gray');
    } catch (e) {
      message = (e as Error).message;
    }
    const side = Number(/at most about (\d+)×/.exec(message)![1]);
    const fits = jpegDecoderBytes({ width: side, height: side, components: [{ h: 1, v: 1 }, { h: 1, v: 1 }, { h: 1, v: 1 }] });
    expect(fits).toBeLessThanOrEqual(1536 * 2 ** 20);
    expect(fits).toBeGreaterThan(0.95 * 1536 * 2 ** 20);
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

  it('says where a truncated or corrupt file goes wrong', () => {
    // good(): signature, IHDR at byte 8, IDAT at byte 33; 30 bytes end inside IHDR.
    expect(() => decodeImage(good().subarray(0, 30), 'cut.png', 'gray')).toThrow(/^cut\.png: the file is truncated: chunk IHDR at byte 8 declares 13 data bytes but only 10 remain \(of 30 bytes in all\)$/);
    expect(() => decodeImage(good().subarray(0, 40), 'cut.png', 'gray')).toThrow(/^cut\.png: the file is truncated: it ends 7 bytes into the chunk header at byte 33$/);
    expect(() => decodeImage(good().subarray(0, 50), 'cut.png', 'gray')).toThrow(/^cut\.png: the file is truncated: chunk IDAT at byte 33 declares 10 data bytes but only 5 remain/);
    const flipped = good().slice();
    flipped[flipped.length - 16]! ^= 0xff; // inside IDAT: only the CRC notices
    expect(() => decodeImage(flipped, 'bad.png', 'gray')).toThrow(/^bad\.png: chunk IDAT at byte 33 fails its CRC check .*: the file is corrupt$/);
    const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256) }, 90).data);
    expect(() => decodeImage(jpg.subarray(0, 20), 'cut.jpg', 'gray')).toThrow(/^cut\.jpg: cannot decode this JPEG/);
  });

  it('names a chunk before IHDR, a zlib stream cut short and one that stops before the image is whole', () => {
    const ihdr = header(W, H, 8, 0);
    const rows = new Uint8Array(H * (1 + W));
    expect(() => decodeImage(pngOf([chunk('tEXt', new TextEncoder().encode('a\0b')), ihdr, chunk('IDAT', zlibSync(rows)), chunk('IEND')]), 'first.png', 'gray')).toThrow(
      /^first\.png: the first chunk is tEXt, but a PNG must start with IHDR \(spec 5\.6\): the file is corrupt$/,
    );
    const stream = zlibSync(new Uint8Array(10_000).map((_, i) => (i * 7919) % 251));
    const cut = header(100, 99, 8, 0);
    expect(() => decodeImage(pngOf([cut, chunk('IDAT', stream.subarray(0, stream.length >> 1)), chunk('IEND')]), 'half.png', 'gray')).toThrow(/^half\.png: the image data ends early \(.*after inflating \d+ of the 9999 bytes a 100×99 greyscale image at 8 bits needs\): the file is truncated/);
    expect(() => decodeImage(pngOf([header(W, H + 1, 8, 0), chunk('IDAT', zlibSync(rows)), chunk('IEND')]), 'short.png', 'gray')).toThrow(/^short\.png: the image data inflates to 15 bytes, fewer than the 20 a 4×4 greyscale image at 8 bits needs/);
    // No IEND but every byte of the image there: decoded (as libpng does).
    expectExact(decodeImage(pngOf([ihdr, chunk('IDAT', zlibSync(rows))]), 'noend.png', 'gray'), () => 0, 255);
  });

  it('stops inflating a decompression bomb at what the header needs', () => {
    // 1×1 gray claims 2 bytes (a filter byte and a sample); the stream holds 64 MB of zeros (64 KB).
    const bomb = pngOf([header(1, 1, 8, 0), chunk('IDAT', zlibSync(new Uint8Array(64 << 20), { level: 9 })), chunk('IEND')]);
    expect(bomb.length).toBeLessThan(100_000);
    let message = '';
    try {
      decodeImage(bomb, 'bomb.png', 'gray');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^bomb\.png: the image data inflates to more than the 2 bytes a 1×1 greyscale image at 8 bits needs \(stopped after (\d+)\): a decompression bomb/);
    // Stopped within one 16 KB compressed slice (at most ~17 MB at deflate's 1032:1) of the bound.
    expect(Number(/stopped after (\d+)/.exec(message)![1])).toBeLessThan(18 << 20);
  });

  it('never inflates ancillary chunks: an iCCP profile that is not zlib at all is ignored', () => {
    const rows = new Uint8Array(H * (1 + W)).map((_, i) => (i % (W + 1) === 0 ? 0 : 40));
    const iccp = chunk('iCCP', Uint8Array.from([...new TextEncoder().encode('p'), 0, 0, 0xde, 0xad, 0xbe, 0xef]));
    const t = decodeImage(pngOf([header(W, H, 8, 0), iccp, chunk('IDAT', zlibSync(rows)), chunk('IEND')]), 'icc.png', 'gray');
    expectExact(t, () => 40, 255);
  });

  it('sizes Adam7-interlaced images pass by pass (odd sizes, 8-bit RGB)', () => {
    const w = 13;
    const h = 9;
    const f = (y: number, x: number, c: number) => (y * 31 + x * 7 + c * 101) % 256;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(y, x, c);
    const t = decodeImage(encodePng({ width: w, height: h, data, channels: 3, depth: 8 }, { interlace: 'Adam7' }), 'i.png', 'rgb');
    expect(t.shape).toEqual([h, w, 3]);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) expect(t.get(y, x, c)).toBe(Math.fround(f(y, x, c) / 255));
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
    // 4×3 at 1 bit, Adam7: passes 1, 4, 5, 6, 7 hold 1×1, 1×1, 2×1, 2×2 and 4×1 pixels, a filter byte
    // and one byte per row each: 2 + 2 + 2 + 4 + 2 = 12 bytes (fast-png's own encoder writes 6).
    const bytes = pngOf([header(W, H, 1, 0, 1), chunk('IDAT', zlibSync(new Uint8Array(12))), chunk('IEND')]);
    expect(() => decodeImage(bytes, 'adam7.png', 'gray')).toThrow(/^adam7\.png: cannot decode this PNG .*Adam7/);
  });
});
