// A queue worker's compute thread: runs one job at a time on the CPU backend, so that the worker's
// main thread stays free to renew the job's lock in Redis (a job whose lock lapses is taken for a
// dead worker's and given to another) and to hear a cancellation. The main thread raises the
// shared flag to cancel; the node stops at its next progress check.
import { parentPort, workerData } from 'node:worker_threads';
import { CancelledError, cpuBackend, describeFailure } from '../../engine';
import { registry } from '../../nodes';
import { compute, RefusedJob, type ComputeInput } from './job';

export type ToComputeThread = { id: number; job: ComputeInput };
export type FromComputeThread =
  | { id: number; type: 'progress'; value: number; max: number; message?: string }
  | { id: number; type: 'done'; bytes: Uint8Array }
  | { id: number; type: 'failed'; message: string; refused: boolean; cancelled: boolean };

const flag = new Int32Array(workerData.flag as SharedArrayBuffer);
const post = (m: FromComputeThread, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

parentPort!.on('message', async ({ id, job }: ToComputeThread) => {
  try {
    const bytes = await compute(job, registry, cpuBackend, () => Atomics.load(flag, 0) === 1, (value, max, message) => post({ id, type: 'progress', value, max, ...(message !== undefined ? { message } : {}) }));
    post({ id, type: 'done', bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    post({ id, type: 'failed', message: describeFailure(e), refused: e instanceof RefusedJob, cancelled: e instanceof CancelledError });
  }
});
