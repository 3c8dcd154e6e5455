// The geometry views in Debian's chromium (WebGL through SwiftShader): a 3-D scatter of an MDS
// embedding of subspaces and the lines of Plücker coordinates are drawn (not blank), and hovering a
// known point or line shows its label or index and coordinates. Screenshots go to test-artifacts/.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { canvasStats } from './actions';
import { ARTIFACTS, editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

const POLL = { timeout: 30_000, interval: 200 };

const GRAPH = {
  format: 'corespace.graph',
  version: 1,
  name: 'geometry-views',
  nodes: [
    { id: 'stack', type: 'source.synthetic', params: { shape: [6, 10, 2], kind: 'gaussian', seed: 3 } },
    { id: 'dist', type: 'grassmann.distances' },
    { id: 'pts', type: 'view.points', params: { labels: ['s0', 's1', 's2', 's3', 's4', 's5'] } },
    { id: 'u', type: 'source.synthetic', params: { shape: [12, 4], kind: 'gaussian', seed: 4 } },
    { id: 'v', type: 'source.synthetic', params: { shape: [12, 4], kind: 'gaussian', seed: 5 } },
    { id: 'p', type: 'embed.plucker' },
    { id: 'l', type: 'plucker.lines' },
    { id: 'lines', type: 'view.lines' },
  ],
  edges: [
    { id: 'e1', from: { node: 'stack', port: 'tensor' }, to: { node: 'dist', port: 'subspaces' } },
    { id: 'e2', from: { node: 'dist', port: 'embedding' }, to: { node: 'pts', port: 'points' } },
    { id: 'e3', from: { node: 'u', port: 'tensor' }, to: { node: 'p', port: 'u' } },
    { id: 'e4', from: { node: 'v', port: 'tensor' }, to: { node: 'p', port: 'v' } },
    { id: 'e5', from: { node: 'p', port: 'tensor' }, to: { node: 'l', port: 'coordinates' } },
    { id: 'e6', from: { node: 'l', port: 'table' }, to: { node: 'lines', port: 'lines' } },
  ],
};

/** Moves the mouse onto item i of a 3-D view (where its canvas says it is drawn). */
async function hoverItem(page: Page, canvas: Locator, i: number): Promise<void> {
  let at: { x: number; y: number } | null = null;
  await expect.poll(async () => (at = await canvas.evaluate((c, k) => (c as HTMLCanvasElement & { corespaceProject?: (k: number) => { x: number; y: number } | null }).corespaceProject?.(k) ?? null, i)), POLL).not.toBeNull();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + at!.x, box.y + at!.y);
}

describe.skipIf(skip)('the geometry views in chromium', () => {
  it('an MDS embedding as labelled points, and Plücker lines, drawn and hovered', async () => {
    const { context, page, errors } = await openEditor(harness());
    await page.getByTestId('import-file').setInputFiles({ name: 'geometry.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(GRAPH)) });
    await page.getByTestId('node-pts').waitFor();
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('node-lines').getAttribute('data-status'), POLL).toMatch(/done|cached/);
    await expect.poll(() => page.getByTestId('node-pts').getAttribute('data-status'), POLL).toMatch(/done|cached/);

    await page.getByTestId('view-tab-pts').click();
    const points = page.getByTestId('points3d-canvas').locator('canvas');
    await points.waitFor();
    await expect.poll(async () => (await canvasStats(page, 'points3d-canvas')).ink, POLL).toBeGreaterThan(300);
    await expect.poll(() => page.getByTestId('points-hover').innerText(), POLL).toBe('6 points');
    await hoverItem(page, points, 4);
    await expect.poll(() => page.getByTestId('points-hover').innerText(), POLL).toMatch(/^s4: \(-?[\d.e-]+, -?[\d.e-]+, -?[\d.e-]+\)$/);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-points.png') });

    await page.getByTestId('view-tab-lines').click();
    const lines = page.getByTestId('lines3d-canvas').locator('canvas');
    await lines.waitFor();
    await expect.poll(async () => (await canvasStats(page, 'lines3d-canvas')).ink, POLL).toBeGreaterThan(300);
    await expect.poll(() => page.getByTestId('lines-hover').innerText(), POLL).toBe('12 lines');
    await hoverItem(page, lines, 7);
    await expect.poll(() => page.getByTestId('lines-hover').innerText(), POLL).toMatch(/^line 7: p \(.*\), d \(.*\), m \(.*\)$/);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-lines.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
