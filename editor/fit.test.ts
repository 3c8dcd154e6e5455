// Fit view: clear of the minimap and the zoom controls, readable (zoom ≥ 0.6, a large graph shown
// from its top-left), centred otherwise; zoom about a point keeps that point in place.
import { describe, expect, it } from 'vitest';
import { CONTROLS, MINIMAP, MIN_READABLE_ZOOM, fitViewport, zoomAbout, type Box } from './fit';

const canvas = { width: 860, height: 790 };
/** The graph's box on screen under a viewport. */
const onScreen = (b: Box, v: { x: number; y: number; zoom: number }): Box => ({ x: b.x * v.zoom + v.x, y: b.y * v.zoom + v.y, width: b.width * v.zoom, height: b.height * v.zoom });
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const minimapBox: Box = { x: canvas.width - MINIMAP.margin - MINIMAP.width, y: canvas.height - MINIMAP.margin - MINIMAP.height, width: MINIMAP.width, height: MINIMAP.height };
const controlsBox: Box = { x: CONTROLS.margin, y: canvas.height - CONTROLS.margin - 130, width: CONTROLS.width, height: 130 };

describe('fitViewport', () => {
  it('a small graph: zoom 1 at most, centred, clear of the minimap and the controls', () => {
    const b = { x: 100, y: 50, width: 400, height: 200 };
    const v = fitViewport(b, canvas, { minimap: true });
    expect(v.zoom).toBe(1);
    const s = onScreen(b, v);
    expect(overlap(s, minimapBox)).toBe(false);
    expect(overlap(s, controlsBox)).toBe(false);
  });

  it('a graph of the canvas shape: fits beside or above the minimap, never under it or the controls', () => {
    const b = { x: 0, y: 0, width: 900, height: 800 };
    const v = fitViewport(b, canvas, { minimap: true });
    expect(v.zoom).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);
    const s = onScreen(b, v);
    expect(overlap(s, minimapBox)).toBe(false);
    expect(overlap(s, controlsBox)).toBe(false);
    expect(s.x + s.width).toBeLessThanOrEqual(canvas.width);
  });

  it('a graph too large to read whole: zoom 0.6, its top-left corner in view', () => {
    const b = { x: -300, y: 40, width: 6000, height: 3000 };
    const v = fitViewport(b, canvas, { minimap: false });
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    const s = onScreen(b, v);
    expect(s.x).toBeGreaterThan(CONTROLS.margin + CONTROLS.width);
    expect(s.x).toBeLessThan(100);
    expect(s.y).toBeGreaterThan(0);
    expect(s.y).toBeLessThan(60);
  });
});

describe('zoomAbout', () => {
  it('keeps the anchor in place and respects the limits', () => {
    const v = { x: 40, y: -20, zoom: 0.8 };
    const a = { x: 300, y: 200 };
    const z = zoomAbout(v, 1.25, a);
    expect(z.zoom).toBeCloseTo(1, 12);
    // The flow point under the anchor is the same before and after.
    expect((a.x - z.x) / z.zoom).toBeCloseTo((a.x - v.x) / v.zoom, 9);
    expect((a.y - z.y) / z.zoom).toBeCloseTo((a.y - v.y) / v.zoom, 9);
    expect(zoomAbout(v, 100, a).zoom).toBe(2);
  });
});
