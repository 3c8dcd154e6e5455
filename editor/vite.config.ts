// The editor app: `npm start` builds it into dist/editor and serves it; `npm run dev` is the dev
// server. Cross-origin isolation (COOP/COEP) lets the UI share a cancel flag with the engine worker.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { outDir: new URL('../dist/editor', import.meta.url).pathname, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { headers: isolation, fs: { allow: [new URL('..', import.meta.url).pathname] } },
  preview: { headers: isolation },
});
