// view.radiance in chromium: the live three.js ray-marcher draws a dense field exactly as the engine's
// renderer does (the first row's camera, the canvas's own pixel size: each pixel within a few levels
// of 255 of renderImage), and teacher, student and difference move together when one is dragged;
// the density scale and the background change what is drawn; a distillation shows its student as it
// trains.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orbitCamera, renderImage, sceneField } from '../../engine';
import { canvasPixels as pixels, canvasStats } from './actions';
import { ARTIFACTS, editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

const POLL = { timeout: 60_000, interval: 250 };

const GRAPH = {
  format: 'corespace.graph',
  version: 1,
  name: 'radiance-browser',
  nodes: [
    { id: 'scene', type: 'source.radiance', params: { scene: 'spheres', resolution: 20, seed: 3 } },
    { id: 'field', type: 'view.radiance', params: { views: 1, size: 48, samples: 40 } },
    { id: 'vm', type: 'radiance.distill', params: { student: 'vm', resolution: 12, densityRank: 2, colorRank: 3, steps: 6, rays: 32, points: 128, samples: 16, views: 1, viewSize: 16, previewEvery: 2 } },
    { id: 'pair', type: 'view.radiance', params: { views: 1, size: 48, samples: 40 } },
  ],
  edges: [
    { id: 'e1', from: { node: 'scene', port: 'field' }, to: { node: 'field', port: 'teacher' } },
    { id: 'e2', from: { node: 'scene', port: 'field' }, to: { node: 'vm', port: 'teacher' } },
    { id: 'e3', from: { node: 'scene', port: 'field' }, to: { node: 'pair', port: 'teacher' } },
    { id: 'e4', from: { node: 'vm', port: 'field' }, to: { node: 'pair', port: 'student' } },
  ],
};

describe.skipIf(skip)('view.radiance in chromium', () => {
  it('draws a dense field as the engine renders it, from the same camera', async () => {
    const { context, page, errors } = await openEditor(harness());
    await page.getByTestId('import-file').setInputFiles({ name: 'radiance.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(GRAPH)) });
    await page.getByTestId('node-field').waitFor();
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('node-pair').getAttribute('data-status'), POLL).toMatch(/done|cached/);
    await page.getByTestId('view-tab-field').click();
    await page.getByTestId('radiance-canvas-teacher').locator('canvas').waitFor();
    await expect.poll(async () => (await canvasStats(page, 'radiance-canvas-teacher')).ink, POLL).toBeGreaterThan(200);
    const got = await pixels(page, 'radiance-canvas-teacher');
    expect(got.width).toBe(got.height);
    // The engine's image of the same field from the first row's camera (azimuth 0.4, elevation
    // 0.35), at the canvas's size, 40 samples a ray, white background.
    const want = renderImage(sceneField('spheres', 20, 3), orbitCamera(0.4, 0.35, got.width), { samples: 40, background: [1, 1, 1] });
    const diffs = want.data.map((v, i) => Math.abs(Math.round(255 * Math.min(1, Math.max(0, v))) - got.rgb[i]!));
    const sorted = Array.from(diffs).sort((a, b) => a - b);
    // Float32 in the shader against float64 in the engine, read back as bytes: at most a level of
    // rounding (measured: every pixel within 1 of 255 at 194²); a ray grazing an edge may differ more.
    expect(sorted[Math.floor(0.99 * sorted.length)]).toBeLessThanOrEqual(1);
    expect(sorted[sorted.length - 1]).toBeLessThanOrEqual(4);
    // The scene is not blank: the comparison covered coloured, half-transparent and empty pixels.
    expect(want.data.filter((v) => v < 0.9).length).toBeGreaterThan(want.size / 10);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-radiance.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('teacher, student and difference: dragging one orbits all three; density scale and background redraw', async () => {
    const { context, page, errors } = await openEditor(harness());
    await page.getByTestId('import-file').setInputFiles({ name: 'radiance.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(GRAPH)) });
    await page.getByTestId('node-pair').waitFor();
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('node-pair').getAttribute('data-status'), POLL).toMatch(/done|cached/);
    await page.getByTestId('view-tab-pair').click();
    const ids = ['teacher', 'student', 'diff'];
    for (const id of ids) await page.getByTestId(`radiance-canvas-${id}`).locator('canvas').waitFor();
    await expect.poll(async () => (await canvasStats(page, 'radiance-canvas-student')).ink, POLL).toBeGreaterThan(200);
    const before = await Promise.all(ids.map((id) => canvasStats(page, `radiance-canvas-${id}`)));
    // A 3-step VM student is not the teacher: the difference shows.
    expect(before[1]!.digest).not.toBe(before[0]!.digest);
    expect(before[2]!.digest).not.toBe(before[0]!.digest);
    const box = (await page.getByTestId('radiance-canvas-teacher').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 70, box.y + box.height / 2 - 15, { steps: 6 });
    await page.mouse.up();
    for (const [k, id] of ids.entries()) await expect.poll(async () => (await canvasStats(page, `radiance-canvas-${id}`)).digest, POLL).not.toBe(before[k]!.digest);
    // Lower the density (arrow keys on the slider): less is drawn over the white background.
    const orbited = await canvasStats(page, 'radiance-canvas-teacher');
    await page.getByTestId('radiance-scale').focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await canvasStats(page, 'radiance-canvas-teacher')).ink, POLL).toBeLessThan(orbited.ink);
    await page.getByTestId('radiance-background').selectOption('black');
    // On black nearly every pixel is dark ("ink" counts the non-white ones).
    await expect.poll(async () => (await canvasStats(page, 'radiance-canvas-teacher')).ink, POLL).toBeGreaterThan(0.95 * (await pixels(page, 'radiance-canvas-teacher')).rgb.length / 3);
    // The engine's renders with their PSNR are shown too.
    await expect.poll(() => page.getByTestId('radiance-image').isVisible(), POLL).toBe(true);
    // The distillation showed its student as it trained (every 2 of 6 steps: the last at step 4).
    await page.getByTestId('view-tab-vm').click();
    await expect.poll(() => page.getByTestId('radiance').innerText(), POLL).toMatch(/vm: training — teacher \| student \| difference ×4 — step 4 of 6: [\d.]+ dB on this view/);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-radiance-pair.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
