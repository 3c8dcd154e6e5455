// The compute threads of a queue worker: one per job it runs at once (--concurrency). A cancelled job
// is stopped at its node's next progress check; one that does not check within the grace period is
// stopped with its thread, and a fresh thread takes its place.
import { Worker } from 'node:worker_threads';
import type { FromComputeThread, ToComputeThread } from './compute-thread';
import type { ComputeInput } from './job';

/** How long a cancelled job may take to reach a progress check before its thread is stopped. */
const GRACE_MS = 1000;

export class ComputeFailed extends Error {
  constructor(message: string, readonly refused: boolean, readonly cancelled: boolean) {
    super(message);
    this.name = 'ComputeFailed';
  }
}

interface Slot {
  worker: Worker;
  flag: Int32Array;
  busy: boolean;
}

export class ComputePool {
  private readonly slots: Slot[] = [];
  private next = 0;
  private closed = false;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const shared = new SharedArrayBuffer(4);
    const worker = new Worker(new URL('./compute-thread-entry.mjs', import.meta.url), { workerData: { flag: shared } });
    return { worker, flag: new Int32Array(shared), busy: false };
  }

  /** Runs a job on a free thread (the worker takes no more jobs than it has threads). */
  run(job: ComputeInput, progress: (value: number, max: number, message?: string) => void, signal: AbortSignal): Promise<Uint8Array> {
    const at = this.slots.findIndex((s) => !s.busy);
    if (at < 0 || this.closed) return Promise.reject(new Error('no free compute thread (a bug in the worker; please report it)'));
    const slot = this.slots[at]!;
    slot.busy = true;
    Atomics.store(slot.flag, 0, 0);
    const id = this.next++;
    const transfer = Object.values(job.inputs).map((i) => {
      // Copies: a Redis reply may share its buffer with others, which must not be moved away.
      i.bytes = i.bytes.slice();
      return i.bytes.buffer as ArrayBuffer;
    });
    return new Promise<Uint8Array>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const finish = (f: () => void) => {
        clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
        slot.worker.off('message', onMessage);
        slot.worker.off('exit', onExit);
        slot.busy = false;
        f();
      };
      const onMessage = (m: FromComputeThread) => {
        if (m.id !== id) return;
        if (m.type === 'progress') progress(m.value, m.max, m.message);
        else if (m.type === 'done') finish(() => resolve(m.bytes));
        else finish(() => reject(new ComputeFailed(m.message, m.refused, m.cancelled)));
      };
      const onExit = (code: number) => {
        // Stopped after the grace period, or died: a fresh thread takes the slot.
        if (!this.closed) this.slots[at] = this.spawn();
        finish(() => reject(new ComputeFailed(signal.aborted ? 'cancelled' : `the compute thread exited (code ${code}) during the job`, false, signal.aborted)));
      };
      const onAbort = () => {
        Atomics.store(slot.flag, 0, 1);
        grace = setTimeout(() => void slot.worker.terminate(), GRACE_MS);
      };
      slot.worker.on('message', onMessage);
      slot.worker.once('exit', onExit);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      slot.worker.postMessage({ id, job } satisfies ToComputeThread, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
