// Where fit view puts the graph: as large as the canvas allows with its room around it, clear of
// the minimap (beside it or above it, whichever shows the graph larger) and of the zoom controls
// (bottom-left), up to zoom 1; and never below a zoom at which node titles read (0.6): a graph too
// large for that is shown from its top-left corner, the rest a scroll away.

/** React Flow's default minimap size and panel margin, px. */
export const MINIMAP = { width: 200, height: 150, margin: 15 };
/** The zoom controls' column at the bottom-left, px. */
export const CONTROLS = { width: 26, margin: 15 };
/** Below this zoom, 12 px node text is under 7 px on screen. */
export const MIN_READABLE_ZOOM = 0.6;
/** Room left around the graph, px. */
const PAD = 24;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The viewport (translation and zoom) that shows `bounds` (flow coordinates) on a canvas of
 * `width` × `height` px. */
export function fitViewport(bounds: Box, canvas: { width: number; height: number }, opts: { minimap: boolean }): { x: number; y: number; zoom: number } {
  const [bw, bh] = [Math.max(1, bounds.width), Math.max(1, bounds.height)];
  const pad = { top: PAD, right: PAD, bottom: PAD, left: CONTROLS.width + CONTROLS.margin + PAD / 2 };
  const zoomFor = (p: typeof pad) => Math.min((canvas.width - p.left - p.right) / bw, (canvas.height - p.top - p.bottom) / bh);
  if (opts.minimap) {
    const beside = { ...pad, right: MINIMAP.width + MINIMAP.margin + PAD / 2 };
    const above = { ...pad, bottom: MINIMAP.height + MINIMAP.margin + PAD / 2 };
    Object.assign(pad, zoomFor(beside) >= zoomFor(above) ? beside : above);
  }
  const fit = Math.min(1, zoomFor(pad));
  if (fit < MIN_READABLE_ZOOM) {
    const zoom = MIN_READABLE_ZOOM;
    return { zoom, x: pad.left - bounds.x * zoom, y: pad.top - bounds.y * zoom };
  }
  // Centred in the room left by the padding.
  const cx = pad.left + (canvas.width - pad.left - pad.right) / 2;
  const cy = pad.top + (canvas.height - pad.top - pad.bottom) / 2;
  return { zoom: fit, x: cx - (bounds.x + bw / 2) * fit, y: cy - (bounds.y + bh / 2) * fit };
}

/** The viewport after zooming by `factor` about `anchor` (a point of the canvas, px): that point
 * stays where it is on screen. */
export function zoomAbout(view: { x: number; y: number; zoom: number }, factor: number, anchor: { x: number; y: number }, limits = { min: 0.05, max: 2 }): { x: number; y: number; zoom: number } {
  const zoom = Math.min(limits.max, Math.max(limits.min, view.zoom * factor));
  const k = zoom / view.zoom;
  return { zoom, x: anchor.x - (anchor.x - view.x) * k, y: anchor.y - (anchor.y - view.y) * k };
}
