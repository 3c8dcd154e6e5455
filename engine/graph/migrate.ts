// File-format migrations: one function per version step, applied in a chain on load, so a file
// saved by any earlier Corespace opens in this one. Saving always writes GRAPH_VERSION.
// Version 1 is the first published format, so the chain is empty today; the next bump adds
// `1: (doc) => …` here and a fixture of a version-1 file under test/fixtures/ that must still load.
import { GRAPH_VERSION } from './schema';

export type RawDoc = Record<string, unknown>;
/** steps[v] turns a version-v document into a version-(v+1) document. */
export type MigrationSteps = Readonly<Record<number, (doc: RawDoc) => RawDoc>>;

export const FILE_MIGRATIONS: MigrationSteps = {};

export class MigrationError extends Error {}

export function migrateFile(doc: RawDoc, steps: MigrationSteps = FILE_MIGRATIONS, target = GRAPH_VERSION): RawDoc {
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    // (JSON has no Infinity: 1e400 reads as Infinity, which JSON.stringify would show as null)
    const got = typeof version === 'number' && !Number.isFinite(version) ? `${version} (a number beyond ±1.8e308 reads as Infinity)` : JSON.stringify(version);
    throw new MigrationError(`"version" must be a positive integer (this Corespace writes ${target}), got ${got}`);
  }
  if (version > target) {
    throw new MigrationError(
      `this file was saved by a newer Corespace (format version ${version}); this one reads versions 1 to ${target} — update Corespace to open it`,
    );
  }
  let cur = doc;
  for (let v = version; v < target; v++) {
    const step = steps[v];
    if (!step) throw new MigrationError(`no migration from format version ${v} to ${v + 1}`);
    cur = { ...step(cur), version: v + 1 };
  }
  return cur;
}
