// A rank above a mode the editor already knows (the source's shape param) is flagged on the node
// as it is typed, before anything runs (issue 12, item 14), and clears when it is fixed.
import { describe, expect, it } from 'vitest';
import { drop, hasCount, newGraph, pick, setParam, typeInto, visible, wire } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

describe.skipIf(skip)('shapes known before running', () => {
  it('Tucker ranks above the synthetic source’s mode sizes show a warning on the node at once', async () => {
    const { context, page, errors } = await openEditor(harness());
    await newGraph(page);
    await drop(page, 'source.synthetic', 150, 120);
    await drop(page, 'decompose.tucker', 550, 120);
    await visible(page.getByTestId('node-tucker'));
    await wire(page, 'out-synthetic-tensor', 'in-tucker-tensor');
    await setParam(page, 'synthetic', 'shape', '12, 10, 8');
    await setParam(page, 'synthetic', 'ranks', '2, 2, 2');
    await setParam(page, 'tucker', 'ranks', '4, 4, 4');
    await hasCount(page.getByTestId('warning-tucker'), 0);
    await pick(page, 'tucker');
    await typeInto(page.getByTestId('param-ranks'), '4, 4, 9');
    await expect.poll(() => page.getByTestId('warning-tucker').getAttribute('title'), { timeout: 20_000 }).toMatch(/rank 9 on mode 2 exceeds that mode's size 8 \(the input \[12×10×8\]\); use at most 8/);
    await typeInto(page.getByTestId('param-ranks'), '4, 4, 8');
    await hasCount(page.getByTestId('warning-tucker'), 0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
