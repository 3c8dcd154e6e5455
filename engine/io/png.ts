// A PNG is walked chunk by chunk and its image data inflated with a bound before any decoder sees
// it: a few megabytes of zlib can inflate to gigabytes (a "decompression bomb"), and a header that
// claims 1×1 pixels says nothing about how much the IDAT stream holds. What comes out is a PNG of
// the chunks a decoder needs (IHDR, PLTE, tRNS, IDAT, IEND), so ancillary chunks (a 1.5 GB
// compressed iCCP profile, text, animation) are never inflated. PNG spec references are to
// https://www.w3.org/TR/png-3/.
import { Unzlib } from 'fflate';

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlace: number;
}

/** Bit depths allowed per colour type (spec table 11.1). */
const DEPTHS: Record<number, { channels: number; depths: number[]; name: string }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16], name: 'greyscale' },
  2: { channels: 3, depths: [8, 16], name: 'truecolour' },
  3: { channels: 1, depths: [1, 2, 4, 8], name: 'indexed' },
  4: { channels: 2, depths: [8, 16], name: 'greyscale with alpha' },
  6: { channels: 4, depths: [8, 16], name: 'truecolour with alpha' },
};

/** The chunks kept for decoding; every other chunk is dropped unread. */
const KEPT = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);

/** Compressed bytes handed to the inflater at a time: deflate expands at most ~1032:1, so one slice
 * never yields more than ~17 MB before the running total is checked. */
const SLICE = 16 * 1024;

/** Inflated bytes past what the header needs that are tolerated (libpng warns about "extra
 * compressed data" and decodes); anything beyond is refused. */
const SLACK = 64 * 1024;

/**
 * Checks the chunk structure, the header and the size of the inflated image data of a PNG and
 * returns the PNG rebuilt from the chunks needed to decode it. Throws a PngError that says what is
 * wrong and where (byte offsets into the file).
 */
export function checkPng(bytes: Uint8Array): { png: Uint8Array; header: PngHeader } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  const idat: Uint8Array[] = [];
  let header: PngHeader | null = null;
  let palette = false;
  let ended = false;
  let o = 8;
  while (o < bytes.length) {
    if (o + 8 > bytes.length) throw new PngError(`the file is truncated: it ends ${bytes.length - o} bytes into the chunk header at byte ${o}`);
    const length = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError(`the chunk at byte ${o} has no valid name (bytes ${hex(bytes.subarray(o + 4, o + 8))}): the file is corrupt`);
    if (length > 2 ** 31 - 1) throw new PngError(`chunk ${type} at byte ${o} declares ${length} bytes, above the PNG limit of 2^31 − 1: the file is corrupt`);
    const remaining = Math.max(0, bytes.length - o - 12);
    if (length > remaining) {
      throw new PngError(`the file is truncated: chunk ${type} at byte ${o} declares ${length} data bytes but only ${remaining} remain (of ${bytes.length} bytes in all)`);
    }
    if (header === null && type !== 'IHDR') throw new PngError(`the first chunk is ${type}, but a PNG must start with IHDR (spec 5.6): the file is corrupt`);
    if (header !== null && type === 'IHDR') throw new PngError(`a second IHDR chunk at byte ${o}: the file is corrupt`);
    const chunk = bytes.subarray(o, o + 12 + length);
    if (KEPT.has(type)) {
      const stored = view.getUint32(o + 8 + length);
      const actual = crc32(bytes.subarray(o + 4, o + 8 + length));
      if (stored !== actual) throw new PngError(`chunk ${type} at byte ${o} fails its CRC check (stored ${stored.toString(16)}, computed ${actual.toString(16)}): the file is corrupt`);
      if (type === 'IHDR') header = readHeader(view, o, length);
      if (type === 'PLTE') palette = true;
      if (type === 'IDAT') idat.push(chunk.subarray(8, 8 + length));
      kept.push(chunk);
    }
    o += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (header === null) throw new PngError('the file holds no chunks after the signature: it is truncated');
  if (header.colorType === 3 && !palette) throw new PngError('an indexed-colour image without a PLTE chunk: the file is corrupt');
  if (idat.length === 0) throw new PngError(`the file holds no image data (no IDAT chunk)${ended ? '' : ': it is truncated'}`);
  inflateBounded(idat, header, ended);
  if (!ended) kept.push(Uint8Array.of(0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82));
  return { png: concat(kept), header };
}

