// A node job, as it crosses the queue (JobData: JSON in BullMQ) and as a worker computes it
// (compute: decode the input records, run the registered node type, encode its outputs). Only data
// travels: the worker looks the type up in its own registry, checks its version and params, and
// runs nothing a worker may not run (engine/scheduler/remote.ts, whyLocal).
import {
  CancelledError, RandomSource, decodeRecord, encodeRecord, findNode, findTask, materializeValues, runNode, whyLocal,
  type Backend, type Registry, type RunContext,
} from '../../engine';

/** The format of JobData; a worker refuses jobs of another. */
export const JOB_FORMAT = 1;

export interface JobData {
  v: number;
  /** The run that sent it (its cancel key, and who is waiting for it). */
  run: string;
  /** The graph node it is for (a sweep's reruns: the swept node). */
  node: string;
  /** The node type, or for a task "task:NAME". */
  type: string;
  /** A task's name (engine/tasks.ts) instead of a node type; its one input is the whole record "*". */
  task?: string;
  /** The node type's (or task's) version. */
  typeVersion: number;
  params: Record<string, unknown>;
  /** Each input port: the store record holding it and the value's name in that record. */
  inputs: Record<string, { record: string; port: string }>;
  /** The content key its outputs are stored under (record out:KEY). */
  key: string;
  nodeSeed: number;
  runSeed: number;
}

export interface JobResult {
  /** "host pid 1234": the worker that ran it. */
  ranOn: string;
  durationMs: number;
}

/** A job that no worker will ever run (unknown type, another version, bad params): failed at once. */
export class RefusedJob extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedJob';
  }
}

export interface ComputeInput {
  type: string;
  task?: string;
  typeVersion: number;
  params: Record<string, unknown>;
  node: string;
  nodeSeed: number;
  runSeed: number;
  /** Each input port: the bytes of the record holding it, the value's name there, the record's name. */
  inputs: Record<string, { bytes: Uint8Array; port: string; record: string }>;
}

/** Runs a job's node; returns its outputs as a record. Throws RefusedJob for a job this worker may
 * not run, CancelledError when `cancelled()` turns true at a progress check, else the node's error. */
export async function compute(job: ComputeInput, registry: Registry, backend: Backend, cancelled: () => boolean, progress: (value: number, max: number, message?: string) => void): Promise<Uint8Array> {
  if (job.task !== undefined) {
    const task = findTask(job.task);
    if (!task) throw new RefusedJob(`this worker has no task '${job.task}'; update the worker to the runner's version of Corespace`);
    if (task.version !== job.typeVersion) throw new RefusedJob(`this worker has task ${job.task} version ${task.version} and the job is for version ${job.typeVersion}; run the same version of Corespace on the runner and the workers`);
    const input = job.inputs['*'];
    if (!input) throw new RefusedJob(`task ${job.task}: the job names no inputs`);
    const record = (await decodeRecord(input.bytes, `the inputs (store record ${input.record})`)) as Record<string, unknown>;
    if (!record || typeof record !== 'object') throw new RefusedJob(`task ${job.task}: store record ${input.record} holds no inputs`);
    const outputs = await task.run(record, backend);
    await materializeValues(...Object.values(outputs));
    return encodeRecord(outputs, `task ${job.task}'s output`);
  }
  const def = findNode(registry, job.type);
  if (!def) throw new RefusedJob(`this worker has no node type '${job.type}'; update the worker to the runner's version of Corespace`);
  if (def.typeVersion !== job.typeVersion) throw new RefusedJob(`this worker has ${job.type} version ${def.typeVersion} and the job is for version ${job.typeVersion}; run the same version of Corespace on the runner and the workers`);
  const local = whyLocal(def);
  if (local) throw new RefusedJob(`a worker does not run ${job.type}: ${local}`);
  const parsed = def.params.safeParse(job.params);
  if (!parsed.success) throw new RefusedJob(`params of ${job.type} that it refuses: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ')}`);
  const inputs: Record<string, unknown> = {};
  for (const [port, input] of Object.entries(job.inputs)) {
    const record = (await decodeRecord(input.bytes, `input '${port}' (store record ${input.record})`)) as Record<string, unknown>;
    if (!record || typeof record !== 'object' || !Object.hasOwn(record, input.port)) throw new RefusedJob(`input '${port}': store record ${input.record} holds no value '${input.port}'`);
    inputs[port] = record[input.port];
  }
  const signal = new AbortController().signal;
  const none = (what: string) => async (): Promise<never> => {
    throw new Error(`a queue worker has no ${what} (a bug: this node should have run on the runner; please report it)`);
  };
  const ctx: RunContext = {
    nodeId: job.node,
    backend,
    signal,
    random: new RandomSource(job.nodeSeed, job.runSeed),
    files: { read: none("graph's files"), fingerprint: none("graph's files") },
    output: { write: none('output folder') },
    rerun: none('other nodes to re-run'),
    progress(value, max, message) {
      if (cancelled()) throw new CancelledError();
      progress(value, max, message);
    },
  };
  const outputs = await runNode(def, inputs, parsed.data as Record<string, unknown>, ctx);
  await materializeValues(...Object.values(outputs));
  return encodeRecord(outputs, `node '${job.node}' output`);
}
