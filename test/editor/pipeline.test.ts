// The editor in Debian's chromium (playwright-core): build a pipeline by drag-and-drop and run it,
// export it and run it with the CLI (same relative error), persistence across reloads and
// undo/redo, refused imports, refused connections and a failing branch beside a working one, share
// links in a fresh browser context. Screenshots go to test-artifacts/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { drop, edgeCount, hasAttr, hasCount, hasText, hasValue, metric, newGraph, nodeBoxes, runAndWait, setParam, typeInto, visible, wire } from './actions';
import { ARTIFACTS, editorSuite, openEditor } from './harness';
import { corespace } from '../child';
import { tempDir } from '../temp';

const { skip, harness } = editorSuite();

/** Builds source → Tucker → reconstruct → compare by drag-and-drop and the inspector. */
async function buildPipeline(page: Page): Promise<void> {
  await newGraph(page);
  await drop(page, 'source.synthetic', 120, 120);
  await drop(page, 'decompose.tucker', 420, 80);
  await drop(page, 'reconstruct', 720, 80);
  await drop(page, 'metrics.compare', 720, 380);
  for (const id of ['synthetic', 'tucker', 'reconstruct', 'compare']) await visible(page.getByTestId(`node-${id}`));
  await page.getByRole('button', { name: 'Layout' }).click();
  // The wires are drawn between handles where the laid-out nodes have come to rest.
  await nodeBoxes(page);
  await wire(page, 'out-synthetic-tensor', 'in-tucker-tensor');
  await wire(page, 'out-tucker-tucker', 'in-reconstruct-decomposition');
  await wire(page, 'out-reconstruct-tensor', 'in-compare-approx');
  await wire(page, 'out-synthetic-tensor', 'in-compare-reference');
  await expect.poll(() => edgeCount(page)).toBe(4);
  await setParam(page, 'synthetic', 'shape', '24, 20, 16');
  await setParam(page, 'synthetic', 'ranks', '4, 3, 3');
  await setParam(page, 'synthetic', 'noise', '0.05');
  await setParam(page, 'tucker', 'ranks', '4, 3, 3');
}

/** A CP-ALS that would run for minutes (50 000 sweeps, no tolerance: about 5 min, under the 10-minute ceiling), reporting every sweep. */
const longCp = (name: string) => ({
  format: 'corespace.graph',
  version: 1,
  name,
  nodes: [
    { id: 'x', type: 'source.synthetic', params: { shape: [60, 60, 60], ranks: [12, 12, 12], noise: 0.1 } },
    { id: 'cp', type: 'decompose.cp', params: { rank: 12, maxIter: 50000, tol: 0 } },
  ],
  edges: [{ id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 'cp', port: 'tensor' } }],
});

