// Global setup of every `vitest run`: the run gets its own temporary folder (TMPDIR and
// XDG_RUNTIME_DIR for the test processes and everything they start), so runs side by side never see each other's files. At the
// end, a `corespace-*` entry still in it is a test that did not remove what it made (test/temp.ts
// does): the run fails naming it. The folder is removed either way.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'CORESPACE_TEST_TMP';

/** The run's temporary folder, made on first use (global setups run in vitest's main process). */
export function runTemp(): string {
  if (!process.env[KEY]) {
    const dir = mkdtempSync(join(tmpdir(), 'corespace-test-run-'));
    process.env[KEY] = dir;
    process.env.TMPDIR = dir;
    // chromium keeps its runtime files (dconf) there too, not in a shared /tmp.
    process.env.XDG_RUNTIME_DIR = dir;
  }
  return process.env[KEY]!;
}

export default function setup(): () => void {
  const dir = runTemp();
  return () => {
    let left: string[] = [];
    try {
      left = readdirSync(dir).filter((f) => f.startsWith('corespace-'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (!left.length) return;
    // vitest reports a teardown's error but keeps the exit code it had: fail the run here.
    process.exitCode = 1;
    throw new Error(`tests left ${left.length} temporary folder(s) behind: ${left.slice(0, 10).join(', ')} (make them with tempDir() from test/temp.ts)`);
  };
}
