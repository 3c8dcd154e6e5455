// Writes the example images (examples/data/rings.png and rings.jpg): an analytic 128×128 RGB
// picture — concentric rings times a soft colour gradient, with a sharp-edged square — so the
// examples need no downloaded data and offer both smooth structure and hard edges to compress.
// Deterministic: running it again gives the same files (fast-png and jpeg-js embed no timestamps).
// Run with: npx tsx scripts/make-example-images.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';

const N = 128;
const JPEG_QUALITY = 90;

function pixel(x: number, y: number): [number, number, number] {
  if (x >= 80 && x < 112 && y >= 16 && y < 48) return [0.95, 0.9, 0.1];
  const u = (x - N / 2) / N;
  const v = (y - N / 2) / N;
  const rings = 0.5 + 0.5 * Math.cos(2 * Math.PI * 6 * Math.hypot(u, v));
  return [rings * (0.4 + 0.6 * (x / N)), rings * (0.3 + 0.5 * (y / N)), 0.2 + 0.6 * rings * (1 - x / N)];
}

const rgb = new Uint8Array(N * N * 3);
const rgba = new Uint8Array(N * N * 4); // jpeg-js's encoder reads RGBA only
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const p = y * N + x;
    const bytes = pixel(x, y).map((c) => Math.round(255 * c));
    rgb.set(bytes, 3 * p);
    rgba.set([...bytes, 255], 4 * p);
  }
}
const dir = new URL('../examples/data/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('rings.png', dir), encodePng({ width: N, height: N, data: rgb, channels: 3, depth: 8 }));
writeFileSync(new URL('rings.jpg', dir), jpeg.encode({ width: N, height: N, data: rgba }, JPEG_QUALITY).data);
console.log('wrote examples/data/rings.png and rings.jpg');
