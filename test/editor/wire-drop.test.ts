// A wire dragged onto empty canvas opens the quick-add box with only the node types it can end at;
// picking one adds it there, wired (issue 12, item 15; ComfyUI's and Blender's link drop).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, edgeCount, hasText, newGraph, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

/** Drags with the mouse from a handle to an empty point of the canvas and lets go there. */
async function dragToPane(page: Page, handle: string, x: number, y: number): Promise<void> {
  const a = (await page.getByTestId(handle).boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 10, { steps: 4 });
  await page.mouse.move(canvas.x + x, canvas.y + y, { steps: 8 });
  await page.mouse.up();
}

const offered = (page: Page) => page.getByTestId('searchbox').locator('li[data-type]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')));

describe.skipIf(skip)('dropping a wire on empty canvas', () => {
  it('from an output: only nodes that take its type; the picked one is added there and wired', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 150);
    await visible(page.getByTestId('node-synthetic'));
    await dragToPane(page, 'out-synthetic-tensor', 600, 200);
    await hasText(page.getByTestId('searchbox'), 'Nodes that take tensor');
    const list = await offered(page);
    expect(list).toContain('decompose.tucker');
    expect(list).not.toContain('source.synthetic');
    expect(list).not.toContain('reconstruct');
    await page.getByTestId('searchbox').locator('input').pressSequentially('tucker', { delay: 20 });
    await page.keyboard.press('Enter');
    await visible(page.getByTestId('node-tucker'));
    await expect.poll(() => edgeCount(page)).toBe(1);
    // Landed where the wire was dropped (within the node's own size), not at some default place.
    const node = (await page.getByTestId('node-tucker').boundingBox())!;
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    expect(Math.abs(node.x - (canvas.x + 600))).toBeLessThan(10);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('from an input: only nodes that make a type it takes', async () => {
    const { context, page } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'reconstruct', 600, 200);
    await visible(page.getByTestId('node-reconstruct'));
    await dragToPane(page, 'in-reconstruct-decomposition', 150, 150);
    await hasText(page.getByTestId('searchbox'), 'Nodes that make svd, tucker, cp, tt');
    const list = await offered(page);
    expect(list).toContain('decompose.tucker');
    expect(list).toContain('decompose.svd');
    expect(list).not.toContain('source.synthetic');
    await page.getByTestId('searchbox').locator(`li[data-type="decompose.cp"]`).click();
    await visible(page.getByTestId('node-cp'));
    await expect.poll(() => edgeCount(page)).toBe(1);
    await context.close();
  });
});
