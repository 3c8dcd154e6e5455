// What a person does in the editor, as playwright-core actions: drag from the palette, wire two
// handles with the mouse, pick a node, type into a field key by key, pick from a select; and the
// polling assertions the browser tests share.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export const POLL = { timeout: 20_000, interval: 100 };

export const hasText = (loc: Locator, want: string | RegExp, opts: { timeout?: number } = {}) => {
  const poll = expect.poll(() => loc.innerText(), { ...POLL, ...opts });
  return typeof want === 'string' ? poll.toContain(want) : poll.toMatch(want);
};
export const hasAttr = (loc: Locator, name: string, want: string | RegExp, opts: { timeout?: number } = {}) => {
  const poll = expect.poll(async () => (await loc.getAttribute(name)) ?? '', { ...POLL, ...opts });
  return typeof want === 'string' ? poll.toBe(want) : poll.toMatch(want);
};
export const hasCount = (loc: Locator, n: number) => expect.poll(() => loc.count(), POLL).toBe(n);
export const hasValue = (loc: Locator, v: string) => expect.poll(() => loc.inputValue(), POLL).toBe(v);
export const visible = (loc: Locator) => loc.waitFor({ state: 'visible', timeout: POLL.timeout });
export const edgeCount = (page: Page) => page.locator('.react-flow__edge').count();

/**
 * Waits until the page stops moving: `read` (say, the nodes' boxes) gives the same value, compared
 * as JSON, on every sample for `quietMs` (sampled every 50 ms), and returns that value. A layout, a
 * fit of the view or a delayed re-render that lands within the window restarts it.
 */
export async function settled<T>(read: () => Promise<T>, { quietMs = 500, timeout = POLL.timeout } = {}): Promise<T> {
  let value!: T;
  let last = '';
  let since = 0;
  await expect
    .poll(
      async () => {
        value = await read();
        const now = Date.now();
        const text = JSON.stringify(value);
        if (text !== last) [last, since] = [text, now];
        return now - since >= quietMs;
      },
      { timeout, interval: 50 },
    )
    .toBe(true);
  return value;
}

/** The boxes of every node on the canvas, by id, once they have stopped moving. */
export const nodeBoxes = (page: Page, opts?: { quietMs?: number }) =>
  settled(() => page.locator('.react-flow__node').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-id')!, e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }]))), opts);

/** Opens an example from the library and waits for one of its nodes. */
export async function openExample(page: Page, name: string, node: string): Promise<void> {
  await page.getByTestId('open-library').click();
  await page.getByTestId(`example-${name}`).click();
  await hasCount(page.getByTestId('library'), 0);
  await visible(page.getByTestId(`node-${node}`));
}

/** A new empty graph from the library. */
export async function newGraph(page: Page): Promise<void> {
  await page.getByTestId('open-library').click();
  await page.getByRole('button', { name: 'New graph' }).click();
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(0);
}

/** Drags a palette entry onto the canvas at (x, y) of the canvas. */
export async function drop(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Drags with the mouse from one handle to another. */
export async function wire(page: Page, from: string, to: string): Promise<void> {
  const a = (await page.getByTestId(from).boundingBox())!;
  const b = (await page.getByTestId(to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 10, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Clicks a node's header (selects it, the inspector shows it). */
export const pick = (page: Page, node: string) => page.getByTestId(`node-${node}`).locator('header').click();

/** Clears a field and types `text` into it one key at a time, as a person does. */
export async function typeInto(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press('Control+a');
  await field.press('Backspace');
  await field.pressSequentially(text, { delay: 15 });
}

/** Selects the node, types the value key by key into its param field and waits for no error. */
export async function setParam(page: Page, node: string, param: string, value: string): Promise<void> {
  await pick(page, node);
  const field = page.getByTestId(`param-${param}`);
  await typeInto(field, value);
  await hasValue(field, value);
  await hasCount(page.getByTestId(`param-${param}-error`), 0);
}

/** Picks an option of a param's select, as a person does. */
export async function choose(page: Page, node: string, param: string, option: string): Promise<void> {
  await pick(page, node);
  await page.getByTestId(`param-${param}`).selectOption(option);
}

/** The value of a node's metric as it shows on the node. */
export const metric = async (page: Page, node: string, key: string) => Number(await page.getByTestId(`node-${node}`).locator(`[data-metric="${key}"]`).getAttribute('data-value'));

/** Runs the graph with the Run button and waits for `node` to finish. */
export async function runAndWait(page: Page, node: string): Promise<void> {
  await page.getByTestId('run').click();
  await hasAttr(page.getByTestId(`node-${node}`), 'data-status', /done|cached/, { timeout: 40_000 });
}

/** Exports the open graph (the Export button) and returns its JSON. */
export async function exported(page: Page): Promise<any> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const { readFileSync } = await import('node:fs');
  return JSON.parse(readFileSync((await download.path())!, 'utf8'));
}

/** The canvas's pixels: how many differ from white, and a digest to compare images. */
export async function canvasStats(page: Page, testId: string): Promise<{ ink: number; digest: string }> {
  return readCanvas(page, testId, 'stats') as Promise<{ ink: number; digest: string }>;
}

/** The canvas's pixels as RGB bytes, row-major from the top left (its drawing buffer, via a PNG). */
export async function canvasPixels(page: Page, testId: string): Promise<{ width: number; height: number; rgb: number[] }> {
  return readCanvas(page, testId, 'pixels') as Promise<{ width: number; height: number; rgb: number[] }>;
}

async function readCanvas(page: Page, testId: string, mode: 'stats' | 'pixels'): Promise<unknown> {
  const url = await page.getByTestId(testId).locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
  return page.evaluate(
    async ([src, what]) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      if (what === 'pixels') {
        const rgb: number[] = [];
        for (let i = 0; i < d.length; i += 4) rgb.push(d[i]!, d[i + 1]!, d[i + 2]!);
        return { width: c.width, height: c.height, rgb };
      }
      let ink = 0;
      let hash = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! + d[i + 1]! + d[i + 2]! < 720) ink++;
        hash = (hash * 31 + d[i]! * 7 + d[i + 1]! * 3 + d[i + 2]!) | 0;
      }
      return { ink, digest: `${ink}:${hash}` };
    },
    [url, mode] as const,
  );
}
