// Results that no longer answer the graph say so, and a graph that cannot run says where: after a
// param change the node and everything downstream of it are marked stale (dimmed, with the reason)
// until they run again, and the results table lists only current figures of the last run; an
// invalid graph marks its nodes (badge, red border, the message in the inspector) and lists its
// problems, a click on one selecting its node.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, drop, hasAttr, hasCount, hasText, newGraph, pick, runAndWait, setParam, visible, wire } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

/** The ids of the nodes marked stale, sorted. */
const staleNodes = (page: Page) => page.locator('.cs-node[data-stale="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace(/^node-/, '')).sort());

describe.skipIf(skip)('stale results and invalid graphs', () => {
  it('a param change marks the node and its descendants stale until they run again; the table keeps to current figures', async () => {
    const { context, page, errors } = await openEditor(harness());
    // The first visit opens tucker-noise.
    await visible(page.getByTestId('node-noisy'));
    await runAndWait(page, 'denoised');
    await expect.poll(() => staleNodes(page), POLL).toEqual([]);
    await hasText(page.getByTestId('results'), 'relError');
    await setParam(page, 'noisy', 'noise', '0.02');
    // noisy → compare, save, tucker → size, approx → denoised, slice; clean is untouched.
    await expect.poll(() => staleNodes(page), POLL).toEqual(['approx', 'compare', 'denoised', 'noisy', 'save', 'size', 'slice', 'tucker']);
    await hasText(page.getByTestId('stale-noisy'), 'stale — params changed');
    await hasText(page.getByTestId('stale-tucker'), 'stale — an input changed');
    await hasCount(page.getByTestId('stale-clean'), 0);
    // The table leaves the stale figures out, and says so.
    await hasText(page.getByTestId('results-older'), 'denoised');
    // Run up to noisy: it is current again; what is below it stays stale.
    await page.getByTestId('node-noisy').locator('header').click({ button: 'right' });
    await page.getByTestId('context-menu').getByText('Run up to here').click();
    await expect.poll(() => staleNodes(page), { ...POLL, timeout: 40_000 }).not.toContain('noisy');
    expect(await staleNodes(page)).toContain('tucker');
    // A full run brings every result up to date.
    await runAndWait(page, 'denoised');
    await expect.poll(() => staleNodes(page), { ...POLL, timeout: 40_000 }).toEqual([]);
    await hasCount(page.getByTestId('results-older'), 0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an invalid graph: its node shows the problem (badge, border, inspector) and the list under Results selects it on a click', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 120, 150);
    await visible(page.getByTestId('node-synthetic'));
    await drop(page, 'decompose.svd', 520, 150);
    await visible(page.getByTestId('node-svd'));
    await wire(page, 'out-synthetic-tensor', 'in-svd-tensor');
    // A 3-D source into an SVD without a mode to unfold along.
    await visible(page.getByTestId('warning-svd'));
    await hasAttr(page.getByTestId('node-svd'), 'class', /\binvalid\b/);
    await page.getByTestId('run').click();
    await hasText(page.getByTestId('run-status'), /invalid — 1 problem/);
    const item = page.getByTestId('run-problems').locator('li', { hasText: 'node svd' });
    await hasText(item, 'not a matrix');
    expect(await item.innerText()).not.toMatch(/\$\.nodes/);
    // The problem selects its node: the inspector shows the message in full.
    await pick(page, 'synthetic');
    await item.click();
    await hasText(page.getByTestId('inspector-problems'), 'not a matrix');
    await hasText(page.getByTestId('inspector'), 'decompose.svd');
    expect(errors).toEqual([]);
    await context.close();
  });
});
