// Temporary folders of a test file: made under the run's temporary folder (test/global-setup.ts
// gives each `vitest run` its own and reports any `corespace-*` entry left in it) and removed after
// the file's last test, whatever happened in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder, `corespace-<tag>-XXXXXX`, removed when the test file ends. */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `corespace-${tag}-`));
  made.push(dir);
  return dir;
}
