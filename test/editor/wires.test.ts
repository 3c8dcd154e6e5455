// Wires on the canvas, as ComfyUI users handle them: click a wire to select it and Delete removes
// it; press a connected input and drag: the wire comes off it and follows the pointer from its
// output, to another input or onto empty canvas (removed, with the quick-add box for what could take
// it); a press without a drag leaves it. Each is one undo step.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, drop, hasCount, hasText, newGraph, visible, wire } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

/** The wires on the canvas, "from.port → to.port", sorted. */
const wires = (page: Page) => page.locator('.react-flow__edge').evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').replace(/^wire /, '')).sort());
const hasWires = (page: Page, want: string[]) => expect.poll(() => wires(page), POLL).toEqual(want);

/** synthetic → dct, and a Tucker node with its input free. */
async function twoTargets(page: Page): Promise<void> {
  await newGraph(page);
  await drop(page, 'source.synthetic', 100, 200);
  await visible(page.getByTestId('node-synthetic'));
  await drop(page, 'transform.dct', 450, 80);
  await visible(page.getByTestId('node-dct'));
  await drop(page, 'decompose.tucker', 450, 330);
  await visible(page.getByTestId('node-tucker'));
  await wire(page, 'out-synthetic-tensor', 'in-dct-tensor');
  await hasWires(page, ['synthetic.tensor → dct.tensor']);
}

const centre = async (page: Page, testId: string) => {
  const b = (await page.getByTestId(testId).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

/** Presses a handle's centre and drags to a point of the page, in steps, as a hand does. */
async function dragFrom(page: Page, testId: string, to: { x: number; y: number }): Promise<void> {
  const a = await centre(page, testId);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x - 30, a.y + 20, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

describe.skipIf(skip)('wires', () => {
  it('a click selects a wire, Delete or Backspace removes it, undo brings it back', async () => {
    const { context, page, errors } = await openEditor(harness());
    await twoTargets(page);
    // The middle of the wire, on screen.
    const mid = await page.locator('.react-flow__edge-path').first().evaluate((p) => {
      const path = p as SVGPathElement;
      const pt = path.getPointAtLength(path.getTotalLength() / 2);
      const m = path.getScreenCTM()!;
      return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
    });
    await page.mouse.click(mid.x, mid.y);
    await hasCount(page.locator('.react-flow__edge.selected'), 1);
    await page.keyboard.press('Delete');
    await hasWires(page, []);
    await hasCount(page.locator('.cs-node'), 3);
    await page.keyboard.press('Control+z');
    await hasWires(page, ['synthetic.tensor → dct.tensor']);
    // A click on the canvas clears the selection: Backspace then removes nothing.
    await page.mouse.click(mid.x, mid.y);
    await hasCount(page.locator('.react-flow__edge.selected'), 1);
    await page.getByTestId('canvas').click({ position: { x: 700, y: 520 } });
    await hasCount(page.locator('.react-flow__edge.selected'), 0);
    await page.keyboard.press('Backspace');
    await hasWires(page, ['synthetic.tensor → dct.tensor']);
    await page.mouse.click(mid.x, mid.y);
    await page.keyboard.press('Backspace');
    await hasWires(page, []);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a wire pressed at its input and dragged to another input moves there, as one undo step', async () => {
    const { context, page, errors } = await openEditor(harness());
    await twoTargets(page);
    await dragFrom(page, 'in-dct-tensor', await centre(page, 'in-tucker-tensor'));
    await hasWires(page, ['synthetic.tensor → tucker.tensor']);
    await page.keyboard.press('Control+z');
    await hasWires(page, ['synthetic.tensor → dct.tensor']);
    await page.keyboard.press('Control+Shift+z');
    await hasWires(page, ['synthetic.tensor → tucker.tensor']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('dropped on empty canvas, the wire is removed and the quick-add box offers what takes it; a press without a drag leaves the wire', async () => {
    const { context, page, errors } = await openEditor(harness());
    await twoTargets(page);
    // A press and release on the connected input, without moving: nothing changes.
    const at = await centre(page, 'in-dct-tensor');
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.up();
    await hasWires(page, ['synthetic.tensor → dct.tensor']);
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    await dragFrom(page, 'in-dct-tensor', { x: canvas.x + 760, y: canvas.y + 520 });
    await hasWires(page, []);
    await hasText(page.getByTestId('searchbox'), 'Nodes that take tensor');
    await page.keyboard.press('Escape');
    await hasCount(page.getByTestId('searchbox'), 0);
    await hasWires(page, []);
    await page.keyboard.press('Control+z');
    await hasWires(page, ['synthetic.tensor → dct.tensor']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
