// The library keeps what a person expects: an example moved about and opened again reopens that
// same entry; one whose settings were edited stays the user's, and the example opens beside it
// under a free name ("image (2)"), never a second entry of the same name; restoring an older
// version keeps the graph's current name.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, exported, hasAttr, hasCount, hasText, newGraph, openExample, setParam, typeInto, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

/** The names of the library's entries, once its list has loaded. */
async function libraryNames(page: Page): Promise<string[]> {
  await page.getByTestId('open-library').click();
  await hasAttr(page.getByTestId('graphs'), 'aria-busy', 'false');
  const names = await page.getByTestId('graphs').locator('li > a').allInnerTexts();
  await page.getByTestId('library').getByRole('button', { name: 'Close' }).click();
  return names.sort();
}


describe.skipIf(skip)('the library', () => {
  it('an example only moved about opens as the same entry; one with edited settings opens beside it as "image (2)"', async () => {
    const { context, page, errors } = await openEditor(harness());
    await openExample(page, 'image', 'png');
    // Drag the png node by its header.
    const h = (await page.getByTestId('node-png').locator('header').boundingBox())!;
    await page.mouse.move(h.x + 40, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + 80, h.y + 30, { steps: 4 });
    await page.mouse.move(h.x + 160, h.y + 90, { steps: 8 });
    await page.mouse.up();
    await hasText(page.getByTestId('saved'), 'saved');
    const moved = (await exported(page)).layout.positions.png;
    await openExample(page, 'image', 'png');
    expect((await exported(page)).layout.positions.png).toEqual(moved);
    expect((await libraryNames(page)).filter((n) => n.startsWith('image'))).toEqual(['image']);
    // An edited setting: the example opens fresh, under a free name.
    await setParam(page, 'save', 'name', 'mine');
    await hasText(page.getByTestId('saved'), 'saved');
    await openExample(page, 'image', 'png');
    expect((await libraryNames(page)).filter((n) => n.startsWith('image'))).toEqual(['image', 'image (2)']);
    expect((await exported(page)).name).toBe('image (2)');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('restoring an older version brings back its nodes and keeps the current name', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 150);
    await visible(page.getByTestId('node-synthetic'));
    await hasText(page.getByTestId('saved'), 'saved');
    await drop(page, 'transform.dct', 450, 150);
    await visible(page.getByTestId('node-dct'));
    await typeInto(page.getByRole('textbox', { name: 'graph name' }), 'renamed');
    await hasText(page.getByTestId('saved'), 'saved');
    await page.getByTestId('open-library').click();
    await hasAttr(page.getByTestId('versions'), 'aria-busy', 'false');
    // The oldest version: the one-node graph saved first.
    const oldest = page.getByTestId('versions').locator('li', { hasText: '1 nodes' }).last();
    await oldest.getByRole('button', { name: 'Restore' }).click();
    await page.getByTestId('library').getByRole('button', { name: 'Close' }).click();
    await hasCount(page.getByTestId('node-dct'), 0);
    const doc = await exported(page);
    expect(doc.nodes.map((n: { id: string }) => n.id)).toEqual(['synthetic']);
    expect(doc.name).toBe('renamed');
    expect(errors).toEqual([]);
    await context.close();
  });
});
