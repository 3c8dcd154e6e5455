// One run of a graph with the runner's file access (confined reads, the output folder) and its
// headless views, on the thread it is called on: the main thread for WebGPU (Dawn lives there), a
// worker thread for the CPU backend (cli/run-worker.ts), where a long computation can be stopped.
import { dirname } from 'node:path';
import { runGraph, withEmbeddedFiles, type Backend, type GraphDoc, type NodeRecord, type Registry, type RunEvent, type ViewSink } from '../engine';
import { renderView } from '../viewer/headless';
import { folderSink, fsResolver } from './node-io';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { QueueExecutor } from './queue/executor';
import type { QueueAddress } from './queue/url';

export interface ExecuteSpec {
  doc: GraphDoc;
  /** The graph file (resolved): inputs are read from its folder, and it is never overwritten. */
  graphFile: string;
  outDir: string;
  allowRead: string[];
  targets?: string[];
  seed?: number;
  /** The ceiling on a node's estimated run time (--max-minutes), in seconds. */
  maxSeconds?: number;
  /** Send the nodes a worker may run to this job queue (--queue), up to `slots` jobs at once. */
  queue?: { address: QueueAddress; slots: number };
}

export interface ViewEntry {
  node: string;
  kind: string;
  file?: string;
  skipped?: string;
}

/** What a run leaves: its status and node records, and what it wrote (reported as it happens). */
export interface Executed {
  status: 'success' | 'failed' | 'interrupted';
  nodes: Record<string, NodeRecord>;
  executed: string[];
  /** With a queue: why it was given up on, if it stopped answering during the run. */
  queueLost?: string;
}

export interface ExecuteHooks {
  onEvent(e: RunEvent): void;
  onWrite(file: string): void;
  onView(v: ViewEntry): void;
  /** A line for the user that is not a run event (a queue without workers). */
  onNotice?(text: string): void;
}

export async function execute(spec: ExecuteSpec, registry: Registry, backend: Backend, hooks: ExecuteHooks, signal?: AbortSignal): Promise<Executed> {
  const sink = folderSink(spec.outDir, [], [spec.graphFile, `${spec.outDir}/run.json`]);
  // Viewer nodes: heatmaps and plots become PNGs under views/, 3-D views are listed as skipped.
  const views: ViewSink = {
    async show(node, view) {
      const out = await renderView(view);
      const entry = 'png' in out ? { file: await sink.write(`views/${node}.png`, out.png) } : { skipped: out.skip };
      hooks.onView({ node, kind: view.kind, ...entry });
      return entry;
    },
  };
  const output = {
    async write(name: string, bytes: Uint8Array) {
      const file = await sink.write(name, bytes);
      hooks.onWrite(file);
      return file;
    },
  };
  // With a queue, the nodes a worker may run go out as jobs (a queue that does not answer: QueueLost).
  const remote = spec.queue ? await QueueExecutor.open(spec.queue.address, backend.name, spec.queue.slots) : undefined;
  try {
    if (remote && (await remote.workers()) === 0) hooks.onNotice?.(`no worker takes ${backend.name} jobs from the queue at ${spec.queue!.address.shown} yet: the run's jobs wait until one does (start one with: corespace worker --queue URL${backend.name === 'cpu' ? '' : ` --backend ${backend.name}`})`);
    const result = await runGraph(spec.doc, {
      registry,
      backend,
      files: withEmbeddedFiles(spec.doc, fsResolver(dirname(spec.graphFile), { allow: spec.allowRead })),
      output,
      views,
      models: wasmModelRuntime,
      ...(spec.targets ? { targets: spec.targets } : {}),
      ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
      ...(spec.maxSeconds !== undefined ? { maxSeconds: spec.maxSeconds } : {}),
      ...(signal ? { signal } : {}),
      ...(remote ? { remote } : {}),
      onEvent: (e) => hooks.onEvent(e),
    });
    return { status: result.status, nodes: { ...result.nodes }, executed: result.executed, ...(remote?.lost ? { queueLost: remote.lost } : {}) };
  } finally {
    await remote?.close();
  }
}
