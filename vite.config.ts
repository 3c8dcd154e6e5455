import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    // The CLI tests spawn child processes; forks keep native modules (Dawn, later) out of worker threads.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
