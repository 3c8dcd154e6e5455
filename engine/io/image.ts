// PNG and JPEG → float32 tensors in [0, 1], with pure-JS decoders (fast-png, jpeg-js) so the same
// code runs in a browser worker and in Node. The format is sniffed from the bytes, not the name.
import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { Tensor } from '../tensor';

export class ImageError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
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

export function decodeImage(bytes: Uint8Array, file: string, mode: ImageMode): Tensor {
  const isPng = PNG_MAGIC.every((b, i) => bytes[i] === b);
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageError(file, `not a PNG or JPEG image (the supported formats); its first bytes are ${head || '(empty file)'}`);
  }
  let px: Pixels;
  try {
    px = isPng ? png(bytes) : jpg(bytes);
  } catch (e) {
    throw new ImageError(file, `cannot decode this ${isPng ? 'PNG' : 'JPEG'} (corrupt or truncated?): ${(e as Error).message}`);
  }
  if (px.width === 0 || px.height === 0) throw new ImageError(file, `the image is empty (${px.width}×${px.height} pixels)`);
  return toTensor(px, mode);
}

function png(bytes: Uint8Array): Pixels {
  const img = decodePng(bytes);
  if (img.palette) {
    // Indexed colour: expand through the palette (RGB, or RGBA when it has transparency).
    const rgb = convertIndexedToRgb(img);
    return { width: img.width, height: img.height, channels: rgb.length / (img.width * img.height), data: rgb, max: 255 };
  }
  return { width: img.width, height: img.height, channels: img.channels, data: img.data, max: 2 ** img.depth - 1 };
}

function jpg(bytes: Uint8Array): Pixels {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
  return { width: img.width, height: img.height, channels: img.data.length / (img.width * img.height), data: img.data, max: 255 };
}

/**
 * Alpha is dropped: the colour channels are taken as stored, not composited onto a background.
 * Gray from colour is ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B (what PIL's convert('L') uses).
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
