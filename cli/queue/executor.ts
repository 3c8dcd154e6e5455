// The runner's side of the job queue (`corespace run --queue URL`): sends nodes and reruns as BullMQ
// jobs, waits for their results through BullMQ's queue events, and reads their outputs from the
// store. A queue that stops answering fails every job still out with one clear message (QueueLost);
// a cancelled run withdraws its waiting jobs and tells the workers to drop the running ones.
import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { encodeRecord, materializeValues, recordDigest, sha256Hex, stableStringify, type NodeJob, type TaskJob, type NodeOutputs, type RemoteExecutor, type RemoteResult } from '../../engine';
import { JOB_FORMAT, type JobData, type JobResult } from './job';
import { CANCEL_CHANNEL, PREFIX, cancelledKey, queueName, redisOptions } from './names';
import { outputsName, Store } from './store';
import { errorText, type QueueAddress } from './url';

/** How long the queue may stop answering before the run gives up on it. */
export const LOST_AFTER_MS = 3000;
/** How many times a job is tried when a worker fails outside the node (a node's own error is final). */
const ATTEMPTS = 3;
/** Inputs uploaded for a run's jobs stay this long. */
const INPUT_SECONDS = 24 * 3600;

export class QueueLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueLost';
  }
}

/** `p`, or a rejection after `ms` with the last error seen (the timer cleared either way). */
async function within<T>(p: Promise<T>, ms: number, last: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(last() || 'no answer')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

interface Waiting {
  resolve: (r: JobResult) => void;
  reject: (e: Error) => void;
  progress: (value: number, max: number, message?: string) => void;
  /** When it was added (performance.now()); 0 until then. */
  since: number;
}

/** How often jobs out longer than this are looked up in the queue itself, in case their event was
 * missed (the events stream is read from the moment the run connected). */
const RECHECK_MS = 2000;

export class QueueExecutor implements RemoteExecutor {
  /** The id of this run: its jobs' ids start with it, and its cancel key carries it. */
  readonly runId = randomUUID();
  /** Why the queue was given up on, once it was. */
  lost: string | null = null;
  private readonly waiting = new Map<string, Waiting>();
  private readonly uploads = new Map<string, Promise<{ record: string; port: string }>>();
  /** The run's cancellation, announced once (the cancel key, and a message to the workers). */
  private announced: Promise<void> | null = null;
  /** Withdrawals under way: close() lets them reach Redis first. */
  private readonly withdrawing = new Set<Promise<void>>();
  private count = 0;
  private lastError = '';
  private silentSince: number | null = null;
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly recheck: ReturnType<typeof setInterval>;

  private constructor(
    address: QueueAddress,
    private readonly redis: Redis,
    private readonly store: Store,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    readonly slots: number,
    private readonly backend: string,
  ) {
    redis.on('error', (e: Error) => (this.lastError = errorText(e)));
    events.on('completed', ({ jobId, returnvalue }) => {
      const w = this.take(jobId);
      if (!w) return;
      try {
        w.resolve((typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as JobResult);
      } catch {
        w.reject(new Error(`the worker's answer for job ${jobId} is not readable`));
      }
    });
    events.on('failed', ({ jobId, failedReason }) => this.take(jobId)?.reject(new Error(failedReason || 'the job failed without a message')));
    events.on('progress', ({ jobId, data }) => {
      const p = data as { value?: unknown; max?: unknown; message?: unknown };
      if (typeof p?.value !== 'number' || typeof p.max !== 'number') return;
      try {
        this.waiting.get(jobId)?.progress(p.value, p.max, typeof p.message === 'string' ? p.message : undefined);
      } catch {
        // The run was cancelled: the job is withdrawn through the signal.
      }
    });
    // The queue is given up on once no connection has been ready for LOST_AFTER_MS.
    this.watchdog = setInterval(() => {
      if (redis.status === 'ready') {
        this.silentSince = null;
        return;
      }
      this.silentSince ??= Date.now();
      if (Date.now() - this.silentSince >= LOST_AFTER_MS) this.lose(`the job queue at ${address.shown} stopped answering (${this.lastError || redis.status}) while the run waited on it; what finished is kept in the store: run again once it is back, and those nodes are reused`);
    }, 100);
    this.recheck = setInterval(() => void this.lookAgain(), RECHECK_MS);
  }

  /** Jobs finished without their event reaching this run: settled from the queue's own record. */
  private async lookAgain(): Promise<void> {
    if (this.lost || this.redis.status !== 'ready') return;
    const now = performance.now();
    const old = [...this.waiting].filter(([, w]) => w.since > 0 && now - w.since > RECHECK_MS).slice(0, 200);
    for (const [id] of old) {
      const job = await this.queue.getJob(id).catch(() => undefined);
      if (!job?.finishedOn) continue;
      const state = await job.getState().catch(() => 'unknown');
      if (state === 'failed') this.take(id)?.reject(new Error(job.failedReason || 'the job failed without a message'));
      else if (state === 'completed' && job.returnvalue) this.take(id)?.resolve(job.returnvalue as JobResult);
    }
  }

  /** Opens the run's connections to the queue of `backend`'s workers; throws QueueLost if it does not answer. */
  static async open(address: QueueAddress, backend: string, slots: number): Promise<QueueExecutor> {
    const connection = { ...address.connection, ...redisOptions };
    const unreachable = (why: string) => new QueueLost(`cannot reach the job queue at ${address.shown}: ${why}; start redis-server there, or check --queue`);
    // One connection answers first: BullMQ's own are made only for a queue that is there.
    const redis = new Redis({ ...connection, maxRetriesPerRequest: 1 });
    let last = '';
    redis.on('error', (e: Error) => (last = errorText(e)));
    try {
      await within(redis.ping(), LOST_AFTER_MS, () => last);
    } catch (e) {
      redis.disconnect();
      throw unreachable(last || errorText(e as Error));
    }
    const queue = new Queue(queueName(backend), { connection, prefix: PREFIX });
    const events = new QueueEvents(queueName(backend), { connection, prefix: PREFIX });
    queue.on('error', () => {});
    events.on('error', () => {});
    try {
      await within(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), LOST_AFTER_MS, () => '');
    } catch (e) {
      redis.disconnect();
      await Promise.allSettled([queue.disconnect(), events.disconnect()]);
      throw unreachable(errorText(e as Error));
    }
    return new QueueExecutor(address, redis, new Store(redis), queue, events, slots, backend);
  }

  private take(jobId: string): Waiting | undefined {
    const w = this.waiting.get(jobId);
    this.waiting.delete(jobId);
    return w;
  }

  private lose(why: string): void {
    if (this.lost) return;
    this.lost = why;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(new QueueLost(why));
    }
  }

  /** How many workers take jobs from this run's queue now (BullMQ's named connections). */
  async workers(): Promise<number> {
    return this.queue.getWorkersCount().catch(() => 1);
  }

  async stored(keys: readonly string[]): Promise<Set<string>> {
    try {
      const there = await this.store.has(keys.map(outputsName));
      return new Set(keys.filter((_, i) => there[i]));
    } catch (e) {
      throw (await this.lostOver(e as Error)) ?? e;
    }
  }

  /** After a command failed: whether the queue is gone (QueueLost, once the watchdog has decided)
   * or was only slow (null: the error stands). */
  private async lostOver(e: Error): Promise<QueueLost | null> {
    if (e.name === 'AbortError') return null;
    const deadline = Date.now() + LOST_AFTER_MS + 1000;
    while (!this.lost && this.redis.status !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return this.lost ? new QueueLost(this.lost) : null;
  }

  async lookup(key: string): Promise<NodeOutputs | undefined> {
    return (await this.store.get(outputsName(key))) as NodeOutputs | undefined;
  }

  /** Stores values made here as one input record for jobs, under `name` or else their digest;
   * returns the record's name. */
  private async upload(values: Record<string, unknown>, what: string, name?: string): Promise<string> {
    await materializeValues(...Object.values(values));
    const bytes = await encodeRecord(values, what);
    const record = name ?? `in:${recordDigest(bytes)}`;
    await this.store.putOnce(record, bytes, INPUT_SECONDS);
    return record;
  }

  /** Where a job reads an input from: the record of the node that made it if the store holds it,
   * else the value uploaded once for this run (under its source's key, or its own digest). */
  private inputRef(value: unknown, from: { key: string; port: string } | undefined): Promise<{ record: string; port: string }> {
    const name = from ? `in:${from.key}:${from.port}` : undefined;
    const known = name ? this.uploads.get(name) : undefined;
    if (known) return known;
    const made = (async () => {
      if (from && (await this.store.has([outputsName(from.key)]))[0]) return { record: outputsName(from.key), port: from.port };
      return { record: await this.upload({ value }, from ? `the value of output '${from.port}'` : 'an input', name), port: 'value' };
    })();
    if (name) this.uploads.set(name, made);
    made.catch(() => name && this.uploads.delete(name));
    return made;
  }

  async run(job: NodeJob, progress: (value: number, max: number, message?: string) => void, signal: AbortSignal): Promise<RemoteResult> {
    return this.submit(
      job.key,
      async () => {
        const inputs: JobData['inputs'] = {};
        for (const [port, value] of Object.entries(job.inputs)) if (value !== undefined) inputs[port] = await this.inputRef(value, job.inputKeys[port]);
        return { node: job.nodeId, type: job.def.type, typeVersion: job.def.typeVersion, params: job.params, inputs, key: job.key, nodeSeed: job.nodeSeed, runSeed: job.runSeed };
      },
      progress,
      signal,
    );
  }

  async task(job: TaskJob, signal: AbortSignal): Promise<RemoteResult> {
    if (this.lost) throw new QueueLost(this.lost);
    // Its inputs as one record; the key follows the task, its version, the backend and their digest.
    let record: string;
    try {
      record = await this.upload(job.inputs, `task ${job.task.name}'s inputs`);
    } catch (e) {
      throw (await this.lostOver(e as Error)) ?? e;
    }
    const key = await sha256Hex(stableStringify(['task', job.task.name, job.task.version, this.backend, record]));
    const kept = await this.lookup(key).catch(() => undefined);
    if (kept) return { outputs: kept, ranOn: 'store' };
    return this.submit(key, async () => ({ node: job.nodeId, type: `task:${job.task.name}`, task: job.task.name, typeVersion: job.task.version, params: {}, inputs: { '*': { record, port: '*' } }, key, nodeSeed: 0, runSeed: 0 }), () => {}, signal);
  }

  /** Adds a job and waits for its outputs (stored under `key`). */
  private async submit(key: string, make: () => Promise<Omit<JobData, 'v' | 'run'>>, progress: (value: number, max: number, message?: string) => void, signal: AbortSignal): Promise<RemoteResult> {
    if (this.lost) throw new QueueLost(this.lost);
    const jobId = `${this.runId}.${++this.count}`;
    const done = new Promise<JobResult>((resolve, reject) => this.waiting.set(jobId, { resolve, reject, progress, since: 0 }));
    // Settled by an event, a lost queue or the signal, perhaps before anything awaits it.
    done.catch(() => {});
    const onAbort = () => {
      this.take(jobId)?.reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
      const w = this.withdraw(jobId).finally(() => this.withdrawing.delete(w));
      this.withdrawing.add(w);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      const data: JobData = { v: JOB_FORMAT, run: this.runId, ...(await make()) };
      // Cancelled while its inputs were uploaded: nothing to add.
      if (signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      // The job's name is its node type (or task), so a queue dashboard shows what runs.
      const added = this.queue.add(data.type, data, { jobId, attempts: ATTEMPTS, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
      added.catch(() => {});
      await Promise.race([added, done]);
      const w = this.waiting.get(jobId);
      if (w) w.since = performance.now();
      const result = await done;
      const outputs = await this.lookup(key);
      if (!outputs) throw new Error(`${result.ranOn} finished the job but its outputs (store record out:${key}) are not in the store (removed since, or Redis is out of memory); run again`);
      return { outputs, ranOn: result.ranOn };
    } catch (e) {
      if (e instanceof QueueLost) throw e;
      throw (await this.lostOver(e as Error)) ?? e;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.waiting.delete(jobId);
    }
  }

  /** A job of a cancelled run: removed if it still waits, else dropped by the worker running it. */
  private async withdraw(jobId: string): Promise<void> {
    if (this.lost) return;
    try {
      await (this.announced ??= (async () => {
        await this.redis.set(cancelledKey(this.runId), '1', 'EX', 24 * 3600);
        await this.redis.publish(CANCEL_CHANNEL, JSON.stringify({ run: this.runId }));
      })());
      await this.queue.remove(jobId).catch(() => 0);
    } catch {
      // The queue went away as well: its jobs go with it or are dropped by the cancel key.
    }
  }

  /** Closes every connection (within a second, even with the queue gone). */
  async close(): Promise<void> {
    clearInterval(this.watchdog);
    clearInterval(this.recheck);
    const quit = Promise.allSettled([...this.withdrawing]).then(() => Promise.allSettled([this.queue.close(), this.events.close(), this.redis.quit()]));
    await Promise.race([quit, new Promise((r) => setTimeout(r, 1000))]);
    this.redis.disconnect();
    await Promise.allSettled([this.queue.disconnect(), this.events.disconnect()]);
  }
}
