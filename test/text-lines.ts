// Text lines as PaddleOCR's recognisers read them, rendered here (no data downloaded): resvg draws
// each line in a Debian font (DejaVu Sans, which scripts/setup-system.sh installs), the image is
// cropped tight to the ink with a small margin, resized to height 48 (bilinear, width ≤ 320) and
// zero-padded to 320, then scaled to (x/255 − 0.5)/0.5 in BGR order: a batch [n, 3, 48, 320].
import { Resvg } from '@resvg/resvg-js';
import { decode } from 'fast-png';
import { Tensor } from '../engine';

const H = 48;
const W = 320;

/** One line's grey levels (0 ink … 255 paper), cropped to the ink plus a margin of `pad` pixels. */
function render(text: string, font = 'DejaVu Sans'): { g: Float64Array; w: number; h: number } {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${40 + 24 * text.length}" height="64"><rect width="100%" height="100%" fill="white"/><text x="20" y="44" font-family="${font}" font-size="32" fill="black">${esc}</text></svg>`;
  const png = decode(new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: font }, background: 'white' }).render().asPng());
  const ch = png.channels;
  const [w0, h0] = [png.width, png.height];
  let [x0, y0, x1, y1] = [w0, h0, -1, -1];
  for (let y = 0; y < h0; y++)
    for (let x = 0; x < w0; x++)
      if (png.data[(y * w0 + x) * ch]! < 200) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  const pad = 4;
  [x0, y0, x1, y1] = [Math.max(0, x0 - pad), Math.max(0, y0 - pad), Math.min(w0 - 1, x1 + pad), Math.min(h0 - 1, y1 + pad)];
  const [w, h] = [x1 - x0 + 1, y1 - y0 + 1];
  const g = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) g[y * w + x] = png.data[((y + y0) * w0 + x + x0) * ch]!;
  return { g, w, h };
}

export function textLines(texts: readonly string[]): Tensor {
  const out = new Tensor([texts.length, 3, H, W]);
  texts.forEach((text, n) => {
    const { g, w, h } = render(text);
    const scale = H / h;
    const wOut = Math.min(W, Math.max(1, Math.round(w * scale)));
    for (let y = 0; y < H; y++)
      for (let x = 0; x < wOut; x++) {
        // Bilinear sample at the pixel centre.
        const sx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / wOut - 0.5));
        const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / scale - 0.5));
        const [xa, ya] = [Math.floor(sx), Math.floor(sy)];
        const [xb, yb] = [Math.min(w - 1, xa + 1), Math.min(h - 1, ya + 1)];
        const [fx, fy] = [sx - xa, sy - ya];
        const v = (1 - fy) * ((1 - fx) * g[ya * w + xa]! + fx * g[ya * w + xb]!) + fy * ((1 - fx) * g[yb * w + xa]! + fx * g[yb * w + xb]!);
        const norm = (v / 255 - 0.5) / 0.5;
        for (let c = 0; c < 3; c++) out.data[((n * 3 + c) * H + y) * W + x] = norm; // grey: B = G = R
      }
  });
  return out;
}
