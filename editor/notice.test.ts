// Notices stay long enough to be read: an import notice of 150 characters went after 6 s.
import { describe, expect, it } from 'vitest';
import { noticeMs } from './notice';

describe('noticeMs', () => {
  it('gives short notices 6 s, longer ones time to read them, and the longest no timeout', () => {
    expect(noticeMs('the clipboard holds no Corespace nodes')).toBe(6000);
    const import150 = `Opened with 2 problems to fix before it runs (marked ⚠ on the nodes): ${'x'.repeat(80)}`;
    expect(noticeMs(import150)!).toBeGreaterThanOrEqual(10_000);
    expect(noticeMs('y'.repeat(400))).toBeNull();
  });
});
