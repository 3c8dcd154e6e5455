// What a run shows stays in sight: a node's thumbnails (the convergence sparkline) come before its
// metric lines in its bounded results box; the results panel's header stays when the panel is
// scrolled; the 3-D views are sized to the panel, so none is cut off.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, openExample, runAndWait, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

type Box = { x: number; y: number; width: number; height: number };
const within = (a: Box, b: Box, slack = 1) => a.x >= b.x - slack && a.y >= b.y - slack && a.x + a.width <= b.x + b.width + slack && a.y + a.height <= b.y + b.height + slack;
const box = async (page: Page, sel: string) => (await page.locator(sel).first().boundingBox())!;


describe.skipIf(skip)('panels after a run', () => {
  it("a node's sparkline shows in its results box; the panel's header stays while it scrolls", async () => {
    const { context, page, errors } = await openEditor(harness());
    await visible(page.getByTestId('node-tucker'));
    await runAndWait(page, 'denoised');
    const results = '[data-testid=results-tucker]';
    await visible(page.locator(`${results} .cs-thumb`).first());
    expect(within(await box(page, `${results} .cs-thumb`), await box(page, results))).toBe(true);
    // Scroll the results panel to its end: the header (Results, CSV, JSON) stays in view.
    const panel = page.getByTestId('results');
    await panel.hover();
    await page.mouse.wheel(0, 2000);
    await expect.poll(() => panel.evaluate((el) => el.scrollTop), POLL).toBeGreaterThan(0);
    expect(within(await box(page, '[data-testid=results] header'), (await panel.boundingBox())!)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the 3-D views fit the results panel, and grow with it', async () => {
    const { context, page, errors } = await openEditor(harness());
    await openExample(page, 'views', 'core');
    await runAndWait(page, 'core');
    await page.getByTestId('view-tab-core').click();
    const canvas = '[data-testid=tensor3d-canvas]';
    await visible(page.locator(canvas));
    const panel = page.getByTestId('results');
    const fits = async () => within(await box(page, canvas), (await panel.boundingBox())!);
    await expect.poll(fits, POLL).toBe(true);
    const before = (await box(page, canvas)).height;
    // Drag the panel's top edge up: the view grows with it, and still fits.
    const edge = (await page.getByTestId('results-resize').boundingBox())!;
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 200, edge.y - 100, { steps: 5 });
    await page.mouse.move(edge.x + 200, edge.y - 200, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await box(page, canvas)).height, POLL).toBeGreaterThan(before + 100);
    await expect.poll(fits, POLL).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
