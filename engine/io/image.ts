// PNG and JPEG → float32 tensors in [0, 1], with pure-JS decoders (fast-png, jpeg-js) so the same
// code runs in a browser worker and in Node. The format is sniffed from the bytes, not the name.
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { MAX_TENSOR_ENTRIES, Tensor, entryLimit, formatCount } from '../tensor';
import { PngError, checkPng } from './png';

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
  const frame = isJpeg ? jpegSize(bytes) : null;
  const dims = isPng ? pngSize(bytes) : frame;
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
  if (frame) {
    const need = jpegDecoderBytes(frame);
    if (need > JPEG_DECODER_BYTES) {
      // The largest square of the same sampling that fits (the bytes grow with the side).
      let side = 1;
      for (let hi = Math.max(frame.width, frame.height); side < hi; ) {
        const mid = Math.ceil((side + hi) / 2);
        if (jpegDecoderBytes({ ...frame, width: mid, height: mid }) <= JPEG_DECODER_BYTES) side = mid;
        else hi = mid - 1;
      }
      throw new ImageError(
        file,
        `decoding this ${frame.width}×${frame.height} JPEG takes about ${mb(need)} MB in the decoder (it keeps every 8×8 block of coefficients of its ${frame.components.length} colour components), above the ${mb(JPEG_DECODER_BYTES)} MB it may use; downsample it first (at most about ${side}×${side} pixels), or save it as PNG`,
      );
    }
  }
  let px: Pixels;
  // The chunks, the header and the inflated size are checked first, each failure said plainly
  // (a truncated file, a chunk before IHDR, a decompression bomb); the decoder sees only the
  // chunks it needs.
  let decodable = bytes;
  if (isPng) {
    try {
      decodable = checkPng(bytes).png;
    } catch (e) {
      if (e instanceof PngError) throw new ImageError(file, e.message, { cause: e });
      throw e;
    }
  }
  try {
    px = isPng ? png(decodable) : jpg(decodable);
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

/** What jpeg-js may allocate while decoding (its maxMemoryUsageInMB is set a little above, so this
 * check, which names the image and the fix, comes first). */
const JPEG_DECODER_BYTES = 1536 * 2 ** 20;

const mb = (bytes: number) => Math.ceil(bytes / 2 ** 20);

interface JpegFrame {
  width: number;
  height: number;
  /** Horizontal and vertical sampling factors of each component. */
  components: { h: number; v: number }[];
}

/** The bytes jpeg-js 0.4 requests for a frame (decoder.js: 256 per coefficient block of each
 * component, padded to whole MCUs; 8 per block row of output lines; the interleaved samples; the
 * RGB image it returns). */
export function jpegDecoderBytes(f: JpegFrame): number {
  const maxH = Math.max(1, ...f.components.map((c) => c.h));
  const maxV = Math.max(1, ...f.components.map((c) => c.v));
  const mcusPerLine = Math.ceil(f.width / 8 / maxH);
  const mcusPerColumn = Math.ceil(f.height / 8 / maxV);
  let bytes = 0;
  for (const c of f.components) {
    bytes += mcusPerLine * c.h * mcusPerColumn * c.v * 256;
    const blocksPerLine = Math.ceil((Math.ceil(f.width / 8) * c.h) / maxH);
    const blocksPerColumn = Math.ceil((Math.ceil(f.height / 8) * c.v) / maxV);
    bytes += blocksPerLine * 8 * blocksPerColumn * 8;
  }
  return bytes + f.width * f.height * (f.components.length + 3);
}

/** Width, height and components from a JPEG's start-of-frame segment (ITU T.81, B.2.2), or null if
 * none is found. */
function jpegSize(bytes: Uint8Array): JpegFrame | null {
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
      const count = bytes[o + 9] ?? 0;
      const components = Array.from({ length: count }, (_, i) => {
        const sampling = bytes[o + 11 + 3 * i] ?? 0x11;
        return { h: Math.max(1, sampling >> 4), v: Math.max(1, sampling & 15) };
      });
      return { height: (bytes[o + 5]! << 8) | bytes[o + 6]!, width: (bytes[o + 7]! << 8) | bytes[o + 8]!, components };
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
  let img: ReturnType<typeof decodeJpeg>;
  try {
    img = decodeJpeg(bytes);
  } catch (e) {
    // A backstop for what jpegDecoderBytes does not count (tables of a hostile file).
    if (/maxMemoryUsageInMB/.test((e as Error).message)) throw new Error(`decoding needs more than the ${mb(JPEG_DECODER_BYTES) + 64} MB the JPEG decoder may use; downsample the image first`);
    throw e;
  }
  return { width: img.width, height: img.height, channels: 3, data: img.data, max: 255 };
}

function decodeJpeg(bytes: Uint8Array) {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: mb(JPEG_DECODER_BYTES) + 64, maxResolutionInMP: MAX_TENSOR_ENTRIES / 1e6 });
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
