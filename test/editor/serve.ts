// The built editor on 127.0.0.1: Vite builds it into a new folder under `parent` and its preview
// server serves it (with the app's cross-origin isolation headers) on a free port. Used once per
// test run (test/editor/global-setup.ts) and by the editor benchmark.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

const config = new URL('../../editor/vite.config.ts', import.meta.url).pathname;

export interface Served {
  url: string;
  outDir: string;
  /** Stops the server (dropping open keep-alive connections) and removes the build. */
  close(): Promise<void>;
}

export async function serveEditor(parent: string): Promise<Served> {
  const outDir = mkdtempSync(join(parent, 'editor-build-'));
  let server: PreviewServer | undefined;
  const close = async () => {
    if (server) {
      const http = server.httpServer;
      await new Promise<void>((res) => {
        http.close(() => res());
        if ('closeAllConnections' in http) http.closeAllConnections();
      });
    }
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await build({ configFile: config, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    server = await preview({ configFile: config, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', open: false } });
    return { url: server.resolvedUrls!.local[0]!, outDir, close };
  } catch (e) {
    await close();
    throw e;
  }
}
