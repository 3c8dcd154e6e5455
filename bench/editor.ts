// npm run bench:editor: the editor in Debian's chromium (playwright-core) — time to interactive on
// a first load (engine ready and the default graph drawn), time to import and draw a 300-node graph,
// frame times while panning it, and the built bundle's gzip size (first load, and every chunk with the
// lazily loaded viewer and the engine worker). Prints a table and writes
// bench/results/editor-<date>.json. Medians of 3 fresh browser contexts.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { launchChromium, openEditor } from '../test/editor/harness';
import { serveEditor } from '../test/editor/serve';

const REPS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A 300-node graph: 60 chains of source → DCT → Tucker → reconstruct → compare. */
function bigGraph(): string {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  const positions: Record<string, { x: number; y: number }> = {};
  for (let c = 0; c < 60; c++) {
    const ids = ['src', 'dct', 'tucker', 'rec', 'cmp'].map((k) => `${k}${c}`);
    nodes.push(
      { id: ids[0], type: 'source.synthetic', params: { shape: [16, 16, 16], ranks: [3, 3, 3], seed: c } },
      { id: ids[1], type: 'transform.dct' },
      { id: ids[2], type: 'decompose.tucker', params: { ranks: [3, 3, 3] } },
      { id: ids[3], type: 'reconstruct' },
      { id: ids[4], type: 'metrics.compare' },
    );
    const e = (i: number, from: string, fp: string, to: string, tp: string) => edges.push({ id: `e${c}-${i}`, from: { node: from, port: fp }, to: { node: to, port: tp } });
    e(0, ids[0]!, 'tensor', ids[1]!, 'tensor');
    e(1, ids[1]!, 'tensor', ids[2]!, 'tensor');
    e(2, ids[2]!, 'tucker', ids[3]!, 'decomposition');
    e(3, ids[3]!, 'tensor', ids[4]!, 'approx');
    e(4, ids[1]!, 'tensor', ids[4]!, 'reference');
    ids.forEach((id, k) => (positions[id] = { x: 280 * k, y: 180 * c }));
  }
  return JSON.stringify({ format: 'corespace.graph', version: 1, name: 'bench-300', nodes, edges, layout: { positions } });
}

/** Drags across `box` in `steps` moves; the intervals between the page's animation frames meanwhile. */
async function dragFrames(page: import('playwright-core').Page, box: { x: number; y: number; width: number; height: number }, steps: number): Promise<number[]> {
  // (A string: the bundler's helpers for named functions do not exist in the page.)
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.stop_ = false;
    let last = performance.now();
    const tick = (t) => {
      window.frames_.push(t - last);
      last = t;
      if (!window.stop_) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 0; i < steps; i++) await page.mouse.move(box.x + box.width / 2 + 0.4 * box.width * Math.sin(i / 10), box.y + box.height / 2 + 0.3 * box.height * Math.cos(i / 10));
  await page.mouse.up();
  return page.evaluate(() => {
    const w = window as unknown as { frames_: number[]; stop_: boolean };
    w.stop_ = true;
    return w.frames_.slice(1);
  });
}

const served = await serveEditor(tmpdir());
const h = { ...served, browser: await launchChromium() };
const rows: { name: string; value: number; unit: string; runs?: number[] }[] = [];
try {
  // Bundle: every JS and CSS asset of the build, gzipped.
  const assets = join(h.outDir, 'assets');
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f))) {
    const bytes = readFileSync(join(assets, f));
    raw += statSync(join(assets, f)).size;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  // What the first load fetches: the assets index.html names (the viewer and the worker load later).
  const html = readFileSync(join(h.outDir, 'index.html'), 'utf8');
  let first = 0;
  for (const m of html.matchAll(/assets\/([^"']+\.(?:js|css))/g)) first += gzipSync(readFileSync(join(assets, m[1]!)), { level: 9 }).length;
  rows.push({ name: 'first_load_js_css_gzip', value: first / 1024, unit: 'KiB' }, { name: 'all_js_css_gzip', value: gz / 1024, unit: 'KiB' }, { name: 'all_js_css_raw', value: raw / 1024, unit: 'KiB' });

  const tti: number[] = [];
  const load300: number[] = [];
  const frameMean: number[] = [];
  const frameP95: number[] = [];
  const text = bigGraph();
  for (let r = 0; r < REPS; r++) {
    const { context, page } = await openEditor(h);
    await page.locator('.react-flow__node').first().waitFor();
    // From navigation start: the engine worker answered and the default graph is on the canvas.
    tti.push(await page.evaluate(() => performance.now()));
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('import-file').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length >= 300 && document.querySelectorAll('.react-flow__edge').length >= 300, null, { timeout: 120_000 });
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    load300.push((await page.evaluate(() => performance.now())) - t0);
    // Pan: drag the pane while the page records the interval between animation frames.
    const frames = await dragFrames(page, (await page.locator('.react-flow__pane').boundingBox())!, 120);
    frames.sort((a, b) => a - b);
    frameMean.push(frames.reduce((a, b) => a + b, 0) / frames.length);
    frameP95.push(frames[Math.floor(0.95 * (frames.length - 1))]!);
    await context.close();
  }
  // The 3-D view at its limit: 64³ voxels, frame times while orbiting (one run; SwiftShader here).
  {
    const { context, page } = await openEditor(h);
    const cube = { format: 'corespace.graph', version: 1, name: 'cube', nodes: [{ id: 'x', type: 'source.synthetic', params: { kind: 'gaussian', shape: [64, 64, 64] } }, { id: 'v', type: 'view.tensor3d' }], edges: [{ id: 'e', from: { node: 'x', port: 'tensor' }, to: { node: 'v', port: 'data' } }] };
    await page.getByTestId('import-file').setInputFiles({ name: 'cube.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(cube)) });
    await page.getByTestId('node-v').waitFor();
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('run').click();
    await page.getByTestId('tensor3d-canvas').locator('canvas').waitFor({ timeout: 120_000 });
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    rows.push({ name: 'tensor3d_64cubed_run_and_first_draw', value: (await page.evaluate(() => performance.now())) - t0, unit: 'ms' });
    const frames = await dragFrames(page, (await page.getByTestId('tensor3d-canvas').boundingBox())!, 30);
    rows.push({ name: 'tensor3d_64cubed_orbit_frame_mean', value: frames.reduce((a, b) => a + b, 0) / frames.length, unit: 'ms' });
    await context.close();
  }
  rows.push(
    { name: 'time_to_interactive', value: median(tti), unit: 'ms', runs: tti },
    { name: 'import_and_draw_300_nodes', value: median(load300), unit: 'ms', runs: load300 },
    { name: 'pan_300_frame_mean', value: median(frameMean), unit: 'ms', runs: frameMean },
    { name: 'pan_300_frame_p95', value: median(frameP95), unit: 'ms', runs: frameP95 },
  );
} finally {
  await h.browser.close();
  await served.close();
}

console.log('| benchmark | value | unit |\n| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.value.toFixed(1)} | ${r.unit} |`);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`editor-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`, dir);
writeFileSync(file, `${JSON.stringify({ machine: 'this machine (2 cores, chromium headless, SwiftShader)', rows }, null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
