// Bypass, collapse and frames on the canvas, driven with the mouse and keys (issue 12, item 15;
// ComfyUI's bypass and groups, Blender's frames): a bypassed node is drawn as such and its run
// passes its input on; a collapsed node shows only its header; a frame carries its nodes when its
// title is dragged, is renamed in place, and goes away leaving its nodes.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, exported, hasCount, hasText, newGraph, pick, POLL, runAndWait, setParam, typeInto, visible, wire } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

/** synthetic → dct → svd, wired with the mouse. */
async function chain(page: Page): Promise<void> {
  await newGraph(page);
  await drop(page, 'source.synthetic', 120, 150);
  await visible(page.getByTestId('node-synthetic'));
  await drop(page, 'transform.dct', 420, 150);
  await visible(page.getByTestId('node-dct'));
  await drop(page, 'decompose.svd', 720, 150);
  await visible(page.getByTestId('node-svd'));
  await wire(page, 'out-synthetic-tensor', 'in-dct-tensor');
  await wire(page, 'out-dct-tensor', 'in-svd-tensor');
  // The source is 3-D: the SVD unfolds it along its first mode.
  await setParam(page, 'svd', 'mode', '0');
}

const box = async (page: Page, testId: string) => (await page.getByTestId(testId).boundingBox())!;

