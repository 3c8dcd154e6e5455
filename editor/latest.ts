// Ordered refreshes of a view filled by an async read (the library's lists from IndexedDB): each
// refresh supersedes the ones before it, so a slow older read that resolves last cannot overwrite
// a newer result, and the view knows when the newest read has landed (its `aria-busy`).

export interface Latest<T> {
  /** Starts a read; its result is applied only if no later read was started meanwhile. Resolves
   * with whether it was applied. A failed read that is still the newest is passed to `failed`. */
  run(read: () => Promise<T>): Promise<boolean>;
  /** Whether a read is in flight whose result has not landed yet. */
  readonly busy: boolean;
}

export function latest<T>(apply: (value: T) => void, onBusy: (busy: boolean) => void = () => {}, failed: (e: unknown) => void = () => {}): Latest<T> {
  let started = 0;
  let landed = 0;
  return {
    get busy() {
      return landed < started;
    },
    async run(read) {
      const mine = ++started;
      onBusy(true);
      let value: T;
      try {
        value = await read();
      } catch (e) {
        if (mine !== started) return false;
        landed = mine;
        onBusy(false);
        failed(e);
        return false;
      }
      if (mine !== started) return false;
      landed = mine;
      apply(value);
      onBusy(false);
      return true;
    },
  };
}
