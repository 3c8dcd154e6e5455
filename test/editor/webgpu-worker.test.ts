// The engine in a real browser worker on WebGPU: Debian's chromium (driven by playwright-core, with
// WebGPU through SwiftShader) loads the Vite bundle in a dedicated worker, runs a Tucker graph (and a
// DCT) on navigator.gpu and on the CPU backend, and the two results must agree. Outside CI a machine
// without /usr/bin/chromium reports the test as skipped, with a notice; in CI that is a failure
// (scripts/setup-system.sh installs it).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './harness';
import { workerBundle } from '../fixtures/bundle';


const GRAPH = {
  format: 'corespace.graph',
  version: 1,
  name: 'browser-webgpu',
  nodes: [
    { id: 'x', type: 'source.synthetic', params: { kind: 'tucker', shape: [24, 20, 16], ranks: [4, 3, 3], noise: 0.02, seed: 3 } },
    { id: 't', type: 'decompose.tucker', params: { ranks: [4, 3, 3] } },
    { id: 'r', type: 'reconstruct' },
    { id: 'm', type: 'metrics.compare' },
    { id: 'd', type: 'transform.dct', params: { axes: [0, 2] } },
  ],
  edges: [
    { id: 'e1', from: { node: 'x', port: 'tensor' }, to: { node: 't', port: 'tensor' } },
    { id: 'e2', from: { node: 't', port: 'tucker' }, to: { node: 'r', port: 'decomposition' } },
    { id: 'e3', from: { node: 'x', port: 'tensor' }, to: { node: 'm', port: 'reference' } },
    { id: 'e4', from: { node: 'r', port: 'tensor' }, to: { node: 'm', port: 'approx' } },
    { id: 'e5', from: { node: 'x', port: 'tensor' }, to: { node: 'd', port: 'tensor' } },
  ],
};

// Runs in the worker: the graph on WebGPU, then on the CPU; posts what the test compares.
const WORKER = `
importScripts('/engine.js');
onmessage = async ({ data }) => {
  try {
    const run = async (backend) => {
      const doc = Corespace.parseGraphOrThrow(JSON.stringify(data), Corespace.registry);
      const r = await Corespace.runGraph(doc, { registry: Corespace.registry, backend, files: { read: async (p) => { throw new Error('no file ' + p); }, fingerprint: async () => '' }, output: { write: async (n) => n } });
      const errors = Object.entries(r.nodes).filter(([, n]) => n.status !== 'done').map(([id, n]) => id + ': ' + n.error);
      const info = r.outputs.get('t')?.info;
      await r.outputs.get('d')?.tensor.materialize(); // left on the device by the GPU DCT
      return {
        backend: backend.name, adapter: backend.adapter, status: r.status, errors,
        tuckerRelError: info?.relError.value, iterations: info?.iterations.value,
        compareRelError: r.outputs.get('m')?.metrics.relError.value,
        dct: Array.from(r.outputs.get('d')?.tensor.data ?? []),
      };
    };
    const gpu = await Corespace.WebGpuBackend.create(navigator.gpu, 'corespace browser test');
    const onGpu = await run(gpu);
    gpu.destroy();
    postMessage({ gpu: onGpu, cpu: await run(Corespace.cpuBackend) });
  } catch (e) {
    postMessage({ error: String(e && e.stack || e) });
  }
};`;

const PAGE = `<!doctype html><title>corespace webgpu worker</title><script>
const w = new Worker('/worker.js');
w.onmessage = (e) => { window.result = e.data; };
w.onerror = (e) => { window.result = { error: e.message }; };
w.postMessage(${JSON.stringify(GRAPH)});
</script>`;

// Decided while the tests are collected, so that a machine without chromium reports a skip.
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) {
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: scripts/setup-system.sh installs Debian's chromium`);
  console.warn(`browser WebGPU test skipped here: ${CHROMIUM} is missing (sudo bash scripts/setup-system.sh)`);
}

let server: Server | null = null;
let browser: Browser;
let url = '';

beforeAll(async () => {
  const { code, warnings } = await workerBundle();
  expect(warnings).toEqual([]);
  const files: Record<string, [string, string]> = { '/': ['text/html', PAGE], '/worker.js': ['text/javascript', WORKER], '/engine.js': ['text/javascript', code] };
  server = createServer((req, res) => {
    const f = files[req.url ?? ''];
    res.writeHead(f ? 200 : 404, { 'content-type': f?.[0] ?? 'text/plain' });
    res.end(f?.[1] ?? 'not found');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    const s = server;
    await new Promise<void>((res) => {
      s.close(() => res());
      s.closeAllConnections();
    });
  }
});

describe.skipIf(chromiumMissing)('WebGPU in a browser worker (chromium, SwiftShader)', () => {
  it('runs a Tucker graph on navigator.gpu in the worker, with the CPU backend\'s result', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, null, { timeout: 120_000 });
    const result = await page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
    expect(result.error).toBeUndefined();
    const gpu = result.gpu as Record<string, number | string | string[] | number[]>;
    const cpu = result.cpu as typeof gpu;
    expect(gpu.backend).toBe('webgpu');
    expect(String(gpu.adapter)).toMatch(/swiftshader/i);
    for (const r of [gpu, cpu]) {
      expect(r.errors).toEqual([]);
      expect(r.status).toBe('success');
    }
    // At the true ranks the fit error sits just below the 2 % noise, equal on both backends.
    expect(gpu.tuckerRelError as number).toBeGreaterThan(0.01);
    expect(gpu.tuckerRelError as number).toBeLessThan(0.02);
    expect(Math.abs((gpu.tuckerRelError as number) - (cpu.tuckerRelError as number))).toBeLessThan(1e-6);
    expect(Math.abs((gpu.compareRelError as number) - (cpu.compareRelError as number))).toBeLessThan(1e-6);
    expect(gpu.iterations).toBe(cpu.iterations);
    const [dg, dc] = [gpu.dct as number[], cpu.dct as number[]];
    expect(dg.length).toBe(24 * 20 * 16);
    const peak = dc.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(dg.reduce((m, v, i) => Math.max(m, Math.abs(v - dc[i]!)), 0)).toBeLessThanOrEqual(1e-5 * peak);
    await page.close();
  }, 180_000);
});
