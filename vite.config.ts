import { defineConfig } from 'vitest/config';

/** The test files that drive Debian's chromium: they share one build of the editor (their project's
 * global setup), so they form a project of their own. */
const BROWSER = ['test/editor/**/*.test.ts'];

// Options both projects share. The CLI tests spawn child processes, and Dawn is a native module:
// forks keep both out of worker threads. Every wait is bounded: a test, a hook (a browser launch, a
// build) and a teardown have their limits, so a hang fails its test instead of stalling the run.
const shared = {
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
  teardownTimeout: 30_000,
  exclude: ['node_modules/**'],
};

export default defineConfig({
  test: {
    ...shared,
    // The run's own temporary folder, checked for leftovers at the end (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { test: { ...shared, name: 'unit', include: ['**/*.test.ts'], exclude: [...shared.exclude, ...BROWSER] } },
      { test: { ...shared, name: 'browser', include: BROWSER, globalSetup: ['test/editor/global-setup.ts'] } },
    ],
  },
});