describe.skipIf(skip)('the editor in chromium', () => {
  it('drag, connect, set ranks, run: the metrics node shows the relative error; exported, the CLI gives the same', async () => {
    const { context, page, errors } = await openEditor(harness());
    await buildPipeline(page);
    // The inspector refuses an invalid value inline and keeps it out of the graph.
    await page.getByTestId('node-tucker').locator('header').click();
    await typeInto(page.getByTestId('param-ranks'), '4, x');
    await hasText(page.getByTestId('param-ranks-error'), '“x” is not a number');
    await typeInto(page.getByTestId('param-ranks'), '4, 3, 3');
    await runAndWait(page, 'compare');
    const rel = await metric(page, 'compare', 'metrics.relError');
    // 5 % noise on an exact rank-(4,3,3) tensor: the rank-(4,3,3) fit removes a little of it.
    expect(rel).toBeGreaterThan(0.03);
    expect(rel).toBeLessThan(0.05);
    await hasText(page.getByTestId('node-tucker'), 'ranks 4,3,3');
    await hasText(page.getByTestId('results'), 'relError');
    await page.screenshot({ path: join(ARTIFACTS, 'editor-pipeline.png') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const dir = tempDir('export');
    const file = join(dir, 'graph.json');
    await download.saveAs(file);
    const cliRun = await corespace(['run', file, '--out', join(dir, 'out'), '--backend', 'cpu']);
    expect(cliRun.code, cliRun.stderr).toBe(0);
    const runJson = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(Math.abs(runJson.nodes.compare.metrics.relError.value - rel)).toBeLessThan(1e-6);
    // A second run after a param change runs only what changed (the source comes from the cache).
    await setParam(page, 'tucker', 'ranks', '4, 3, 2');
    await page.getByTestId('run').click();
    await hasAttr(page.getByTestId('node-compare'), 'data-status', 'done', { timeout: 60_000 });
    await hasAttr(page.getByTestId('node-synthetic'), 'data-status', 'cached');
    await hasText(page.getByTestId('node-tucker'), 'ranks 4,3,2');
    expect(await metric(page, 'compare', 'metrics.relError')).toBeGreaterThan(rel);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a reload brings the graph back with its positions; undo and redo restore an edit', async () => {
    const { context, page } = await openEditor(harness());
    await buildPipeline(page);
    const where = () => page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), (e as HTMLElement).style.transform]).sort());
    const before = await where();
    // Reload once the last edit has landed in IndexedDB (the status bar says so).
    await hasText(page.getByTestId('saved'), 'saved');
    await page.reload();
    await page.getByTestId('node-tucker').waitFor();
    expect(await where()).toEqual(before);
    await expect.poll(() => edgeCount(page)).toBe(4);
    // Copy in this tab, paste in another: the node arrives under a fresh id.
    await page.getByTestId('node-tucker').locator('header').click();
    await page.keyboard.press('Control+c');
    const other = await context.newPage();
    await other.goto(harness().url);
    await other.getByTestId('node-tucker').waitFor();
    await other.locator('.react-flow__pane').click({ position: { x: 50, y: 50 } });
    await other.keyboard.press('Control+v');
    await other.getByTestId('node-tucker2').waitFor();
    await other.close();
    await page.bringToFront();
    await page.reload();
    await page.getByTestId('node-tucker2').waitFor();
    await page.getByTestId('node-tucker2').locator('header').click();
    await page.keyboard.press('Delete');
    await hasCount(page.getByTestId('node-tucker2'), 0);
    await page.getByTestId('node-tucker').locator('header').click();
    await hasValue(page.getByTestId('param-ranks'), '4, 3, 3');
    await typeInto(page.getByTestId('param-ranks'), '2, 2, 2');
    await page.getByTestId('node-tucker').locator('header').click();
    await page.keyboard.press('Control+z');
    await hasValue(page.getByTestId('param-ranks'), '4, 3, 3');
    await page.keyboard.press('Control+Shift+z');
    await hasValue(page.getByTestId('param-ranks'), '2, 2, 2');
    // A deleted node comes back with its edges on undo.
    await page.keyboard.press('Delete');
    await hasCount(page.getByTestId('node-tucker'), 0);
    await page.keyboard.press('Control+z');
    await hasCount(page.getByTestId('node-tucker'), 1);
    await expect.poll(() => edgeCount(page)).toBe(4);
    await context.close();
  });

  it('a malformed file and an invalid graph are refused with every problem listed; the open graph stays', async () => {
    const { context, page } = await openEditor(harness());
    const nodes = await page.locator('.react-flow__node').count();
    expect(nodes).toBeGreaterThan(0);
    await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "corespace.graph", "nodes": [') });
    await hasText(page.getByTestId('import-problems'), 'Import refused');
    await hasText(page.getByTestId('import-problems'), /JSON/);
    await page.getByTestId('import-problems').getByRole('button', { name: 'Close' }).click();
    const invalid = {
      format: 'corespace.graph',
      version: 1,
      name: 'invalid',
      nodes: [
        { id: 'x', type: 'source.synthetic', params: { shape: [8, 8], ranks: [0, 2] } },
        { id: 'r', type: 'reconstruct' },
        { id: 'later', type: 'future.node', params: { a: 1 } },
      ],
      edges: [{ id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 'r', port: 'decomposition' } }],
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'invalid.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(invalid)) });
    const dialog = page.getByTestId('import-problems');
    await hasText(dialog, "source.synthetic param 'ranks");
    await hasText(dialog, 'decomposition');
    expect(await dialog.locator('li').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.react-flow__node').count()).toBe(nodes);
    // A valid graph with a node of an unknown (newer) type is kept, the node a placeholder with its params.
    const newer = { ...invalid, name: 'newer', nodes: [invalid.nodes[2], { id: 'x', type: 'source.synthetic' }], edges: [] };
    await page.getByTestId('import-problems').getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('import-file').setInputFiles({ name: 'newer.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(newer)) });
    await hasText(page.getByTestId('node-later'), 'unknown type future.node');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const out = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(out.nodes.find((n: { id: string }) => n.id === 'later')).toMatchObject({ type: 'future.node', params: { a: 1 } });
    await context.close();
  });

  it('an incompatible connection is refused with the reason; a failing node shows its error while a sibling branch completes', async () => {
    const { context, page } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 120, 150);
    await drop(page, 'reconstruct', 520, 150);
    // The quick-add box: double-click the canvas, type, Enter.
    await page.locator('.react-flow__pane').dblclick({ position: { x: 300, y: 420 } });
    await page.getByTestId('searchbox').locator('input').pressSequentially('tucker hooi', { delay: 15 });
    await page.keyboard.press('Enter');
    await page.getByTestId('node-tucker').waitFor();
    await wire(page, 'out-synthetic-tensor', 'in-reconstruct-decomposition');
    await hasText(page.getByTestId('notice'), 'cannot connect synthetic.tensor (tensor) to reconstruct.decomposition');
    expect(await edgeCount(page)).toBe(0);
    const graph = {
      format: 'corespace.graph',
      version: 1,
      name: 'branches',
      nodes: [
        { id: 'x', type: 'source.synthetic', params: { shape: [8, 8, 8], ranks: [2, 2, 2] } },
        // Fails only when it runs (validation cannot know exp(1000) overflows float32).
        { id: 'bad', type: 'source.function', params: { expr: 'exp(1000*x)', shape: [8] } },
        { id: 't', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
      ],
      edges: [
        { id: 'e2', from: { node: 'x', port: 'tensor' }, to: { node: 't', port: 'tensor' } },
      ],
      layout: { positions: { x: { x: 0, y: 0 }, bad: { x: 320, y: -120 }, t: { x: 320, y: 120 } } },
    };
    await page.getByTestId('import-file').setInputFiles({ name: 'branches.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
    await page.getByTestId('node-bad').waitFor();
    // The context menu runs one node and its ancestors only.
    await page.getByTestId('node-t').locator('header').click({ button: 'right' });
    await page.getByTestId('context-menu').getByText('Run up to here').click();
    await hasAttr(page.getByTestId('node-t'), 'data-status', 'done', { timeout: 60_000 });
    expect(await page.getByTestId('node-bad').getAttribute('data-status')).toBe('idle');
    await page.getByTestId('run').click();
    await hasAttr(page.getByTestId('node-bad'), 'data-status', 'error', { timeout: 60_000 });
    await hasText(page.getByTestId('state-bad'), 'Infinity');
    await hasAttr(page.getByTestId('node-t'), 'data-status', 'cached'); // it ran a moment ago
    await hasCount(page.getByTestId('node-t').locator('[data-metric="info.relError"]'), 1);
    await page.screenshot({ path: join(ARTIFACTS, 'editor-branches.png') });
    await context.close();
  });

  it('an example with image files: run, export with the files embedded, and the CLI gives the same numbers anywhere; the export node offers its file', async () => {
    const { context, page, errors } = await openEditor(harness());
    await page.getByTestId('open-library').click();
    await page.getByTestId('example-image').click();
    await page.getByTestId('node-jpeg').waitFor();
    await runAndWait(page, 'compare');
    const psnr = await metric(page, 'compare', 'metrics.psnr');
    expect(psnr).toBeGreaterThan(20);
    await hasText(page.getByTestId('run-files'), 'rings-gray.npy');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const dir = tempDir('embedded');
    const file = join(dir, 'image.json');
    await download.saveAs(file);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(doc.meta.files).sort()).toEqual(['data/rings.jpg', 'data/rings.png']);
    // No data/ folder next to the file: the CLI reads the embedded bytes.
    const cliRun = await corespace(['run', file, '--out', join(dir, 'out'), '--backend', 'cpu']);
    expect(cliRun.code, cliRun.stderr).toBe(0);
    const runJson = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(Math.abs(runJson.nodes.compare.metrics.psnr.value - psnr)).toBeLessThan(1e-6 * psnr);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Cancel stops a long decomposition within an iteration or so; the UI stays responsive', async () => {
    const { context, page } = await openEditor(harness());
    const graph = longCp('long');
    await page.getByTestId('import-file').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
    await page.getByTestId('node-cp').waitFor();
    await page.getByTestId('run').click();
    await hasText(page.getByTestId('state-cp'), /ALS|sweep|iter/i, { timeout: 30_000 });
    const t0 = Date.now();
    await page.getByTestId('cancel').click();
    await hasAttr(page.getByTestId('node-cp'), 'data-status', 'cancelled', { timeout: 15_000 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await hasText(page.getByTestId('status'), 'run: interrupted');
    await context.close();
  });

  it('without the shared cancel flag, Cancel replaces the worker after a grace period; the next run works', async () => {
    const { context, page } = await openEditor(harness(), '?cancel=restart');
    const graph = longCp('long2');
    await page.getByTestId('import-file').setInputFiles({ name: 'long2.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
    await page.getByTestId('node-cp').waitFor();
    await page.getByTestId('run').click();
    await hasText(page.getByTestId('state-cp'), /iter/i, { timeout: 30_000 });
    await page.getByTestId('cancel').click();
    await hasAttr(page.getByTestId('node-cp'), 'data-status', 'cancelled', { timeout: 15_000 });
    await hasText(page.getByTestId('run-problems'), 'restarting the engine worker');
    await hasText(page.getByTestId('backend'), 'backend:');
    // The fresh worker runs the next graph.
    await page.getByTestId('node-cp').locator('header').click();
    await typeInto(page.getByTestId('param-maxIter'), '3');
    await page.getByTestId('run').click();
    await hasAttr(page.getByTestId('node-cp'), 'data-status', 'done', { timeout: 60_000 });
    await context.close();
  });

  it('the engine worker runs large products on every core (Web Workers sharing its WebAssembly memory); the SVD equals the CLI run on one thread', async () => {
    const graph = {
      format: 'corespace.graph',
      version: 1,
      name: 'threads',
      nodes: [
        { id: 'x', type: 'source.synthetic', params: { kind: 'gaussian', shape: [400, 300], seed: 5 } },
        { id: 'svd', type: 'decompose.svd', params: { method: 'exact', rank: 20 } },
      ],
      edges: [{ id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 'svd', port: 'tensor' } }],
    };
    const { context, page } = await openEditor(harness());
    await page.getByTestId('import-file').setInputFiles({ name: 'threads.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(graph)) });
    await page.getByTestId('node-svd').waitFor();
    await runAndWait(page, 'svd');
    // Every core the browser reports runs products once the run has started its workers.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await hasText(page.getByTestId('backend'), `CPU ${cores} thread${cores === 1 ? '' : 's'}`);
    const inBrowser = await metric(page, 'svd', 'info.relError');
    const dir = tempDir('threads-');
    const file = join(dir, 'threads.json');
    writeFileSync(file, JSON.stringify(graph));
    const r = await corespace(['run', file, '--out', join(dir, 'out'), '--backend', 'cpu', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const cliError = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).nodes.svd.metrics.relError.value as number;
    expect(inBrowser).toBeGreaterThan(0.5);
    expect(Math.abs(inBrowser - cliError) / cliError).toBeLessThan(1e-12);
    await context.close();
  });

  it('a .npy picked with the file picker is stored and read by its node; an expression is checked as it is typed', async () => {
    const { context, page } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.npy', 200, 150);
    await page.getByTestId('node-npy').locator('header').click();
    // A 3×4 float32 .npy (NumPy's format, version 1.0), values 0 … 11.
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
    const pad = 64 - ((10 + header.length + 1) % 64);
    const head = Buffer.from(`${header}${' '.repeat(pad)}\n`, 'latin1');
    const npy = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY', 'latin1'), Buffer.from([1, 0, head.length & 255, head.length >> 8]), head, Buffer.from(new Float32Array(Array.from({ length: 12 }, (_, i) => i)).buffer)]);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('param-path-pick').click()]);
    await chooser.setFiles({ name: 'ramp.npy', mimeType: 'application/octet-stream', buffer: npy });
    await hasValue(page.getByTestId('param-path'), 'ramp.npy');
    await runAndWait(page, 'npy');
    // ‖0 … 11‖ = √506.
    await hasText(page.getByTestId('node-npy'), `3×4 · ‖·‖ ${Math.sqrt(506).toPrecision(5)}`);
    await drop(page, 'source.function', 200, 420);
    await page.getByTestId('node-function').locator('header').click();
    await typeInto(page.getByTestId('param-expr'), 'sin(x');
    await hasText(page.getByTestId('param-expr-error'), /./);
    await typeInto(page.getByTestId('param-expr'), 'sin(3 * x) * y');
    await hasCount(page.getByTestId('param-expr-error'), 0);
    await context.close();
  });

  it('a share link opens the same graph in a fresh browser context', async () => {
    const a = await openEditor(harness());
    await buildPipeline(a.page);
    await a.page.getByTestId('share').click();
    const url = await a.page.getByTestId('share-url').inputValue();
    await hasText(a.page.getByTestId('share-copied'), 'Copied to the clipboard');
    await expect.poll(() => a.page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(url).toMatch(/#graph=[A-Za-z0-9_-]+$/);
    const ids = async (p: Page) => (await p.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).sort();
    const want = await ids(a.page);
    await a.context.close();
    const b = await openEditor(harness(), url.slice(harness().url.length));
    await b.page.getByTestId('node-tucker').waitFor();
    expect(await ids(b.page)).toEqual(want);
    await b.page.getByTestId('node-tucker').locator('header').click();
    await hasValue(b.page.getByTestId('param-ranks'), '4, 3, 3');
    await expect.poll(() => edgeCount(b.page)).toBe(4);
    await b.context.close();
    writeFileSync(join(ARTIFACTS, 'share-url.txt'), `${url}\n`);
  });
});
