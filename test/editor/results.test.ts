// The results panel as a person uses it (issue 12, items 13 and 15): a sweep's table shown as a
// table, the panel resized by dragging its top edge with the mouse, and collapsed to its header.
import { describe, expect, it } from 'vitest';
import { hasAttr, hasCount, hasText, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

const graph = {
  format: 'corespace.graph',
  version: 1,
  name: 'small sweep',
  nodes: [
    { id: 'x', type: 'source.synthetic', params: { shape: [12, 12, 12], ranks: [3, 3, 3], seed: 2 } },
    { id: 'tucker', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
    { id: 'sweep', type: 'sweep.rank', params: { node: 'tucker', param: 'ranks', values: [[1, 1, 1], [2, 2, 2], [3, 3, 3]] } },
  ],
  edges: [{ id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 'tucker', port: 'tensor' } }],
  layout: { positions: { x: { x: 0, y: 0 }, tucker: { x: 340, y: 0 }, sweep: { x: 680, y: 0 } } },
};

describe.skipIf(skip)('the results panel', () => {
  it('shows a sweep as a table, resizes by dragging its edge, and collapses', async () => {
    const { context, page, errors } = await openEditor(harness());
    await page.getByTestId('import-file').setInputFiles({ name: 'sweep.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
    await visible(page.getByTestId('node-sweep'));
    await page.getByTestId('run').click();
    await hasAttr(page.getByTestId('node-sweep'), 'data-status', /done|cached/, { timeout: 60_000 });
    const table = page.getByTestId('table-sweep-table');
    await visible(table);
    await hasText(table.locator('thead'), /ranks.*relError.*params.*compressionRatio/);
    await hasCount(table.locator('tbody tr'), 3);
    // The ranks read as the tuples tried, not their products (1, 8, 27).
    expect(await table.locator('tbody tr td:nth-child(1)').allInnerTexts()).toEqual(['(1, 1, 1)', '(2, 2, 2)', '(3, 3, 3)']);
    // The error falls as the rank grows, and is ~0 at the true rank (3,3,3).
    const err = await table.locator('tbody tr td:nth-child(2)').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('title'))));
    expect(err[0]!).toBeGreaterThan(err[1]!);
    expect(err[2]!).toBeLessThan(1e-5);

    // Drag the top edge up by 150 px: the panel grows by about that much.
    const panel = page.getByTestId('results');
    const before = (await panel.boundingBox())!.height;
    const edge = (await page.getByTestId('results-resize').boundingBox())!;
    await page.mouse.move(edge.x + 200, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 200, edge.y - 75, { steps: 5 });
    await page.mouse.move(edge.x + 200, edge.y - 150, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Math.abs((await panel.boundingBox())!.height - before - 150), { timeout: 20_000 }).toBeLessThan(12);

    // Collapse to the header and back.
    await page.getByTestId('results-collapse').click();
    await hasCount(page.getByTestId('table-sweep-table'), 0);
    await expect.poll(async () => (await panel.boundingBox())!.height, { timeout: 20_000 }).toBeLessThan(60);
    await page.getByTestId('results-collapse').click();
    await visible(page.getByTestId('table-sweep-table'));
    expect(errors).toEqual([]);
    await context.close();
  });
});
