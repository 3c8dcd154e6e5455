// Entry of a queue worker's compute thread: registers tsx's loader in this thread (loaders are per
// thread), then runs the TypeScript thread, as cli/run-worker-entry.mjs does for a CPU run.
import { register } from 'tsx/esm/api';

register();
await import('./compute-thread.ts');
