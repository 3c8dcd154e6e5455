// The messages between the editor (UI thread) and the engine worker. Plain data only: graphs are
// GraphDoc JSON, files are bytes, results are summaries and small previews (never whole tensors).
import type { GraphDoc } from '../engine/graph/schema';
import type { Problem } from '../engine/graph/problems';
import type { RunEvent } from '../engine/scheduler/events';
import type { Preview, ValueSummary } from '../engine/values';
import type { ViewRequest } from '../engine/node-api';

/** A thumbnail of one output (each value kind makes its own: engine/values/<kind>.ts). */
export type { Preview };

export interface RunFile {
  bytes: Uint8Array;
  /** Content hash (cache key of the nodes reading it). */
  hash: string;
}

export type ToWorker =
  | { type: 'init'; preferBackend: 'auto' | 'cpu' }
  | { type: 'run'; runId: number; graph: GraphDoc; targets?: string[]; files: Record<string, RunFile>; cancelFlag?: SharedArrayBuffer; maxSeconds: number }
  | { type: 'cancel'; runId: number };

export type FromWorker =
  /** `threads`: the CPU threads the products run on (the caller and the workers started so far). */
  | { type: 'ready'; backend: string; adapter: string; notice?: string; threads: number }
  | { type: 'event'; runId: number; event: RunEvent }
  | { type: 'previews'; runId: number; node: string; previews: Record<string, Preview> }
  /** The summary of a node whose outputs came from the cache (no 'executed' event for it). */
  | { type: 'cached'; runId: number; node: string; summary: Record<string, ValueSummary> }
  /** What a viewer node asks to show (drawn in the results panel). */
  | { type: 'view'; runId: number; node: string; view: ViewRequest }
  /** A file a sink node wrote (export.npy): offered for download. */
  | { type: 'file'; runId: number; name: string; bytes: Uint8Array }
  | { type: 'invalid'; runId: number; problems: Problem[] }
  | { type: 'finished'; runId: number; status: 'success' | 'failed' | 'interrupted'; threads: number }
  | { type: 'crashed'; runId: number; message: string };
