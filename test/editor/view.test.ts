// The view keeps the graph readable and in sight: fit view never goes below zoom 0.6 (an example
// opened reads), a new graph opens at zoom 1, "+" zooms about the selection or the nodes in view
// (a lone node in a corner stays on screen), and a node dropped on the minimap or the zoom
// controls lands beside them, not under them.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, newGraph, settled, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
const zoom = (page: Page) => settled(() => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a));
const box = async (page: Page, sel: string) => (await page.locator(sel).boundingBox())!;

describe.skipIf(skip)('the view', () => {
  it('an example opens at a zoom where its text reads; a new graph opens at zoom 1', async () => {
    const { context, page, errors } = await openEditor(harness());
    await visible(page.getByTestId('node-noisy'));
    expect(await zoom(page)).toBeGreaterThanOrEqual(0.6);
    await newGraph(page);
    expect(await zoom(page)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"+" keeps a lone node in a corner on screen', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 30, 30);
    await visible(page.getByTestId('node-synthetic'));
    await page.getByTestId('canvas').click({ position: { x: 500, y: 400 } });
    for (let i = 0; i < 3; i++) await page.locator('.react-flow__controls-zoomin').click();
    expect(await zoom(page)).toBeGreaterThan(1.5);
    const canvas = await box(page, '[data-testid=canvas]');
    const node = await settled(() => box(page, '[data-testid=node-synthetic]'));
    // Its centre stays in view (about the canvas centre, three "+" took it off the top-left).
    expect(inside({ x: node.x + node.width / 2 - 1, y: node.y + node.height / 2 - 1, width: 2, height: 2 }, canvas)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a node dropped on the minimap or on the zoom controls lands clear of them', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    const canvas = await box(page, '[data-testid=canvas]');
    const map = await box(page, '.react-flow__minimap');
    const controls = await box(page, '.react-flow__controls');
    await drop(page, 'source.synthetic', map.x - canvas.x + 40, map.y - canvas.y + 40);
    await visible(page.getByTestId('node-synthetic'));
    await drop(page, 'transform.dct', controls.x - canvas.x + 5, controls.y - canvas.y + 20);
    await visible(page.getByTestId('node-dct'));
    const a = await settled(() => box(page, '[data-testid=node-synthetic]'));
    const b = await box(page, '[data-testid=node-dct]');
    expect(overlap(a, map)).toBe(false);
    expect(overlap(b, controls)).toBe(false);
    expect(inside(a, canvas)).toBe(true);
    expect(inside(b, canvas)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
