// Opening graphs in the editor as a person does (issue 12, items 7, 8, 9, 12): a graph saved in the
// library by an older Corespace, a damaged or cut share link, a share link of a graph with an
// embedded file, a half-built graph imported, and quick-add typed key by key.
import { describe, expect, it } from 'vitest';
import { POLL, exported, hasAttr, hasCount, hasText, hasValue, newGraph, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

describe.skipIf(skip)('opening graphs', () => {
  it('quick-add: typing "tucker" then Enter adds Tucker, not the first type whose description mentions it', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await page.getByTestId('canvas').dblclick({ position: { x: 300, y: 200 } });
    const box = page.getByTestId('searchbox').locator('input');
    await visible(box);
    await box.pressSequentially('tucker', { delay: 20 });
    await hasText(page.getByTestId('searchbox').locator('li.active'), 'decompose.tucker');
    await box.press('Enter');
    await visible(page.getByTestId('node-tucker'));
    await hasCount(page.getByTestId('node-synthetic'), 0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a graph the library holds in an older shape (no typeVersion, params or layout) opens through the loader', async () => {
    const { context, page } = await openEditor(harness());
    // The fixture: a row as an earlier Corespace saved it, written straight into IndexedDB.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('corespace');
          open.onsuccess = () => {
            const tx = open.result.transaction('graphs', 'readwrite');
            tx.objectStore('graphs').put({
              id: 'old-1',
              name: 'old shape',
              updatedAt: Date.now() + 1e6,
              doc: { format: 'corespace.graph', version: 1, name: 'old shape', nodes: [{ id: 'syn', type: 'source.synthetic' }, { id: 'tk', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } }], edges: [{ id: 'e', from: { node: 'syn', port: 'tensor' }, to: { node: 'tk', port: 'tensor' } }] },
            });
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    await page.getByTestId('open-library').click();
    await page.getByTestId('library').getByText('old shape', { exact: true }).click();
    await visible(page.getByTestId('node-tk'));
    await visible(page.getByTestId('node-syn'));
    // The loader filled in what the old row lacked: the export is a complete graph.
    const doc = await exported(page);
    expect(doc.nodes.find((n: { id: string }) => n.id === 'syn')).toMatchObject({ typeVersion: 1, params: {} });
    expect(doc.layout).toBeDefined();
    await context.close();
  });

  it('a damaged share link and a cut one say so over the graph that opens instead', async () => {
    const { context, page } = await openEditor(harness(), '#graph=garbage!');
    await hasText(page.getByTestId('import-problems'), /share link is damaged/);
    // Titled for what happened (nothing was imported), not "Import refused".
    await hasText(page.getByTestId('import-problems-title'), 'The share link cannot be opened');
    // A real link, cut in half.
    await page.getByTestId('import-problems').getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('share').click();
    const url = await page.getByTestId('share-url').inputValue();
    const cut = url.slice(0, Math.floor(url.length / 2));
    const second = await context.newPage();
    await second.goto(cut);
    await hasText(second.getByTestId('import-problems'), /share link/);
    await visible(second.locator('.react-flow__node').first());
    await context.close();
  });

  it('a share link leaves embedded file bytes out and says so', async () => {
    const { context, page } = await openEditor(harness());
    const bytes = Buffer.alloc(60_000, 7);
    const { createHash } = await import('node:crypto');
    const graph = {
      format: 'corespace.graph',
      version: 1,
      name: 'with file',
      nodes: [{ id: 'src', type: 'source.npy', params: { path: 'big.npy' } }],
      edges: [],
      meta: { files: { 'big.npy': { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, base64: bytes.toString('base64') } } },
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'with-file.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
    await visible(page.getByTestId('node-src'));
    await page.getByTestId('share').click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url.length).toBeLessThan(2000);
    await hasText(page.getByTestId('share-files'), /Files are not in the link .* big\.npy/);
    await context.close();
  });

  it('a half-built graph imports, its problems shown as warnings on the nodes', async () => {
    const { context, page } = await openEditor(harness());
    const half = {
      format: 'corespace.graph',
      version: 1,
      name: 'half built',
      nodes: [{ id: 'syn', type: 'source.synthetic', params: { noise: -1 } }, { id: 'tk', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } }],
      edges: [],
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'half.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(half)) });
    await visible(page.getByTestId('node-tk'));
    await hasCount(page.getByTestId('import-problems'), 0);
    await hasText(page.getByTestId('notice'), /Opened with 2 problems/);
    await expect.poll(() => page.getByTestId('warning-tk').getAttribute('title')).toMatch(/needs its input 'tensor'/);
    await expect.poll(() => page.getByTestId('warning-syn').getAttribute('title')).toMatch(/noise/);
    await context.close();
  });

  it('a node estimated above the time ceiling is flagged with its estimate; a higher ceiling, picked in the toolbar, clears it and is kept', async () => {
    const { context, page } = await openEditor(harness());
    const costly = {
      format: 'corespace.graph',
      version: 1,
      name: 'costly',
      nodes: [{ id: 'syn', type: 'source.synthetic', params: { shape: [24, 24, 24], ranks: [2, 2, 2] } }, { id: 'cp', type: 'decompose.cp', params: { rank: 128, maxIter: 100000, tol: 0 } }],
      edges: [{ id: 'e', from: { node: 'syn', port: 'tensor' }, to: { node: 'cp', port: 'tensor' } }],
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'costly.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(costly)) });
    await visible(page.getByTestId('node-cp'));
    await expect.poll(() => page.getByTestId('warning-cp').getAttribute('title'), POLL).toMatch(/estimated \d+ min on one CPU core \(rank 128 × 3 modes × 13 824 entries × up to 100 000 sweeps\), above the ceiling of 10 min/);
    // Run refuses the graph, with the same words, and nothing runs.
    await page.getByTestId('run').click();
    await hasText(page.getByTestId('run-problems'), /decompose\.cp: estimated \d+ min on one CPU core .* or raise the ceiling/);
    await hasAttr(page.getByTestId('node-syn'), 'data-status', 'idle');
    await page.getByRole('combobox', { name: 'time ceiling' }).selectOption({ label: '1 h per node' });
    await hasCount(page.getByTestId('warning-cp'), 0);
    await page.reload();
    await visible(page.getByTestId('node-cp'));
    await hasValue(page.getByRole('combobox', { name: 'time ceiling' }), '60');
    await hasCount(page.getByTestId('warning-cp'), 0);
    await context.close();
  });
});
