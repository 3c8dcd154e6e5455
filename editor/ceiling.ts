// The time ceiling of the editor's runs (engine/cost.ts): a node estimated to run longer is refused
// with its estimate. Chosen in the toolbar, kept in localStorage across sessions; the store mirrors
// it (maxMinutes) so the page re-renders when it changes.
import { DEFAULT_MAX_SECONDS } from '../engine/cost';

/** The ceilings the toolbar offers, in minutes. */
export const CEILINGS = [10, 60, 480, Infinity] as const;
const KEY = 'corespace.maxMinutes';

function stored(): number {
  const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  const minutes = raw === 'Infinity' ? Infinity : Number(raw);
  return (CEILINGS as readonly number[]).includes(minutes) ? minutes : DEFAULT_MAX_SECONDS / 60;
}

let current = stored();

export const currentCeiling = (): number => current;

export function keepCeiling(minutes: number): void {
  current = minutes;
  if (typeof localStorage !== 'undefined') localStorage.setItem(KEY, String(minutes));
}
