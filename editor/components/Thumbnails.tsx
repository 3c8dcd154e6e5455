// Small previews on the nodes: a heatmap of a 2-D slice (viridis) and a sparkline of a trace on a
// log scale when it is positive (convergence traces span decades).
import { useEffect, useRef } from 'react';
import type { Preview } from '../protocol';
import { viridis } from '../../viewer/colormaps';

const THUMB_W = 96;
const THUMB_H = 72;

export function Heatmap({ preview }: { preview: Extract<Preview, { kind: 'heatmap' }> }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const { rows, cols, values, min, max } = preview;
    const img = ctx.createImageData(cols, rows);
    const span = max - min || 1;
    values.forEach((v, i) => {
      const [r, g, b] = viridis((v - min) / span);
      img.data.set([r, g, b, 255], 4 * i);
    });
    ctx.putImageData(img, 0, 0);
  }, [preview]);
  // Within THUMB_W × THUMB_H, aspect kept: a tall slice (an RGB image's 128×3) stays small.
  const scale = Math.min(THUMB_W / preview.cols, THUMB_H / preview.rows);
  return (
    <figure className="cs-thumb" title={`${preview.label}: ${preview.min.toPrecision(3)} … ${preview.max.toPrecision(3)}`}>
      <canvas ref={ref} width={preview.cols} height={preview.rows} style={{ width: Math.max(1, Math.round(preview.cols * scale)), height: Math.max(1, Math.round(preview.rows * scale)), imageRendering: 'pixelated' }} />
      <figcaption>{preview.label}</figcaption>
    </figure>
  );
}

export function Sparkline({ preview }: { preview: Extract<Preview, { kind: 'sparkline' }> }) {
  const v = preview.values;
  const log = v.every((x) => x > 0);
  const ys = v.map((x) => (log ? Math.log10(x) : x));
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const w = 120;
  const h = 32;
  const pts = ys.map((y, i) => `${v.length === 1 ? w / 2 : (i * w) / (v.length - 1)},${h - 2 - ((y - lo) / (hi - lo || 1)) * (h - 4)}`).join(' ');
  return (
    <figure className="cs-thumb" title={`${preview.label}: ${v.length} values${log ? ', log scale' : ''}, last ${v[v.length - 1]?.toPrecision(4)}`}>
      <svg width={w} height={h}>
        <polyline points={pts} fill="none" stroke="#3b82f6" strokeWidth={1.5} />
      </svg>
      <figcaption>{preview.label}</figcaption>
    </figure>
  );
}
