import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { ImageError, decodeImage } from './image';

const W = 4;
const H = 3;
/** Pixel (y, x) of channel c: distinct values, so a transposed or shifted decode is caught. */
const value8 = (y: number, x: number, c: number) => (y * 60 + x * 13 + c * 71) % 256;

describe('decodeImage', () => {
  it('reads 8-bit RGBA PNG exactly, dropping alpha', () => {
    const data = new Uint8Array(W * H * 4);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 4; c++) data[(y * W + x) * 4 + c] = value8(y, x, c);
    const bytes = encodePng({ width: W, height: H, data, channels: 4, depth: 8 });
    const t = decodeImage(bytes, 'a.png', 'rgb');
    expect(t.shape).toEqual([H, W, 3]);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) expect(t.get(y, x, c)).toBe(Math.fround(value8(y, x, c) / 255));
    // Gray is BT.601 luma of the colour channels.
    const g = decodeImage(bytes, 'a.png', 'gray');
    expect(g.shape).toEqual([H, W]);
    const [r, gg, b] = [0, 1, 2].map((c) => value8(2, 1, c) / 255);
    expect(g.get(2, 1)).toBeCloseTo(0.299 * r! + 0.587 * gg! + 0.114 * b!, 6);
  });

  it('reads 16-bit grayscale PNG exactly and repeats it across rgb', () => {
    const data = new Uint16Array(W * H).map((_, i) => i * 5000);
    const t = decodeImage(encodePng({ width: W, height: H, data, channels: 1, depth: 16 }), 'g16.png', 'gray');
    expect([...t.data]).toEqual([...data].map((v) => Math.fround(v / 65535)));
    const rgb = decodeImage(encodePng({ width: W, height: H, data, channels: 1, depth: 16 }), 'g16.png', 'rgb');
    expect([rgb.get(1, 2, 0), rgb.get(1, 2, 1), rgb.get(1, 2, 2)]).toEqual(Array(3).fill(Math.fround((6 * 5000) / 65535)));
  });

  it('reads gray+alpha and palette PNGs', () => {
    const ga = new Uint8Array(W * H * 2).map((_, i) => (i % 2 ? 255 : i * 10));
    expect(decodeImage(encodePng({ width: W, height: H, data: ga, channels: 2, depth: 8 }), 'ga.png', 'gray').get(0, 1)).toBe(Math.fround(20 / 255));
    const palette: [number, number, number][] = [[255, 0, 0], [0, 128, 255], [10, 20, 30]];
    const idx = new Uint8Array(W * H).map((_, i) => i % 3);
    const t = decodeImage(encodePng({ width: W, height: H, data: idx, channels: 1, depth: 8, palette }), 'p.png', 'rgb');
    expect([t.get(0, 1, 0), t.get(0, 1, 1), t.get(0, 1, 2)]).toEqual([0, Math.fround(128 / 255), 1]);
    expect([t.get(0, 2, 0), t.get(0, 2, 1), t.get(0, 2, 2)].map((v) => Math.round(v * 255))).toEqual([10, 20, 30]);
  });

  it('reads JPEG within compression error', () => {
    const w = 16;
    const data = new Uint8Array(w * w * 4);
    for (let i = 0; i < w * w; i++) data.set([100, 150, 200, 255], i * 4);
    const bytes = new Uint8Array(jpeg.encode({ width: w, height: w, data }, 95).data);
    const t = decodeImage(bytes, 'flat.jpg', 'rgb');
    expect(t.shape).toEqual([w, w, 3]);
    for (const [c, v] of [100, 150, 200].entries()) expect(Math.abs(t.get(7, 9, c) - v / 255)).toBeLessThan(3 / 255);
    expect(decodeImage(bytes, 'flat.jpg', 'gray').get(3, 3)).toBeCloseTo((0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 255, 1);
  });

  it('refuses other formats, corrupt files and empty files, naming the file', () => {
    const gif = new TextEncoder().encode('GIF89a....');
    expect(() => decodeImage(gif, 'pic.gif', 'gray')).toThrow(ImageError);
    expect(() => decodeImage(gif, 'pic.gif', 'gray')).toThrow(/^pic\.gif: not a PNG or JPEG image.*first bytes are 47 49 46 38/);
    expect(() => decodeImage(new Uint8Array(0), 'empty.png', 'gray')).toThrow(/empty\.png: .*\(empty file\)/);
    const good = encodePng({ width: W, height: H, data: new Uint8Array(W * H), channels: 1, depth: 8 });
    expect(() => decodeImage(good.subarray(0, 30), 'cut.png', 'gray')).toThrow(/^cut\.png: cannot decode this PNG \(corrupt or truncated\?\)/);
    const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256) }, 90).data);
    expect(() => decodeImage(jpg.subarray(0, 20), 'cut.jpg', 'gray')).toThrow(/^cut\.jpg: cannot decode this JPEG/);
  });
});
