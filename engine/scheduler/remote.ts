// Running nodes elsewhere: the scheduler hands a node (or a sweep's rerun of one) to a RemoteExecutor
// (the CLI's job queue, cli/queue/) as a job: the registered node type, its resolved params, its
// input values with the content keys they came under, and its own content key. Only data travels;
// whoever runs the job looks the type up in its own registry.
import type { AnyNodeDefinition } from '../node-api';
import type { TaskDefinition } from '../tasks';
import type { NodeOutputs } from './cache';

/** A node run as a job. */
export interface NodeJob {
  /** The graph node it is for (a sweep's reruns: the swept node); its random stream and messages. */
  nodeId: string;
  def: AnyNodeDefinition;
  params: Record<string, unknown>;
  inputs: Record<string, unknown>;
  /** Per input port, the content key and output port the value came from, where known: a store that
   * holds that node's outputs already is not sent the value again. */
  inputKeys: Record<string, { key: string; port: string } | undefined>;
  /** The scheduler's content key of its outputs (engine/scheduler/keys.ts). */
  key: string;
  nodeSeed: number;
  runSeed: number;
  /** The node's estimated run time on one core, in seconds (engine/cost.ts), where it has one. */
  estimateSeconds?: number;
}

/** A task (engine/tasks.ts) run as a job for a node: its outputs are stored under a key made from
 * the task's name, version and the digest of its inputs. */
export interface TaskJob {
  nodeId: string;
  task: TaskDefinition;
  inputs: Record<string, unknown>;
}

export interface RemoteResult {
  outputs: NodeOutputs;
  /** Who ran it ("host pid 1234"), or "store" for outputs an earlier run had left there. */
  ranOn: string;
}

export interface RemoteExecutor {
  /** How many jobs the scheduler keeps in flight: ready nodes, and a sweep's values at once. */
  readonly slots: number;
  /** Content keys, among these, whose outputs the store holds (from an earlier run, anyone's). */
  stored(keys: readonly string[]): Promise<Set<string>>;
  /** The outputs stored under a key, or undefined (also for a record that fails its hash: it is
   * removed, and the node runs again). */
  lookup(key: string): Promise<NodeOutputs | undefined>;
  /** Runs the job on a worker; rejects with the node's error message, or on `signal` once the job is
   * withdrawn. Progress reports arrive through `progress`. */
  run(job: NodeJob, progress: (value: number, max: number, message?: string) => void, signal: AbortSignal): Promise<RemoteResult>;
  /** Runs a task on a worker (or takes its stored outputs). */
  task(job: TaskJob, signal: AbortSignal): Promise<RemoteResult>;
}

/** Port types whose values cannot leave the process: a function is code, a model may read external
 * weight files next to the graph. */
const STAYS = new Set(['function', 'model']);

/**
 * Why a node type runs in the process that runs the graph, never on a queue's worker; null if a
 * worker may run it. Workers have neither the graph's files nor its output folder, views or other
 * nodes, and only data crosses to them.
 */
export function whyLocal(def: AnyNodeDefinition): string | null {
  if (def.files) return 'it reads files of the graph';
  if (def.references) return 'it re-runs other nodes of the graph (their runs are sent as jobs)';
  if (!def.outputs.length) return 'it writes files or shows a view';
  if (def.category === 'export') return 'it writes files to the output folder';
  if (def.category === 'view') return 'it shows a view';
  const port = [...def.inputs.flatMap((p) => (typeof p.type === 'string' ? [p.type] : p.type)), ...def.outputs.map((p) => p.type)].find((t) => STAYS.has(t));
  if (port) return `it ${def.outputs.some((p) => p.type === port) ? 'makes' : 'takes'} a ${port} value, which stays where it was made`;
  return null;
}
