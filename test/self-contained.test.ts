// The repository runs from any folder: no source, script or config reaches outside it for the
// workplace's shared folder (the reference cases are copied into test/refs; see test/refs/SOURCE.md).
// A clone elsewhere would fail on such a path, and only there, so this test looks for the path itself.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const SCANNED = /\.(ts|tsx|js|mjs|cjs|json|sh)$/;
// Generated, installed or copied: not ours to scan (test/refs holds the copy, whose README names its origin).
const SKIPPED = /^(node_modules|dist|corespace-out|test-artifacts|test\/refs)\/|(^|\/)package-lock\.json$/;
// One or more `../` then the shared folder, its refs/ by any route, and the workplace's absolute path.
const OUTSIDE = /(\.\.\/)+shared\/|\bshared\/refs\b|\/work\/shared\b/;

/** The project's files (tracked, or untracked and not ignored), relative to the root. Without git
 * (an exported tree), every file under the root outside .git and the skipped folders. */
function projectFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
    return out.split('\0').filter((f) => f && existsSync(join(root, f))); // a tracked file may be deleted
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
        const f = dir ? `${dir}/${e.name}` : e.name;
        if (e.name === '.git' || SKIPPED.test(`${f}/`)) return [];
        return e.isDirectory() ? walk(f) : e.isFile() ? [f] : [];
      });
    return walk('');
  }
}

/** `line: text` of every line of `text` that names a path outside the repository. */
function outsidePaths(text: string): string[] {
  return text.split('\n').flatMap((line, i) => (OUTSIDE.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

describe('the repository is self-contained', () => {
  it('the scanner catches the old paths and passes the new ones', () => {
    // Built from pieces so that this file does not contain the paths it looks for.
    const shared = ['shared', 'refs'].join('/');
    expect(outsidePaths(`const refs = new URL('../../../${shared}/cases/', import.meta.url);`)).toHaveLength(1);
    expect(outsidePaths(`const t = new URL('../../${shared}/timings.json', import.meta.url);\nok\n// from ${shared}`)).toEqual([
      `1: const t = new URL('../../${shared}/timings.json', import.meta.url);`,
      `3: // from ${shared}`,
    ]);
    expect(outsidePaths(`readFileSync('${['', 'work', 'shared', 'STYLE.md'].join('/')}')`)).toHaveLength(1);
    expect(outsidePaths("const refsDir = new URL('./cases/', import.meta.url); // test/refs, a shared flag")).toEqual([]);
  });

  it('no source, script or config reads outside the repository', () => {
    const files = projectFiles().filter((f) => SCANNED.test(f) && !SKIPPED.test(f));
    expect(files.length).toBeGreaterThan(100); // the listing found the project
    const found = files.flatMap((f) => outsidePaths(readFileSync(join(root, f), 'utf8')).map((l) => `${f}:${l}`));
    expect(found).toEqual([]);
  });
});
