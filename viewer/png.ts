// RGB bytes as a PNG data URL: the radiance view's image, for Vega-Lite (headless) and an <img> (editor).
import { encode } from 'fast-png';

/** A PNG of the image as a data URL. */
export function pngDataUrl(width: number, height: number, rgb: Uint8Array): string {
  const png = encode({ width, height, data: rgb, channels: 3, depth: 8 });
  let binary = '';
  for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
}
