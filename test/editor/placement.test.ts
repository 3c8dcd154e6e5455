// Where things land and how they are hit on the canvas, as a person meets them in chromium: where a drop and a paste land, the hit area
// of a handle at low zoom, the colour of a handle that takes several types, and fit view beside the
// minimap.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, edgeCount, hasCount, newGraph, nodeBoxes, pick, settled, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const box = async (page: Page, testId: string): Promise<Box> => (await page.getByTestId(testId).boundingBox())!;

/** Opens a graph through the Import button's file input. */
async function importGraph(page: Page, graph: object): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name: 'graph.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
}

describe.skipIf(skip)('rough edges of the canvas', () => {
  it('the first node dropped on an empty canvas stays where it was dropped', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    const canvas = await box(page, 'canvas');
    await drop(page, 'source.synthetic', 150, 120);
    await visible(page.getByTestId('node-synthetic'));
    // A fit of the view queued while the canvas was empty ran ~100 ms after the first node: the
    // node must stay put once nothing moves any more (a full second without a change).
    const node = await settled(() => box(page, 'node-synthetic'), { quietMs: 1000 });
    expect(Math.abs(node.x - (canvas.x + 150))).toBeLessThan(4);
    expect(Math.abs(node.y - (canvas.y + 120))).toBeLessThan(4);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pasted nodes land at the mouse pointer, keeping their places relative to each other', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    const canvas = await box(page, 'canvas');
    await drop(page, 'source.synthetic', 80, 80);
    await drop(page, 'decompose.tucker', 380, 140);
    await pick(page, 'synthetic');
    await page.keyboard.down('Shift');
    await pick(page, 'tucker');
    await page.keyboard.up('Shift');
    await page.keyboard.press('Control+c');
    // The copy has landed when the clipboard holds both nodes.
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 20_000 }).toMatch(/"synthetic".*"tucker"|"tucker".*"synthetic"/s);
    const [a, b] = [await box(page, 'node-synthetic'), await box(page, 'node-tucker')];
    await page.mouse.move(canvas.x + 200, canvas.y + 420, { steps: 5 });
    await page.keyboard.press('Control+v');
    await visible(page.getByTestId('node-tucker2'));
    const [a2, b2] = [await box(page, 'node-synthetic2'), await box(page, 'node-tucker2')];
    // The group's top-left (the source's corner) is at the pointer.
    expect(Math.abs(a2.x - (canvas.x + 200))).toBeLessThan(4);
    expect(Math.abs(a2.y - (canvas.y + 420))).toBeLessThan(4);
    expect(Math.abs(b2.x - a2.x - (b.x - a.x))).toBeLessThan(2);
    expect(Math.abs(b2.y - a2.y - (b.y - a.y))).toBeLessThan(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at zoom ~0.5 a wire starts from a press 5 px beside the handle dot', async () => {
    const { context, page, errors } = await openEditor(harness());
    await importGraph(page, {
      format: 'corespace.graph',
      version: 1,
      name: 'far apart',
      nodes: [
        { id: 'x', type: 'source.synthetic', params: {} },
        { id: 'tk', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
      ],
      edges: [],
      layout: { positions: { x: { x: 0, y: 0 }, tk: { x: 1100, y: 300 } } },
    });
    await visible(page.getByTestId('node-tk'));
    // Fit view stops at a readable 0.6 (the graph is wider than that shows); one "−" goes below.
    const zoomNow = () => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    const fitted = await settled(zoomNow);
    expect(fitted).toBeGreaterThanOrEqual(0.6);
    expect(fitted).toBeLessThan(0.7);
    await page.locator('.react-flow__controls-zoomout').click();
    const zoom = await settled(zoomNow);
    expect(zoom).toBeGreaterThan(0.35);
    expect(zoom).toBeLessThan(0.6);
    const out = await box(page, 'out-x-tensor');
    const into = await box(page, 'in-tk-tensor');
    // 5 px right of the dot's centre: outside the dot (about 5 px across at this zoom).
    const start = { x: out.x + out.width / 2 + 5, y: out.y + out.height / 2 };
    expect(start.x - (out.x + out.width)).toBeGreaterThan(1);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + 40, start.y + 10, { steps: 4 });
    await page.mouse.move(into.x + into.width / 2, into.y + into.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => edgeCount(page)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reconstruct's input shows every decomposition type it takes, in their colours, and names them", async () => {
    const { context, page } = await openEditor(harness());
    // The first visit opens tucker-noise, whose `approx` is a reconstruct node.
    const handle = page.getByTestId('in-approx-decomposition');
    await visible(handle);
    const title = (await handle.getAttribute('title')) ?? '';
    for (const t of ['svd', 'tucker', 'cp', 'tt']) expect(title).toMatch(new RegExp(`\\b${t}\\b`));
    const image = await handle.evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(image).toMatch(/conic-gradient|linear-gradient/);
    // svd red, tucker green, cp pink, tt lime (PORT_COLORS in editor/flow.ts).
    for (const rgb of ['rgb(239, 68, 68)', 'rgb(34, 197, 94)', 'rgb(236, 72, 153)', 'rgb(132, 204, 22)']) expect(image).toContain(rgb);
    await context.close();
  });

  it('fit view keeps every node clear of the minimap, and the minimap can be hidden', async () => {
    const { context, page, errors } = await openEditor(harness());
    // Four nodes at the corners of a box of the canvas's shape: fit to the whole canvas, one sits
    // in the minimap's corner.
    const canvas = await box(page, 'canvas');
    // (about the canvas's size: fitted at a readable zoom, the graph would reach under the minimap)
    const [w, h] = [Math.round(canvas.width - 100), Math.round(canvas.height - 60)];
    const corners = { a: { x: 0, y: 0 }, b: { x: w, y: 0 }, c: { x: 0, y: h }, d: { x: w, y: h } };
    await importGraph(page, {
      format: 'corespace.graph',
      version: 1,
      name: 'corners',
      nodes: Object.keys(corners).map((id) => ({ id, type: 'source.synthetic', params: {} })),
      edges: [],
      layout: { positions: corners },
    });
    await visible(page.getByTestId('node-d'));
    await nodeBoxes(page);
    // The control draws its icon (a glyph missing from the font showed an empty box).
    expect(await page.locator('.react-flow__controls-fitview svg path').count()).toBe(1);
    await page.locator('.react-flow__controls-fitview').click();
    const map = (await page.locator('.react-flow__minimap').boundingBox())!;
    const nodes = Object.values(await nodeBoxes(page));
    expect(nodes.length).toBe(4);
    expect(nodes.filter((n) => overlap(n, map))).toEqual([]);
    await page.getByTestId('minimap-toggle').click();
    await hasCount(page.locator('.react-flow__minimap'), 0);
    await page.getByTestId('minimap-toggle').click();
    await hasCount(page.locator('.react-flow__minimap'), 1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
