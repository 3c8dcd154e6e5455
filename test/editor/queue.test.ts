// The editor and the job queue: the page says why it cannot send a graph to a queue itself, and
// gives the commands that run the graph there, with the queue the user types.
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../editor/components/QueueDialog';
import { hasText, visible } from './actions';
import { editorSuite, openEditor } from './harness';

const { skip, harness } = editorSuite();

describe.skipIf(skip)('queue dialog', () => {
  it('says why the page cannot use a queue, and gives the commands for the queue typed in', async () => {
    const { context, page, errors } = await openEditor(harness());
    await page.getByTestId('open-queue').click();
    await visible(page.getByTestId('queue-dialog'));
    await hasText(page.getByTestId('queue-why'), /a browser opens no TCP connections/);
    const name = await page.getByLabel('graph name').inputValue();
    const field = page.getByTestId('queue-url');
    await field.click();
    await field.press('Control+a');
    await field.press('Backspace');
    await field.pressSequentially('redis://10.0.0.7:6380', { delay: 10 });
    await hasText(page.getByTestId('queue-worker'), 'corespace worker --queue redis://10.0.0.7:6380');
    await hasText(page.getByTestId('queue-command'), `corespace run ${shellWord(`${name}.json`)} --queue redis://10.0.0.7:6380`);
    await field.press('End');
    await field.pressSequentially('/0', { delay: 10 });
    await hasText(page.getByTestId('queue-command'), /--queue redis:\/\/10\.0\.0\.7:6380\/0$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('queue-dialog').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
