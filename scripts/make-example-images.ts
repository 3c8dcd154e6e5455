// Writes the example images (examples/data/rings.png and rings.jpg): an analytic picture —
// concentric rings under a soft colour gradient, with a sharp-edged square — so the examples need
// no downloaded data. Deterministic: running it again gives the same files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';

const N = 128;
const rgba = new Uint8Array(N * N * 4);
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const u = (x - N / 2) / N;
    const v = (y - N / 2) / N;
    const rings = 0.5 + 0.5 * Math.cos(2 * Math.PI * 6 * Math.hypot(u, v));
    const inSquare = x >= 80 && x < 112 && y >= 16 && y < 48;
    const rgb = inSquare ? [0.95, 0.9, 0.1] : [rings * (0.4 + 0.6 * (x / N)), rings * (0.3 + 0.5 * (y / N)), 0.2 + 0.6 * rings * (1 - x / N)];
    rgba.set([...rgb.map((c) => Math.round(255 * c)), 255], (y * N + x) * 4);
  }
}
const dir = new URL('../examples/data/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('rings.png', dir), encodePng({ width: N, height: N, data: rgba, channels: 4, depth: 8 }));
writeFileSync(new URL('rings.jpg', dir), jpeg.encode({ width: N, height: N, data: rgba }, 90).data);
console.log('wrote examples/data/rings.png and rings.jpg');
