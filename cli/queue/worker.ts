// `corespace worker --queue URL`: takes node jobs from the queue of its backend, runs them with the
// same engine as `corespace run`, and writes their outputs to the store. CPU jobs compute in threads
// (one per --concurrency), so this thread keeps renewing their locks; a worker killed mid-job stops
// renewing, and BullMQ gives the job to another worker once the lock has lapsed (--lock-seconds).
import os from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { CancelledError, WebGpuBackend, cpuBackend, describeFailure, type Backend } from '../../engine';
import { registry } from '../../nodes';
import type { Io } from '../run-command';
import { ComputeFailed, ComputePool } from './compute-pool';
import { compute, JOB_FORMAT, type ComputeInput, type JobData, type JobResult } from './job';
import { CANCEL_CHANNEL, PREFIX, cancelledKey, queueName, redisOptions } from './names';
import { outputsName, Store } from './store';
import { errorText, type QueueAddress } from './url';

export interface WorkerArgs {
  address: QueueAddress;
  concurrency: number;
  backend: Backend;
  /** How long a job stays claimed by a worker that stopped renewing its lock. */
  lockSeconds: number;
}

/** Progress reports sent to the queue at most this often per job. */
const PROGRESS_MS = 200;

/** Runs until `signal` aborts (a stop signal); returns 130. */
export async function workerCommand(args: WorkerArgs, io: Io, signal: AbortSignal): Promise<number> {
  const { address, concurrency, backend } = args;
  const name = `${os.hostname()} pid ${process.pid}`;
  const log = (line: string) => io.stderr(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const connection = { ...address.connection, ...redisOptions };
  const redis = new Redis({ ...connection, maxRetriesPerRequest: null });
  const store = new Store(redis);
  const pool = backend === cpuBackend ? new ComputePool(concurrency) : null;
  // Jobs running here, by id, with the run they belong to and their abort.
  const running = new Map<string, { run: string; abort: AbortController }>();

  let outage: string | null = null;
  const reportError = (e: Error) => {
    const why = errorText(e);
    if (outage === null) log(`lost the queue at ${address.shown} (${why}); reconnecting`);
    outage = why;
  };
  redis.on('error', reportError);
  redis.on('ready', () => {
    if (outage !== null) log(`the queue at ${address.shown} is back`);
    outage = null;
  });

  const processor = async (job: Job<JobData, JobResult>): Promise<JobResult> => {
    const d = job.data;
    if (d?.v !== JOB_FORMAT) throw new UnrecoverableError(`job format ${String(d?.v)}, this worker reads format ${JOB_FORMAT}; run the same version of Corespace on the runner and the workers`);
    if (await redis.exists(cancelledKey(d.run))) throw new UnrecoverableError('cancelled by the runner');
    const t0 = performance.now();
    // Done already (a retry after its worker died just after writing, or the same work sent twice).
    if ((await store.has([outputsName(d.key)]))[0]) return { ranOn: name, durationMs: 0 };
    const refs = d.inputs && typeof d.inputs === 'object' ? Object.entries(d.inputs) : null;
    if (!refs || refs.some(([, r]) => typeof r?.record !== 'string' || typeof r.port !== 'string') || typeof d.key !== 'string' || typeof d.type !== 'string') {
      throw new UnrecoverableError('the job is not a node job (inputs, key or type missing); run the same version of Corespace on the runner and the workers');
    }
    const inputs: ComputeInput['inputs'] = {};
    for (const [port, { record, port: inner }] of refs) {
      const bytes = await store.bytes(record);
      if (!bytes) throw new UnrecoverableError(`input '${port}': store record ${record} is gone (expired, or removed with Redis's data); run the graph again`);
      inputs[port] = { bytes, port: inner, record };
    }
    const input: ComputeInput = { type: d.type, ...(d.task !== undefined ? { task: String(d.task) } : {}), typeVersion: d.typeVersion, params: d.params, node: d.node, nodeSeed: d.nodeSeed, runSeed: d.runSeed, inputs };
    let last = 0;
    const progress = (value: number, max: number, message?: string) => {
      const now = performance.now();
      if (now - last < PROGRESS_MS && value < max) return;
      last = now;
      void job.updateProgress({ value, max, ...(message !== undefined ? { message } : {}) }).catch(() => {});
    };
    const abort = new AbortController();
    running.set(job.id!, { run: d.run, abort });
    log(`start ${d.node} (${d.type}) · job ${job.id}`);
    let bytes: Uint8Array;
    try {
      bytes = pool ? await pool.run(input, progress, abort.signal) : await compute(input, registry, backend, () => abort.signal.aborted, progress);
    } catch (e) {
      const cancelled = abort.signal.aborted || e instanceof CancelledError || (e instanceof ComputeFailed && e.cancelled);
      const message = cancelled ? 'cancelled by the runner' : e instanceof ComputeFailed ? e.message : describeFailure(e);
      log(`${cancelled ? 'cancel' : 'fail '} ${d.node} (${d.type}) · job ${job.id}: ${message}`);
      // The node's own error (or a refusal) is the same on every worker: it fails once. A compute
      // thread that died is tried again.
      const retry = !cancelled && e instanceof ComputeFailed && !e.refused && /^the compute thread exited/.test(e.message);
      throw retry ? new Error(message) : new UnrecoverableError(message);
    } finally {
      running.delete(job.id!);
    }
    await store.put(outputsName(d.key), bytes);
    const durationMs = Math.round(performance.now() - t0);
    log(`done  ${d.node} (${d.type}) · job ${job.id} · ${durationMs} ms`);
    return { ranOn: name, durationMs };
  };

  const worker = new Worker<JobData, JobResult>(queueName(backend.name), processor, {
    connection,
    prefix: PREFIX,
    concurrency,
    name,
    lockDuration: args.lockSeconds * 1000,
    stalledInterval: args.lockSeconds * 1000,
    maxStalledCount: 2,
  });
  worker.on('error', reportError);

  // A cancelled run: its jobs running here are stopped (at their next progress check).
  const sub = new Redis({ ...connection, maxRetriesPerRequest: null });
  sub.on('error', () => {});
  sub.on('message', (_channel: string, message: string) => {
    let run: unknown;
    try {
      run = (JSON.parse(message) as { run?: unknown }).run;
    } catch {
      return;
    }
    for (const [, r] of running) if (r.run === run) r.abort.abort();
  });
  await sub.subscribe(CANCEL_CHANNEL).catch(reportError);

  log(`corespace worker ${name}: ${backend.name} jobs from ${address.shown}, ${concurrency} at a time`);
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  log('stopping: the jobs running here go back to the queue once their locks lapse');
  // force: do not wait for running jobs (another worker takes them).
  await Promise.race([worker.close(true), new Promise((r) => setTimeout(r, 2000))]);
  await pool?.close();
  sub.disconnect();
  redis.disconnect();
  await worker.disconnect().catch(() => {});
  if (backend instanceof WebGpuBackend) backend.destroy();
  // Stopped: the caller gives the signal's exit code (130 for Ctrl+C, 143 for a TERM).
  return 130;
}
