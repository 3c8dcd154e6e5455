// The editor under test: built once by Vite into a temporary folder, served by Vite's preview server
// (with the app's cross-origin isolation headers) on a free port, and opened in Debian's chromium
// through playwright-core. Outside CI a machine without /usr/bin/chromium skips with a notice.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const config = new URL('../../editor/vite.config.ts', import.meta.url).pathname;

export interface Harness {
  url: string;
  browser: Browser;
  outDir: string;
  close(): Promise<void>;
}

export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `${CHROMIUM} is missing (scripts/setup-system.sh installs Debian's chromium)`;
  if (process.env.CI) throw new Error(why);
  console.warn(`editor browser tests skipped: ${why}`);
  return why;
}

export async function startEditor(): Promise<Harness> {
  const outDir = mkdtempSync(join(tmpdir(), 'corespace-editor-'));
  await build({ configFile: config, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ configFile: config, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', open: false } });
  const url = server.resolvedUrls!.local[0]!;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    url,
    browser,
    outDir,
    async close() {
      await browser.close();
      await new Promise<void>((res) => server.httpServer.close(() => res()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A fresh context (its own IndexedDB) with the editor open and the engine ready. */
export async function openEditor(h: Harness, path = ''): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(h.url).origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(h.url + path);
  await page.getByTestId('backend').filter({ hasText: 'backend:' }).waitFor({ timeout: 30_000 });
  return { context, page, errors };
}

/** Screenshots of the browser tests. */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** Registers the suite's start (build, serve, launch) and stop; `skip` is why it cannot run here. */
export function editorSuite(): { skip: string | null; harness: () => Harness } {
  const skip = chromiumMissing();
  let h: Harness | undefined;
  beforeAll(async () => {
    if (skip) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await startEditor();
  }, 120_000);
  afterAll(async () => h?.close());
  return { skip, harness: () => h! };
}
