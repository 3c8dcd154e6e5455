// The worker thread of a CPU run: Ctrl+C reaches the main thread only between event-loop turns,
// which a node computing on the CPU never yields, so the run happens here and the main thread
// stops it through a shared flag, read at every progress check of every node (and, should a
// node not check in time, by terminating this thread).
import { parentPort, workerData } from 'node:worker_threads';
import { GraphError, cpuBackend } from '../engine';
import { registry } from '../nodes';
import { execute, type ExecuteSpec } from './execute';
import { QueueLost } from './queue/executor';

export type FromRunWorker =
  | { type: 'event'; event: import('../engine').RunEvent }
  | { type: 'wrote'; file: string }
  | { type: 'view'; view: import('./execute').ViewEntry }
  | { type: 'notice'; text: string }
  | { type: 'done'; executed: import('./execute').Executed }
  | { type: 'invalid'; problems: import('../engine').Problem[] }
  | { type: 'queue-lost'; message: string }
  | { type: 'crashed'; message: string };

const { spec, flag: shared } = workerData as { spec: ExecuteSpec; flag: SharedArrayBuffer };
const flag = new Int32Array(shared);
const post = (m: FromRunWorker) => parentPort!.postMessage(m);
const controller = new AbortController();
const check = () => {
  if (!controller.signal.aborted && Atomics.load(flag, 0) === 1) controller.abort();
};
// Between nodes and while a node awaits (reading a file), the flag is polled as well.
const poll = setInterval(check, 50);

try {
  const executed = await execute(
    spec,
    registry,
    cpuBackend,
    {
      // Every progress report passes here just before the scheduler checks the signal.
      onEvent: (event) => {
        check();
        post({ type: 'event', event });
      },
      onWrite: (file) => post({ type: 'wrote', file }),
      onView: (view) => post({ type: 'view', view }),
      onNotice: (text) => post({ type: 'notice', text }),
    },
    controller.signal,
  );
  post({ type: 'done', executed });
} catch (e) {
  if (e instanceof GraphError) post({ type: 'invalid', problems: [...e.problems] });
  else if (e instanceof QueueLost) post({ type: 'queue-lost', message: e.message });
  else post({ type: 'crashed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
} finally {
  clearInterval(poll);
}
