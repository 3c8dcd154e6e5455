// Headless PNGs of the 2-D views, decoded and checked: the size, not blank, a colour bar (a column of
// the colour map beside the plot), and a change of data changes the image.
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { ViewRequest } from '../engine/node-api';
import { renderView } from './headless';

/** The PNG of a view that has one (a failed expectation otherwise). */
async function renderPng(v: ViewRequest): Promise<Uint8Array> {
  const out = await renderView(v);
  if (!('png' in out)) throw new Error(`expected a PNG, got skipped: ${out.skip}`);
  return out.png;
}

type Rgb = [number, number, number];
const pixels = (png: Uint8Array) => {
  const img = decode(png);
  const ch = img.channels;
  const at = (x: number, y: number): Rgb => {
    const i = (y * img.width + x) * ch;
    return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!] as Rgb;
  };
  return { width: img.width, height: img.height, at };
};
const near = (a: Rgb, b: Rgb, tol = 40) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) <= tol;

const ramp = (rows: number, cols: number, f: (r: number, c: number) => number): Extract<ViewRequest, { kind: 'heatmap' }> => ({
  kind: 'heatmap',
  title: 'ramp',
  rows,
  cols,
  values: Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols)),
  signed: false,
});

describe('headless PNGs', () => {
  it('a heatmap: its size, viridis cells, and a colour bar running from viridis purple to yellow', async () => {
    const p = pixels((await renderPng(ramp(20, 30, (r, c) => r + c)))!);
    expect(p.width).toBeGreaterThan(600);
    expect(p.height).toBeGreaterThan(500);
    // Viridis ends: #440154 (low) and #fde725 (high).
    const lo: Rgb = [68, 1, 84];
    const hi: Rgb = [253, 231, 37];
    let loCells = 0;
    let hiCells = 0;
    const bar: { x: number; y: number; c: Rgb }[] = [];
    for (let y = 0; y < p.height; y += 2) {
      for (let x = 0; x < p.width; x += 2) {
        const c = p.at(x, y);
        if (near(c, lo)) loCells++;
        if (near(c, hi)) hiCells++;
        if (x > 0.8 * p.width && (near(c, lo, 60) || near(c, hi, 60))) bar.push({ x, y, c });
      }
    }
    expect(loCells).toBeGreaterThan(10);
    expect(hiCells).toBeGreaterThan(10);
    // The colour bar, right of the plot: yellow above purple (larger values on top).
    const top = bar.filter((b) => near(b.c, hi, 60)).map((b) => b.y);
    const bottom = bar.filter((b) => near(b.c, lo, 60)).map((b) => b.y);
    expect(top.length).toBeGreaterThan(0);
    expect(bottom.length).toBeGreaterThan(0);
    expect(Math.max(...top)).toBeLessThan(Math.min(...bottom));
  });

  it('a signed heatmap uses the diverging map (blue below 0, red above); other data give another image', async () => {
    const signed = { ...ramp(16, 16, (r, c) => r - c), signed: true };
    const a = await renderPng(signed);
    const p = pixels(a!);
    let red = 0;
    let blue = 0;
    for (let y = 0; y < p.height; y += 3) for (let x = 0; x < p.width * 0.75; x += 3) {
      const [r, , b] = p.at(x, y);
      if (r > 150 && b < 80) red++;
      if (b > 150 && r < 80) blue++;
    }
    expect(red).toBeGreaterThan(20);
    expect(blue).toBeGreaterThan(20);
    const b = await renderPng({ ...signed, values: signed.values.map((v) => -v) });
    expect(Buffer.from(b!).equals(Buffer.from(a!))).toBe(false);
  });

  it('plots: a log spectrum with its rank mark, a convergence trace, a rank sweep, a histogram — none blank', async () => {
    const plots: ViewRequest[] = [
      { kind: 'plot', plot: 'spectrum', title: 's', x: [1, 2, 3, 4], y: [10, 1, 0.1, 0.01], xLabel: 'index', yLabel: 'σ', logY: true, mark: 2 },
      { kind: 'plot', plot: 'convergence', title: 'c', x: [1, 2, 3], y: [0.5, 0.1, 0.09], xLabel: 'iteration', yLabel: 'relative error', logY: true },
      { kind: 'plot', plot: 'rank-sweep', title: 'r', x: [2, 4, 8, 3], y: [0.1, 0.2, 0.4, 0.3], xLabel: 'compressionRatio', yLabel: 'relError', logY: true },
      { kind: 'plot', plot: 'histogram', title: 'h', x: [-3, -2, -1], y: [5, 20, 3], xLabel: 'log10 |c|', yLabel: 'count', logY: false },
    ];
    for (const v of plots) {
      const p = pixels((await renderPng(v))!);
      const seen = new Set<string>();
      let dark = 0;
      for (let y = 0; y < p.height; y += 2) for (let x = 0; x < p.width; x += 2) {
        const c = p.at(x, y);
        seen.add(c.join(','));
        if (c[0] + c[1] + c[2] < 200) dark++;
      }
      expect(seen.size, (v as { plot: string }).plot).toBeGreaterThan(20);
      expect(dark, (v as { plot: string }).plot).toBeGreaterThan(200); // axes, labels, the line or bars
    }
  });

  it('points: a 2-D projection with its labels drawn, not blank', async () => {
    const p = pixels(await renderPng({ kind: 'points', title: 'embedding', points: [0, 0, 0, 1, 1, 0, 2, 0.5, 1, -1, 2, 0], labels: ['a', 'b', 'c', 'd'] }));
    let dark = 0;
    const seen = new Set<string>();
    for (let y = 0; y < p.height; y += 2) for (let x = 0; x < p.width; x += 2) {
      const c = p.at(x, y);
      seen.add(c.join(','));
      if (c[0] + c[1] + c[2] < 200) dark++;
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(dark).toBeGreaterThan(200);
  });

  it('3-D views are not rendered headless, with the reason', async () => {
    expect(await renderView({ kind: 'tensor3d', title: 't', shape: [2, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 8] })).toEqual({ skip: expect.stringMatching(/3-D view: it renders with WebGL in the editor/) });
    expect(await renderView({ kind: 'volume', title: 'v', shape: [2, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 8] })).toEqual({ skip: expect.stringMatching(/WebGL in the editor/) });
    expect(await renderView({ kind: 'lines', title: 'l', lines: [0, 1, 0, 1, 0, 0, 0, 0, -1], coordinates: [1, 0, 0, -1, 0, 0] })).toEqual({ skip: expect.stringMatching(/WebGL in the editor/) });
  });

  it('a view of a kind no module defines is an error naming the kinds there are, not drawn as another', async () => {
    const odd = { kind: 'subspace', title: 's' } as unknown as ViewRequest;
    await expect(renderView(odd)).rejects.toThrow("a view of kind 'subspace', which no viewer draws (view kinds: heatmap, plot, tensor3d, volume, points, lines, radiance)");
  });
});