describe.skipIf(skip)('canvas tools', () => {
  it('bypass from the context menu: drawn as bypassed, run passes the input on, saved; Ctrl+B turns it off', async () => {
    const { context, page, errors } = await openEditor(harness());
    await chain(page);
    await page.getByTestId('node-dct').locator('header').click({ button: 'right' });
    await page.getByTestId('context-menu').getByText('Bypass', { exact: true }).click();
    await visible(page.getByTestId('bypassed-dct'));
    await expect.poll(() => page.getByTestId('node-dct').getAttribute('class'), POLL).toMatch(/\bbypassed\b/);
    await runAndWait(page, 'svd');
    await hasText(page.getByTestId('state-dct'), 'bypassed');
    expect((await exported(page)).nodes.find((n: { id: string }) => n.id === 'dct').bypass).toBe(true);
    // The menu now offers to stop; Ctrl+B on the selected node does it.
    await page.getByTestId('node-dct').locator('header').click({ button: 'right' });
    await hasText(page.getByTestId('context-menu'), 'Stop bypassing');
    await page.getByTestId('canvas').click({ position: { x: 400, y: 450 } });
    await hasCount(page.getByTestId('context-menu'), 0);
    await pick(page, 'dct');
    await page.keyboard.press('Control+b');
    await hasCount(page.getByTestId('bypassed-dct'), 0);
    expect((await exported(page)).nodes.find((n: { id: string }) => n.id === 'dct').bypass).toBeUndefined();
    // Undo brings the bypass back.
    await page.keyboard.press('Control+z');
    await visible(page.getByTestId('bypassed-dct'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('collapse: the header button hides settings and results (the state shows as a glyph), saved in the layout; Alt+C on the selection', async () => {
    const { context, page, errors } = await openEditor(harness());
    await chain(page);
    await runAndWait(page, 'svd');
    await visible(page.getByTestId('results-svd'));
    const open = await box(page, 'node-svd');
    await page.getByTestId('collapse-svd').click();
    await hasCount(page.getByTestId('results-svd'), 0);
    await hasCount(page.getByTestId('state-svd'), 0);
    await hasText(page.getByTestId('glyph-svd'), '✓');
    const shut = await box(page, 'node-svd');
    expect(shut.height).toBeLessThan(open.height / 2);
    // Still wired: the handles stay.
    await visible(page.getByTestId('in-svd-tensor'));
    expect((await exported(page)).layout.collapsed).toEqual(['svd']);
    await page.getByTestId('collapse-svd').click();
    await visible(page.getByTestId('results-svd'));
    expect((await exported(page)).layout.collapsed).toBeUndefined();
    // Alt+C on two selected nodes collapses both, and again expands both.
    await pick(page, 'synthetic');
    await page.getByTestId('node-dct').locator('header').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Alt+c');
    await expect.poll(async () => (await exported(page)).layout.collapsed, POLL).toEqual(['synthetic', 'dct']);
    await page.keyboard.press('Alt+c');
    await expect.poll(async () => (await exported(page)).layout.collapsed, POLL).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('frames: Ctrl+G frames the selection; dragging the title carries its nodes only; rename in place; Delete removes the frame and keeps the nodes; undo', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 120, 120);
    await visible(page.getByTestId('node-synthetic'));
    await drop(page, 'transform.dct', 120, 330);
    await visible(page.getByTestId('node-dct'));
    await drop(page, 'decompose.svd', 640, 150);
    await visible(page.getByTestId('node-svd'));
    await pick(page, 'synthetic');
    await page.getByTestId('node-dct').locator('header').click({ modifiers: ['Shift'] });
    await page.keyboard.press('Control+g');
    const frame = page.locator('.cs-frame');
    await hasCount(frame, 1);
    const id = (await frame.getAttribute('data-testid'))!.replace(/^frame-/, '');
    // The frame encloses both nodes, not the third.
    const f = await box(page, `frame-${id}`);
    for (const n of ['synthetic', 'dct']) {
      const b = await box(page, `node-${n}`);
      expect(b.x).toBeGreaterThan(f.x);
      expect(b.y + b.height).toBeLessThan(f.y + f.height);
    }
    expect((await box(page, 'node-svd')).x).toBeGreaterThan(f.x + f.width);

    const before = { synthetic: await box(page, 'node-synthetic'), dct: await box(page, 'node-dct'), svd: await box(page, 'node-svd') };
    const t = await box(page, `frame-title-${id}`);
    await page.mouse.move(t.x + 20, t.y + t.height / 2);
    await page.mouse.down();
    await page.mouse.move(t.x + 60, t.y + 30, { steps: 4 });
    await page.mouse.move(t.x + 170, t.y + 90, { steps: 8 });
    await page.mouse.up();
    const after = { synthetic: await box(page, 'node-synthetic'), dct: await box(page, 'node-dct'), svd: await box(page, 'node-svd') };
    // The frame followed the pointer (React Flow starts a drag at the first move past its
    // threshold, so it trails the pointer by that first step), and its nodes moved exactly with it.
    const moved = await box(page, `frame-${id}`);
    const shift = { x: moved.x - f.x, y: moved.y - f.y };
    expect(shift.x).toBeGreaterThan(120);
    expect(shift.y).toBeGreaterThan(50);
    for (const n of ['synthetic', 'dct'] as const) {
      expect(Math.abs(after[n].x - before[n].x - shift.x)).toBeLessThan(1);
      expect(Math.abs(after[n].y - before[n].y - shift.y)).toBeLessThan(1);
    }
    expect(after.svd).toEqual(before.svd);

    // Rename: double-click the title, type key by key, Enter.
    await page.getByTestId(`frame-title-${id}`).dblclick();
    await typeInto(page.getByTestId(`frame-name-${id}`), 'Inputs');
    await page.keyboard.press('Enter');
    await hasText(page.getByTestId(`frame-title-${id}`), 'Inputs');
    const saved = await exported(page);
    expect(saved.layout.frames).toHaveLength(1);
    expect(saved.layout.frames[0].title).toBe('Inputs');

    // Delete removes the frame only; undo brings it back with its name.
    await page.getByTestId(`frame-title-${id}`).click();
    await page.keyboard.press('Delete');
    await hasCount(frame, 0);
    await expect.poll(() => page.locator('.cs-node').count(), POLL).toBe(3);
    await page.keyboard.press('Control+z');
    await hasCount(frame, 1);
    await hasText(page.getByTestId(`frame-title-${id}`), 'Inputs');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Ctrl+A selects every node (not the page text); Esc closes a context menu; "Group in a frame" from it; ? lists all of these', async () => {
    const { context, page, errors } = await openEditor(harness());
    await chain(page);
    await page.getByTestId('canvas').click({ position: { x: 500, y: 500 } });
    await page.keyboard.press('Control+a');
    await hasText(page.locator('.cs-inspector'), '3 nodes selected');
    expect(await page.evaluate(() => String(window.getSelection()))).toBe('');
    // The context menu of a selected node acts on the selection; Esc closes it.
    await page.getByTestId('node-dct').locator('header').click({ button: 'right' });
    await visible(page.getByTestId('context-menu'));
    await page.keyboard.press('Escape');
    await hasCount(page.getByTestId('context-menu'), 0);
    await hasText(page.locator('.cs-inspector'), '3 nodes selected');
    await page.getByTestId('node-dct').locator('header').click({ button: 'right' });
    await page.getByTestId('context-menu').getByText('Group in a frame').click();
    await hasCount(page.locator('.cs-frame'), 1);
    const frame = (await exported(page)).layout.frames;
    expect(frame).toHaveLength(1);
    // The frame holds all three nodes.
    const f = await box(page, (await page.locator('.cs-frame').getAttribute('data-testid'))!);
    for (const n of ['synthetic', 'dct', 'svd']) {
      const b = await box(page, `node-${n}`);
      expect(b.x).toBeGreaterThan(f.x);
      expect(b.x + b.width).toBeLessThan(f.x + f.width);
    }
    await page.keyboard.press('?');
    const help = page.getByTestId('help');
    for (const k of ['Ctrl+A', 'Ctrl+B', 'Alt+C', 'Ctrl+G', 'click a wire', 'drag from a connected input', 'drag a wire to empty canvas']) await hasText(help, k);
    expect(errors).toEqual([]);
    await context.close();
  });
});