function readHeader(view: DataView, o: number, length: number): PngHeader {
  if (length !== 13) throw new PngError(`IHDR holds ${length} bytes instead of 13: the file is corrupt`);
  const width = view.getUint32(o + 8);
  const height = view.getUint32(o + 12);
  const depth = view.getUint8(o + 16);
  const colorType = view.getUint8(o + 17);
  const interlace = view.getUint8(o + 20);
  if (width === 0 || height === 0) throw new PngError(`the image is empty (${width}×${height} pixels)`);
  if (width > 2 ** 31 - 1 || height > 2 ** 31 - 1) throw new PngError(`IHDR gives a size of ${width}×${height}: each side must be at most 2^31 − 1`);
  const kind = DEPTHS[colorType];
  if (!kind) throw new PngError(`IHDR gives colour type ${colorType}, which PNG does not define (0, 2, 3, 4 or 6)`);
  if (!kind.depths.includes(depth)) throw new PngError(`IHDR gives bit depth ${depth} for a ${kind.name} image, which allows ${kind.depths.join(', ')}`);
  if (view.getUint8(o + 18) !== 0 || view.getUint8(o + 19) !== 0) throw new PngError('IHDR gives a compression or filter method other than 0, the only ones PNG defines');
  if (interlace > 1) throw new PngError(`IHDR gives interlace method ${interlace} (0 none, 1 Adam7 are defined)`);
  return { width, height, depth, colorType, interlace };
}

/** The bytes the filtered image data inflates to (spec 7.2 and 8.2): a filter byte and the packed
 * samples of each row, of each Adam7 pass when interlaced. */
export function inflatedSize(h: PngHeader): number {
  const bits = DEPTHS[h.colorType]!.channels * h.depth;
  const rows = (width: number, height: number) => (width > 0 && height > 0 ? height * (1 + Math.ceil((width * bits) / 8)) : 0);
  if (h.interlace === 0) return rows(h.width, h.height);
  const passes = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ] as const;
  return passes.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy)), 0);
}

class TooLarge extends Error {}

/** Inflates the IDAT stream, counting, and stops as soon as it passes what the header needs. */
function inflateBounded(idat: Uint8Array[], header: PngHeader, ended: boolean): void {
  const need = inflatedSize(header);
  const size = `${header.width}×${header.height} ${DEPTHS[header.colorType]!.name} image at ${header.depth} bits${header.interlace ? ', Adam7-interlaced' : ''}`;
  let total = 0;
  const inflater = new Unzlib((data) => {
    total += data.length;
    if (total > need + SLACK) throw new TooLarge();
  });
  try {
    for (let c = 0; c < idat.length; c++) {
      const data = idat[c]!;
      for (let i = 0; i < data.length || (i === 0 && data.length === 0); i += SLICE) {
        inflater.push(data.subarray(i, i + SLICE), c === idat.length - 1 && i + SLICE >= data.length);
      }
    }
  } catch (e) {
    if (e instanceof TooLarge) {
      throw new PngError(`the image data inflates to more than the ${need} bytes a ${size} needs (stopped after ${total}): a decompression bomb or a corrupt file`);
    }
    const why = (e as Error).message || 'an unreadable stream';
    if (/unexpected EOF/i.test(why)) throw new PngError(`the image data ends early (${why}, after inflating ${total} of the ${need} bytes a ${size} needs): the file is truncated${ended ? ' or corrupt' : ''}`);
    throw new PngError(`the image data is not a valid zlib stream (${why}, after inflating ${total} of ${need} bytes): the file is corrupt`);
  }
  if (total < need) throw new PngError(`the image data inflates to ${total} bytes, fewer than the ${need} a ${size} needs: the file is truncated or corrupt`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

let table: Uint32Array | null = null;

/** CRC-32 (ISO 3309, as PNG uses it: spec 5.5). */
export function crc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
