// What a node shows and how the library keeps examples, as a person meets them in chromium: an example opened twice, a node's
// key setting on its face, the caret under an expression error, and nodes that grow over their
// neighbours after a run.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, hasAttr, hasText, newGraph, nodeBoxes, openExample, pick, typeInto, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;


/** The library's entries with this name, counted once its list has loaded. */
const entries = async (page: Page, name: string) => {
  await page.getByTestId('open-library').click();
  await hasAttr(page.getByTestId('graphs'), 'aria-busy', 'false');
  const n = await page.getByTestId('graphs').getByText(name, { exact: true }).count();
  await page.getByTestId('library').getByRole('button', { name: 'Close' }).click();
  return n;
};


describe.skipIf(skip)('rough edges of nodes', () => {
  it('an example opened twice is one library entry; once edited, opening it again keeps the edit as its own entry', async () => {
    const { context, page, errors } = await openEditor(harness());
    await openExample(page, 'image', 'png');
    await openExample(page, 'image', 'png');
    expect(await entries(page, 'image')).toBe(1);
    // An edit: the name typed key by key. The edited graph stays; the example opens fresh beside it.
    const name = page.getByRole('textbox', { name: 'graph name' });
    await name.click();
    await name.press('End');
    await name.pressSequentially(' mine', { delay: 15 });
    await hasText(page.getByTestId('saved'), 'saved');
    await openExample(page, 'image', 'png');
    expect(await entries(page, 'image')).toBe(1);
    expect(await entries(page, 'image mine')).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a node shows its key setting under its title: a DCT and an inverse DCT differ at a glance', async () => {
    const { context, page, errors } = await openEditor(harness());
    // The first visit's example: its Tucker node says its ranks.
    await hasText(page.getByTestId('subtitle-tucker'), 'ranks 5,5,5');
    await newGraph(page);
    await drop(page, 'transform.dct', 100, 100);
    await drop(page, 'transform.dct', 100, 300);
    await visible(page.getByTestId('node-dct2'));
    await pick(page, 'dct2');
    await page.getByTestId('param-inverse').click();
    await hasText(page.getByTestId('subtitle-dct2'), 'inverse');
    expect(await page.getByTestId('node-dct').innerText()).not.toContain('inverse');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the caret under an expression error points at the column it names", async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.function', 100, 100);
    await pick(page, 'function');
    await typeInto(page.getByTestId('param-expr'), 'x +   * y');
    const error = page.getByTestId('param-expr-error');
    await hasText(error, /column 7/);
    // The x of the quoted line's character above the caret, and of the caret.
    const [above, caret, ch] = await error.evaluate((el) => {
      // The text as lines: a line ends at a newline and where one block element gives way to another.
      const chars: { node: Text; at: number; ch: string }[] = [];
      const lines: (typeof chars)[] = [[]];
      const blockOf = (n: Node) => {
        let e = n.parentElement!;
        while (e !== el && getComputedStyle(e).display.startsWith('inline')) e = e.parentElement!;
        return e;
      };
      let block: Element | null = null;
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = walk.nextNode() as Text | null; t; t = walk.nextNode() as Text | null) {
        if (block && blockOf(t) !== block) lines.push([]);
        block = blockOf(t);
        for (let i = 0; i < t.data.length; i++) t.data[i] === '\n' ? lines.push([]) : lines[lines.length - 1]!.push({ node: t, at: i, ch: t.data[i]! });
      }
      const row = lines.findIndex((l) => /^ *\^/.test(l.map((c) => c.ch).join('')));
      const col = lines[row]!.findIndex((c) => c.ch === '^');
      const x = (c: (typeof chars)[number]) => {
        const r = document.createRange();
        r.setStart(c.node, c.at);
        r.setEnd(c.node, c.at + 1);
        return r.getBoundingClientRect().left;
      };
      return [x(lines[row - 1]![col]!), x(lines[row]![col]!), lines[row - 1]![col]!.ch] as const;
    });
    // The caret is under the '*' the message is about, on screen as in the text.
    expect(ch).toBe('*');
    expect(Math.abs(above - caret)).toBeLessThan(1);
    await hasText(error, /x \+ {3}\* y/);
    expect(errors).toEqual([]);
    await context.close();
  });

  // (rank-sweep: CP, whose results are the tallest, once grew over the node below it)
  it.each([['image-transforms', 'svd'], ['rank-sweep', 'cp']])('after a run no two nodes of %s overlap that did not before', async (example, node) => {
    const { context, page, errors } = await openEditor(harness());
    await openExample(page, example, node);
    const before = await nodeBoxes(page);
    await page.getByTestId('run').click();
    await expect.poll(() => page.locator('.react-flow__node [data-status]').evaluateAll((els) => els.every((e) => /done|cached/.test(e.getAttribute('data-status') ?? ''))), { timeout: 75_000, interval: 200 }).toBe(true);
    const after = await nodeBoxes(page);
    const ids = Object.keys(before);
    const grew: string[] = [];
    for (const a of ids) for (const b of ids) if (a < b && !overlap(before[a]!, before[b]!) && overlap(after[a]!, after[b]!)) grew.push(`${a}/${b}`);
    expect(grew).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 100_000);
});
