// Worker entry of a CPU run: registers tsx's loader in this thread (loaders are per thread), then
// runs the TypeScript worker, as bin/corespace.js does for the command itself.
import { register } from 'tsx/esm/api';

register();
await import('./run-worker.ts');
