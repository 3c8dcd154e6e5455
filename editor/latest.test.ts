// Ordered refreshes: reads resolving out of order never let an older result overwrite a newer one,
// and the view is busy until the newest read has landed.
import { describe, expect, it } from 'vitest';
import { latest } from './latest';

/** A read whose result the test releases when it chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('latest', () => {
  it('keeps the newest read when an older one resolves after it', async () => {
    const shown: string[][] = [];
    const busy: boolean[] = [];
    const l = latest<string[]>((v) => shown.push(v), (b) => busy.push(b));
    const old = deferred<string[]>();
    const fresh = deferred<string[]>();
    const a = l.run(() => old.promise);
    const b = l.run(() => fresh.promise);
    expect(l.busy).toBe(true);
    fresh.resolve(['image', 'image mine']);
    expect(await b).toBe(true);
    expect(l.busy).toBe(false);
    old.resolve([]);
    expect(await a).toBe(false);
    expect(shown).toEqual([['image', 'image mine']]);
    expect(l.busy).toBe(false);
    expect(busy.at(-1)).toBe(false);
  });

  it('stays busy while a newer read is in flight, even after an older one lands', async () => {
    const shown: number[] = [];
    const l = latest<number>((v) => shown.push(v));
    const first = deferred<number>();
    const second = deferred<number>();
    const a = l.run(() => first.promise);
    const b = l.run(() => second.promise);
    first.resolve(1);
    expect(await a).toBe(false);
    expect(l.busy).toBe(true);
    expect(shown).toEqual([]);
    second.resolve(2);
    await b;
    expect(shown).toEqual([2]);
    expect(l.busy).toBe(false);
  });

  it('reports a failed newest read and is no longer busy; a superseded failure is dropped', async () => {
    const errors: unknown[] = [];
    const l = latest<number>(() => {}, () => {}, (e) => errors.push(e));
    const stale = deferred<number>();
    const a = l.run(() => stale.promise);
    const b = l.run(() => Promise.reject(new Error('IndexedDB closed')));
    expect(await b).toBe(false);
    expect(l.busy).toBe(false);
    stale.reject(new Error('older'));
    expect(await a).toBe(false);
    expect(errors.map((e) => (e as Error).message)).toEqual(['IndexedDB closed']);
  });
});
