// PNG and JPEG → float32 tensors in [0, 1], with pure-JS decoders (fast-png, jpeg-js) so the same
// code runs in a browser worker and in Node. The format is sniffed from the bytes, not the name.
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { MAX_TENSOR_ENTRIES, Tensor, entryLimit, formatCount } from '../tensor';

export class ImageError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${problem}`, options);
    this.name = 'ImageError';
  }
}

export type ImageMode = 'gray' | 'rgb';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Interleaved pixels with `channels` values each, all scaled to [0, 1] by `max`. */
interface Pixels {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
  max: number;
}

/**
 * Decodes a PNG (1- to 16-bit gray, gray + alpha, RGB, RGBA, palette) or a baseline/progressive
 * JPEG into an H×W (`gray`) or H×W×3 (`rgb`) float32 tensor with values in [0, 1].
 * `file` only names the image in errors.
 */
export function decodeImage(bytes: Uint8Array, file: string, mode: ImageMode): Tensor {
  const isPng = PNG_MAGIC.every((b, i) => bytes[i] === b);
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageError(file, `not a PNG or JPEG image (the supported formats); its first bytes are ${head || '(empty file)'}`);
  }
  const format = isPng ? 'PNG' : 'JPEG';
  // The size is read from the header and checked before anything is decoded: a few hundred KB of
  // compressed pixels can claim gigabytes.
  const dims = isPng ? pngSize(bytes) : jpegSize(bytes);
  if (dims) {
    const channels = mode === 'rgb' ? 3 : 1;
    const entries = dims.width * dims.height * channels;
    if (entries > MAX_TENSOR_ENTRIES) {
      const side = Math.floor(Math.sqrt(MAX_TENSOR_ENTRIES / channels));
      throw new ImageError(
        file,
        `the image is ${dims.width}×${dims.height} pixels, which as ${mode} makes ${formatCount(entries)} entries, above the limit of ${entryLimit()}; downsample it first (at most about ${side}×${side} ${mode === 'rgb' ? 'in rgb' : 'pixels'})`,
      );
    }
  }
  let px: Pixels;
  try {
    px = isPng ? png(bytes) : jpg(bytes);
  } catch (e) {
    throw new ImageError(file, `cannot decode this ${format} (corrupt, truncated or unsupported): ${(e as Error).message}`, { cause: e });
  }
  if (px.width === 0 || px.height === 0) throw new ImageError(file, `the image is empty (${px.width}×${px.height} pixels)`);
  if (px.data.length < px.width * px.height * px.channels) {
    throw new ImageError(file, `cannot decode this ${format}: ${px.data.length} samples for ${px.width}×${px.height}×${px.channels}`);
  }
  return toTensor(px, mode);
}

/** Width and height from a PNG's IHDR (the first chunk, PNG spec 11.2.2), or null if it has none. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height from a JPEG's start-of-frame segment (ITU T.81, B.2.2), or null if none is found. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let o = 2;
  while (o + 9 < bytes.length) {
    if (bytes[o] !== 0xff) return null;
    const marker = bytes[o + 1]!;
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    const length = (bytes[o + 2]! << 8) | bytes[o + 3]!;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[o + 5]! << 8) | bytes[o + 6]!, width: (bytes[o + 7]! << 8) | bytes[o + 8]! };
    }
    if (marker === 0xda) return null; // start of scan before any frame header
    o += 2 + length;
  }
  return null;
}

function png(bytes: Uint8Array): Pixels {
  // fast-png 8 copies Adam7 passes byte by byte, which scrambles sub-byte samples; IHDR is the
  // first chunk (PNG spec 5.6), bit depth at byte 24 and interlace method at byte 28.
  const ihdr = String.fromCharCode(...bytes.subarray(12, 16));
  if (ihdr === 'IHDR' && bytes[24]! < 8 && bytes[28] === 1) throw new Error(`Adam7-interlaced ${bytes[24]}-bit PNGs are not supported`);
  // CRCs are checked so that a damaged file fails here instead of decoding to wrong pixels.
  const img = decodePng(bytes, { checkCrc: true });
  const { width, height, depth } = img;
  if (img.palette) {
    // Indexed colour: expand through the palette (RGB, or RGBA when it has transparency).
    const rgb = convertIndexedToRgb(img);
    return { width, height, channels: img.palette[0]?.length ?? 3, data: rgb, max: 255 };
  }
  // Sub-byte samples occur only in grayscale (PNG spec, table 11.1) and come back packed.
  const data = depth < 8 ? unpackRows(img.data, width, height, depth) : img.data;
  return { width, height, channels: img.channels, data, max: 2 ** depth - 1 };
}

/** One byte per 1-, 2- or 4-bit sample, MSB first, each row padded to a whole byte (PNG spec 7.2). */
function unpackRows(packed: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      out[y * width + x] = (packed[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function jpg(bytes: Uint8Array): Pixels {
  // jpeg-js always hands back RGB here: it repeats gray and converts CMYK/YCCK itself.
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024, maxResolutionInMP: MAX_TENSOR_ENTRIES / 1e6 });
  return { width: img.width, height: img.height, channels: 3, data: img.data, max: 255 };
}

/**
 * Alpha is dropped: there is nothing to composite onto, so the colour channels are taken as
 * stored (a transparent pixel keeps whatever colour the file gives it).
 * Gray from colour is ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B: PIL's convert('L') weights,
 * without its rounding to 8 bits, so values agree with PIL's to within 0.5/255.
 */
function toTensor(px: Pixels, mode: ImageMode): Tensor {
  const { width, height, channels, data, max } = px;
  const n = width * height;
  const colour = channels >= 3;
  const out = new Float32Array(mode === 'rgb' ? n * 3 : n);
  for (let p = 0; p < n; p++) {
    const o = p * channels;
    const r = data[o]! / max;
    const g = colour ? data[o + 1]! / max : r;
    const b = colour ? data[o + 2]! / max : r;
    if (mode === 'rgb') {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    } else out[p] = colour ? 0.299 * r + 0.587 * g + 0.114 * b : r;
  }
  return new Tensor(mode === 'rgb' ? [height, width, 3] : [height, width], out);
}
