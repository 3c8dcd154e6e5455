// What the editor holds stays true: an undo leaves no ghost in the selection, and a field shown in
// red changes nothing — not the graph, not the saved file, not the undo history — and Run from it
// refuses, naming it. Driven with the mouse and keys, as a person does.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, exported, hasAttr, hasCount, hasText, newGraph, pick, typeInto, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

const inspector = (page: Page) => page.locator('.cs-inspector');
const paramsOf = async (page: Page, id: string) => (await exported(page)).nodes.find((n: { id: string }) => n.id === id)?.params;

describe.skipIf(skip)('editor state', () => {
  it('undoing a drop or a duplicate leaves the selection to what exists: a click then shows that node', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 120, 150);
    await visible(page.getByTestId('node-synthetic'));
    await drop(page, 'transform.dct', 460, 150);
    await visible(page.getByTestId('node-dct'));
    // The dropped node is selected; Ctrl+Z takes it away again.
    await page.keyboard.press('Control+z');
    await hasCount(page.getByTestId('node-dct'), 0);
    await pick(page, 'synthetic');
    await visible(page.getByTestId('param-shape'));
    expect(await inspector(page).innerText()).not.toMatch(/nodes selected/);
    // Ctrl+D selects the copy; undo it, and the original is what a click shows.
    await page.keyboard.press('Control+d');
    await visible(page.getByTestId('node-synthetic2'));
    await page.keyboard.press('Control+z');
    await hasCount(page.getByTestId('node-synthetic2'), 0);
    await pick(page, 'synthetic');
    await visible(page.getByTestId('param-shape'));
    expect(await inspector(page).innerText()).not.toMatch(/nodes selected/);
    // A click on the canvas clears it.
    await page.getByTestId('canvas').click({ position: { x: 600, y: 500 } });
    await hasText(inspector(page), 'Select a node');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a red field keeps the graph at its value from before the typing, adds no undo step, and Run from it refuses naming it', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 120, 150);
    await visible(page.getByTestId('node-synthetic'));
    await pick(page, 'synthetic');
    // 500 passes through 5 and 50 (valid) on its way; above the maximum of 100 it is red.
    await typeInto(page.getByTestId('param-noise'), '500');
    await visible(page.getByTestId('param-noise-error'));
    expect((await paramsOf(page, 'synthetic')).noise).toBeUndefined();
    // Ctrl+Enter from the red field runs nothing and says why.
    await page.getByTestId('param-noise').press('Control+Enter');
    await hasText(page.getByTestId('notice'), /noise field of node synthetic is invalid/);
    await hasAttr(page.getByTestId('node-synthetic'), 'data-status', 'idle');
    // The run button refuses too.
    await page.getByTestId('run').click();
    await hasText(page.getByTestId('notice'), /not run/);
    await hasAttr(page.getByTestId('node-synthetic'), 'data-status', 'idle');
    // No step of the typing is in the history: one undo takes the dropped node away.
    await page.getByTestId('undo').click();
    await hasCount(page.getByTestId('node-synthetic'), 0);
    await page.keyboard.press('Control+Shift+z');
    await visible(page.getByTestId('node-synthetic'));
    expect(await paramsOf(page, 'synthetic')).toEqual({});
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a comma list with a word in it leaves the ranks as they were; correcting the field applies it', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'decompose.tucker', 200, 150);
    await visible(page.getByTestId('node-tucker'));
    await pick(page, 'tucker');
    await typeInto(page.getByTestId('param-ranks'), '4, four');
    await hasText(page.getByTestId('param-ranks-error'), '“four” is not a number');
    expect((await paramsOf(page, 'tucker')).ranks).toBeUndefined();
    // Backspaces back to "4, " and on to "4, 3, 3": valid again, and in the graph.
    const field = page.getByTestId('param-ranks');
    // Back into the field (Export took the focus), to the end of the text.
    await field.click();
    await field.press('End');
    for (let i = 0; i < 4; i++) await field.press('Backspace');
    await field.pressSequentially('3, 3', { delay: 15 });
    await hasCount(page.getByTestId('param-ranks-error'), 0);
    await expect.poll(async () => (await paramsOf(page, 'tucker')).ranks).toEqual([4, 3, 3]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('switching graphs with a red field saves the value from before, and shows no notice of the old graph', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    const name = page.getByRole('textbox', { name: 'graph name' });
    await typeInto(name, 'first');
    await drop(page, 'source.synthetic', 120, 150);
    await visible(page.getByTestId('node-synthetic'));
    await pick(page, 'synthetic');
    await typeInto(page.getByTestId('param-noise'), '0.5');
    // On to the next field and back: 0.5 is the value this round of typing begins from.
    await page.getByTestId('param-noise').press('Tab');
    await typeInto(page.getByTestId('param-noise'), '500');
    await visible(page.getByTestId('param-noise-error'));
    await hasText(page.getByTestId('saved'), 'saved');
    await newGraph(page);
    await hasCount(page.getByTestId('notice'), 0);
    // The first graph, opened again, kept 0.5 (the value the red field began from).
    await page.getByTestId('open-library').click();
    await hasAttr(page.getByTestId('graphs'), 'aria-busy', 'false');
    await page.getByTestId('graphs').getByText('first', { exact: true }).click();
    await visible(page.getByTestId('node-synthetic'));
    expect((await paramsOf(page, 'synthetic')).noise).toBe(0.5);
    expect(errors).toEqual([]);
    await context.close();
  });
});
