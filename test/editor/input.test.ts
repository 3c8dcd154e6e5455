// The inspector driven as a person drives it (issue 12, items 1–3 and 14): options picked from
// selects, comma lists typed key by key, an invalid value left behind, and the CP above the
// multilinear rank that used to fail, run from the editor. Each test checks the graph the editor
// exports, so a value that only looks right in the field does not pass.
import { describe, expect, it } from 'vitest';
import { choose, drop, exported, hasAttr, hasCount, hasText, hasValue, newGraph, pick, runAndWait, setParam, typeInto, visible, wire } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

const paramsOf = (doc: { nodes: { id: string; params: Record<string, unknown> }[] }, id: string) => doc.nodes.find((n) => n.id === id)!.params;

describe.skipIf(skip)('the inspector, typed into and picked from', () => {
  it('every enum select takes the option picked (source.synthetic kind, Tucker method and init, CP init)', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 120);
    await drop(page, 'decompose.tucker', 150, 420);
    await drop(page, 'decompose.cp', 550, 420);
    for (const id of ['synthetic', 'tucker', 'cp']) await visible(page.getByTestId(`node-${id}`));
    const picks: [string, string, string][] = [
      ['synthetic', 'kind', 'gaussian'],
      ['tucker', 'method', 'hosvd'],
      ['tucker', 'init', 'random'],
      ['cp', 'init', 'random'],
    ];
    for (const [node, param, option] of picks) {
      await choose(page, node, param, option);
      await hasCount(page.getByTestId(`param-${param}-error`), 0);
      await hasValue(page.getByTestId(`param-${param}`), option);
    }
    // Still picked after selecting another node and coming back.
    await pick(page, 'cp');
    await pick(page, 'synthetic');
    await hasValue(page.getByTestId('param-kind'), 'gaussian');
    const doc = await exported(page);
    expect(paramsOf(doc, 'synthetic').kind).toBe('gaussian');
    expect(paramsOf(doc, 'tucker')).toMatchObject({ method: 'hosvd', init: 'random' });
    expect(paramsOf(doc, 'cp').init).toBe('random');
    // Back to the default option.
    await choose(page, 'synthetic', 'kind', 'tucker');
    await hasValue(page.getByTestId('param-kind'), 'tucker');
    expect(paramsOf(await exported(page), 'synthetic').kind).toBe('tucker');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('comma lists typed key by key keep their commas and spaces, and reach the graph as lists', async () => {
    const { context, page } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 120);
    await drop(page, 'decompose.tucker', 550, 120);
    await visible(page.getByTestId('node-tucker'));
    await setParam(page, 'synthetic', 'shape', '96, 96, 96');
    await setParam(page, 'synthetic', 'ranks', '3, 3, 3');
    await setParam(page, 'tucker', 'ranks', '3, 3, full');
    // Brackets, no spaces and a trailing comma while typing.
    await pick(page, 'synthetic');
    await typeInto(page.getByTestId('param-shape'), '[12,10,');
    await hasValue(page.getByTestId('param-shape'), '[12,10,');
    await page.getByTestId('param-shape').pressSequentially('8]', { delay: 15 });
    await hasValue(page.getByTestId('param-shape'), '[12,10,8]');
    await hasCount(page.getByTestId('param-shape-error'), 0);
    await hasCount(page.getByTestId('param-ranks-error'), 0);
    const doc = await exported(page);
    expect(paramsOf(doc, 'synthetic')).toMatchObject({ shape: [12, 10, 8], ranks: [3, 3, 3] });
    expect(paramsOf(doc, 'tucker').ranks).toEqual([3, 3, null]);
    // Selecting the node again shows the value in the canonical form.
    await pick(page, 'tucker');
    await pick(page, 'synthetic');
    await hasValue(page.getByTestId('param-shape'), '12, 10, 8');
    await context.close();
  });

  it('an invalid value left in a field is reported as discarded when the node is left', async () => {
    const { context, page } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 120);
    await drop(page, 'decompose.tucker', 550, 120);
    await visible(page.getByTestId('node-tucker'));
    await setParam(page, 'tucker', 'ranks', '2, 2, 2');
    await pick(page, 'synthetic');
    await pick(page, 'tucker');
    await typeInto(page.getByTestId('param-ranks'), '2, two');
    await hasText(page.getByTestId('param-ranks-error'), '“two” is not a number');
    await pick(page, 'synthetic');
    await hasText(page.getByTestId('notice'), 'ranks of node tucker: “2, two” was not valid');
    await hasText(page.getByTestId('notice'), 'discarded; ranks stays 2, 2, 2');
    expect(paramsOf(await exported(page), 'tucker').ranks).toEqual([2, 2, 2]);
    await context.close();
  });

  it('CP-ALS above the multilinear rank (synthetic 32³ of ranks 4, 4, 4 → CP rank 5) runs to the end', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 150);
    await drop(page, 'decompose.cp', 550, 150);
    await visible(page.getByTestId('node-cp'));
    await wire(page, 'out-synthetic-tensor', 'in-cp-tensor');
    await setParam(page, 'synthetic', 'ranks', '4, 4, 4');
    await setParam(page, 'cp', 'rank', '5');
    await setParam(page, 'cp', 'maxIter', '50');
    await runAndWait(page, 'cp');
    await hasAttr(page.getByTestId('node-cp'), 'data-status', 'done');
    const rel = Number(await page.getByTestId('node-cp').locator('[data-metric="info.relError"]').getAttribute('data-value'));
    expect(rel).toBeGreaterThan(0);
    expect(rel).toBeLessThan(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
