// Global setup of the browser tests: the editor is built by Vite once per run (into the run's
// temporary folder; test/editor/serve.ts) and served on 127.0.0.1; each browser test file launches
// its own chromium against that URL. On a machine without /usr/bin/chromium nothing is built (the
// tests report a skip; under CI they fail).
import type { TestProject } from 'vitest/node';
import { runTemp } from '../global-setup';
import { chromiumMissing } from './harness';
import { serveEditor } from './serve';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The editor's URL, or null where no browser tests run. */
    editorUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (chromiumMissing()) {
    project.provide('editorUrl', null);
    return async () => {};
  }
  // (its folder is not named corespace-*: that prefix is the tests' own, which must be gone at the end)
  const served = await serveEditor(runTemp());
  project.provide('editorUrl', served.url);
  return () => served.close();
}
