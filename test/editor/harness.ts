// The editor under test: built once per run and served on 127.0.0.1 by the browser project's global
// setup (test/editor/global-setup.ts), opened in Debian's chromium through playwright-core, one
// browser per test file. Outside CI a machine without /usr/bin/chromium skips with a notice.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Harness {
  url: string;
  browser: Browser;
}

export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `${CHROMIUM} is missing (scripts/setup-system.sh installs Debian's chromium)`;
  if (process.env.CI) throw new Error(why);
  console.warn(`editor browser tests skipped: ${why}`);
  return why;
}

/** Launches chromium (headless, bounded) for one test file. */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });

/** A fresh context (its own IndexedDB) with the editor open and the engine ready. */
export async function openEditor(h: Harness, path = ''): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  // An action that cannot happen (a click on what never shows) fails naming its locator, well
  // before the test's own limit.
  context.setDefaultTimeout(20_000);
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

/** Registers the file's browser (launched before its first test, closed after its last, whatever
 * happened); `skip` is why it cannot run here. */
export function editorSuite(): { skip: string | null; harness: () => Harness } {
  const skip = chromiumMissing();
  let h: Harness | undefined;
  beforeAll(async () => {
    if (skip) return;
    const url = inject('editorUrl');
    if (!url) throw new Error('the editor is not served: a browser test file must be listed in BROWSER in vite.config.ts (its project builds and serves the editor)');
    mkdirSync(ARTIFACTS, { recursive: true });
    h = { url, browser: await launchChromium() };
  });
  afterAll(async () => {
    await h?.browser.close();
  });
  return { skip, harness: () => h! };
}
