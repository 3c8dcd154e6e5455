// The views in Debian's chromium (WebGL through SwiftShader): a heatmap (vega), the 3-D tensor view
// and the volume renderer draw something that is not blank, change when their data or controls
// change, and hovering a known voxel shows its index and value. Screenshots go to test-artifacts/.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canvasStats, hasValue } from './actions';
import { ARTIFACTS, editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

const POLL = { timeout: 30_000, interval: 200 };

// f(i, j, k) = i + 2j + 4k on the 2×2×2 grid of [0, 1]³ (linspace with both ends).
const GRAPH = {
  format: 'corespace.graph',
  version: 1,
  name: 'views-browser',
  nodes: [
    { id: 'f', type: 'source.function', params: { expr: 'x + 2*y + 4*z', shape: [2, 2, 2], domain: [[0, 1]] } },
    { id: 'cube', type: 'view.tensor3d' },
    { id: 'blob', type: 'source.function', params: { expr: 'exp(-6*((x-0.3)^2 + (y-0.4)^2 + (z-0.2)^2 + 1.6*(x-0.3)*(y-0.4))) + 0.8*exp(-20*((x+0.4)^2 + (y+0.3)^2 + (z+0.3)^2 - 1.2*(x+0.4)*(z+0.3)))', shape: [24, 24, 24], domain: [[-1, 1]] } },
    { id: 't', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
    { id: 'rec', type: 'reconstruct' },
    { id: 'vol', type: 'view.volume' },
    { id: 'hm', type: 'view.heatmap' },
    { id: 'core', type: 'view.tensor3d' },
    { id: 'conv', type: 'view.plot' },
    // A field of both signs, −1.6 … 0.8 on the grid (corners (−1,−1,−1) and (1,1,1)).
    { id: 'wave', type: 'source.function', params: { expr: 'x*y*z + 0.2*x - 0.4', shape: [12, 12, 12], domain: [[-1, 1]] } },
    { id: 'svol', type: 'view.volume' },
  ],
  edges: [
    { id: 'e1', from: { node: 'f', port: 'tensor' }, to: { node: 'cube', port: 'data' } },
    { id: 'e2', from: { node: 'blob', port: 'tensor' }, to: { node: 't', port: 'tensor' } },
    { id: 'e3', from: { node: 't', port: 'tucker' }, to: { node: 'rec', port: 'decomposition' } },
    { id: 'e4', from: { node: 'blob', port: 'tensor' }, to: { node: 'vol', port: 'volume' } },
    { id: 'e5', from: { node: 'rec', port: 'tensor' }, to: { node: 'vol', port: 'compare' } },
    { id: 'e6', from: { node: 'blob', port: 'tensor' }, to: { node: 'hm', port: 'tensor' } },
    { id: 'e7', from: { node: 't', port: 'tucker' }, to: { node: 'core', port: 'data' } },
    { id: 'e8', from: { node: 't', port: 'trace' }, to: { node: 'conv', port: 'data' } },
    { id: 'e9', from: { node: 'wave', port: 'tensor' }, to: { node: 'svol', port: 'volume' } },
  ],
};

async function run(page: Page): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name: 'views.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(GRAPH)) });
  await page.getByTestId('node-cube').waitFor();
  await page.getByTestId('run').click();
  await expect.poll(() => page.getByTestId('node-vol').getAttribute('data-status'), POLL).toMatch(/done|cached/);
}

describe.skipIf(skip)('the viewer in chromium', () => {
  it('the 3-D tensor view: voxels drawn, hover shows a known entry, the threshold and a slice plane change the image', async () => {
    const { context, page, errors } = await openEditor(harness());
    await run(page);
    await page.getByTestId('view-tab-cube').click();
    const canvas = page.getByTestId('tensor3d-canvas').locator('canvas');
    await canvas.waitFor();
    await expect.poll(async () => (await canvasStats(page, 'tensor3d-canvas')).ink, POLL).toBeGreaterThan(500);
    const before = await canvasStats(page, 'tensor3d-canvas');
    // Hover the voxel of index (1, 0, 1): f = 1 + 0 + 4 = 5.
    // The hook is set by the voxels' layout effect, which may land a frame after the first pixels.
    let at: { x: number; y: number } | null = null;
    await expect.poll(async () => (at = await canvas.evaluate((c) => (c as HTMLCanvasElement & { corespaceProject?: (i: number[]) => { x: number; y: number } | null }).corespaceProject?.([1, 0, 1]) ?? null)), POLL).not.toBeNull();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + at!.x, box.y + at!.y);
    await expect.poll(() => page.getByTestId('voxel-hover').innerText(), POLL).toBe('[1, 0, 1] = 5.00000');
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-tensor3d.png') });
    // Hide |v| below 0.5 · 7: only the entries 4 … 7 stay.
    await page.getByTestId('tensor3d-threshold').fill('0.5');
    await expect.poll(() => page.getByTestId('voxel-hover').innerText(), POLL).toMatch(/4 of 8 entries|\[/);
    await page.mouse.move(box.x + 5, box.y + 5);
    await expect.poll(() => page.getByTestId('voxel-hover').innerText(), POLL).toBe('4 of 8 entries');
    const thresholded = await canvasStats(page, 'tensor3d-canvas');
    expect(thresholded.digest).not.toBe(before.digest);
    expect(thresholded.ink).toBeLessThan(before.ink);
    await page.getByTestId('tensor3d-threshold').fill('0');
    await page.getByTestId('tensor3d-mode').selectOption('2');
    await expect.poll(() => page.getByTestId('voxel-hover').innerText(), POLL).toBe('4 of 8 entries');
    await page.getByTestId('tensor3d-mode').selectOption('-1');
    // New data, new image: f = i + 2j + 3k, so (1, 0, 1) now holds 4.
    await page.getByTestId('node-f').locator('header').click();
    await page.getByTestId('param-expr').fill('x + 2*y + 3*z');
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('node-cube').getAttribute('data-status'), POLL).toBe('done');
    await expect.poll(async () => (await canvasStats(page, 'tensor3d-canvas')).digest, POLL).not.toBe(before.digest);
    const at2 = await canvas.evaluate((c) => (c as HTMLCanvasElement & { corespaceProject: (i: number[]) => { x: number; y: number } }).corespaceProject([1, 0, 1]));
    await page.mouse.move(box.x + at2.x, box.y + at2.y);
    await expect.poll(() => page.getByTestId('voxel-hover').innerText(), POLL).toBe('[1, 0, 1] = 4.00000');
    // A Tucker result: its core, with the three factor matrices beside it.
    await page.getByTestId('view-tab-core').click();
    await expect.poll(() => page.getByTestId('tensor3d-factors').locator('canvas').count(), POLL).toBe(3);
    await expect.poll(async () => (await canvasStats(page, 'tensor3d-canvas')).ink, POLL).toBeGreaterThan(500);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the volume: original, reconstruction and difference ray-marched; the transfer function changes the image; a heatmap is drawn by vega', async () => {
    const { context, page, errors } = await openEditor(harness());
    await run(page);
    await page.getByTestId('view-tab-vol').click();
    for (const id of ['a', 'b', 'diff']) await page.getByTestId(`volume-canvas-${id}`).locator('canvas').waitFor();
    await expect.poll(async () => (await canvasStats(page, 'volume-canvas-a')).ink, POLL).toBeGreaterThan(2000);
    const a = await canvasStats(page, 'volume-canvas-a');
    const b = await canvasStats(page, 'volume-canvas-b');
    const diff = await canvasStats(page, 'volume-canvas-diff');
    expect(b.ink).toBeGreaterThan(2000);
    // Rank (2,2,2) of two tilted (non-separable) blobs: the reconstruction differs, the difference is not empty.
    expect(b.digest).not.toBe(a.digest);
    expect(diff.digest).not.toBe(a.digest);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-volume.png') });
    await page.getByTestId('volume-sigma').fill('5');
    await expect.poll(async () => (await canvasStats(page, 'volume-canvas-a')).digest, POLL).not.toBe(a.digest);
    expect((await canvasStats(page, 'volume-canvas-a')).ink).toBeLessThan(a.ink);
    // The colour ramp is editable too.
    const thin = await canvasStats(page, 'volume-canvas-a');
    await page.getByTestId('volume-cHi').fill('0.3');
    await expect.poll(async () => (await canvasStats(page, 'volume-canvas-a')).digest, POLL).not.toBe(thin.digest);
    // Orbiting one view moves the others (linked cameras).
    const box = (await page.getByTestId('volume-canvas-a').boundingBox())!;
    const bBefore = await canvasStats(page, 'volume-canvas-b');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await canvasStats(page, 'volume-canvas-b')).digest, POLL).not.toBe(bBefore.digest);
    await page.getByTestId('view-tab-hm').click();
    await expect.poll(async () => (await canvasStats(page, 'vega-view')).ink, POLL).toBeGreaterThan(5000);
    const heat = await canvasStats(page, 'vega-view');
    await page.getByTestId('view-tab-conv').click();
    await expect.poll(async () => (await canvasStats(page, 'vega-view')).digest, POLL).not.toBe(heat.digest);
    expect((await canvasStats(page, 'vega-view')).ink).toBeGreaterThan(1000);
    // Data of both signs: a diverging map centred on 0, its colour bar in the data's units.
    await page.getByTestId('view-tab-svol').click();
    await hasValue(page.getByTestId('volume-map'), 'diverging');
    const bar = page.getByTestId('volume').getByTestId('colorbar').locator('span');
    await expect.poll(async () => (await bar.allInnerTexts()).map(Number), POLL).toEqual([1.6, -1.6]);
    await page.getByTestId('view-tab-vol').click();
    await hasValue(page.getByTestId('volume-map'), 'viridis');
    expect(errors).toEqual([]);
    await context.close();
  });
});
