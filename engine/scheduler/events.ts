// Per-node run events. The names follow ComfyUI's websocket protocol where one exists, so users of
// node editors recognise them; the CLI's --json mode prints exactly these objects, one per line.
import type { ValueSummary } from '../values';

export type NodeStatus = 'queued' | 'running' | 'done' | 'cached' | 'bypassed' | 'error' | 'blocked' | 'cancelled';

export type RunEvent =
  | { type: 'execution_start'; nodes: string[]; backend: string }
  | { type: 'execution_cached'; nodes: string[] }
  | { type: 'queued'; node: string }
  /** estimateSeconds: the node's estimated run time on one CPU core (engine/cost.ts), when it has one. */
  | { type: 'executing'; node: string; estimateSeconds?: number }
  /** etaSeconds: what is left, from the progress so far or the node's estimate (engine/cost.ts). */
  | { type: 'progress'; node: string; value: number; max: number; message?: string; etaSeconds?: number }
  /** ranOn: where its jobs ran, with a job queue ("host pid 1234", or "store" for a kept result). */
  | { type: 'executed'; node: string; durationMs: number; summary: Record<string, ValueSummary>; ranOn?: string[] }
  | { type: 'execution_error'; node: string; message: string }
  | { type: 'blocked'; node: string; by: string }
  /** A bypassed node passed its inputs on without running. */
  | { type: 'bypassed'; node: string }
  | { type: 'cancelled'; node: string }
  | { type: 'execution_success' }
  /** Some node failed; the others ran to the end. */
  | { type: 'execution_failed'; failed: string[] }
  | { type: 'execution_interrupted' };

export interface NodeRecord {
  status: Exclude<NodeStatus, 'queued' | 'running'>;
  durationMs?: number;
  summary?: Record<string, ValueSummary>;
  error?: string;
  /** For blocked nodes: the failed (or cancelled) upstream node that stopped them. */
  blockedBy?: string;
  /** With a job queue: where the node's jobs ran (its own, or each of its reruns'), in order. */
  ranOn?: string[];
}
