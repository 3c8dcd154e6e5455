// `corespace run`: load, apply --set, validate, run, report, write run.json and exports.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  GraphError, MAX_NESTING, WebGpuBackend, chooseBackend, cpuBackend, checkForRun, formatProblem, parseGraphText, printableJson, setBypass, setParam, tooDeep,
  type AdapterFacts, type Backend, type GraphDoc, type NodeRecord, type Problem, type Registry, type RunEvent,
} from '../engine';
import { execute, type ExecuteHooks, type ExecuteSpec, type Executed, type ViewEntry } from './execute';
import { folderSink, makeFolder, readRegularFile } from './node-io';
import { QueueLost } from './queue/executor';
import { parseQueueUrl } from './queue/url';
import type { FromRunWorker } from './run-worker';
import { barReporter, finite, jsonReporter, lineReporter, type Reporter } from './progress';

export interface RunArgs {
  graph: string;
  out?: string;
  backend: 'auto' | 'cpu' | 'webgpu';
  sets: string[];
  targets?: string[];
  /** Nodes to run bypassed (--bypass), as if their bypass flag were set in the file. */
  bypass?: string[];
  seed?: number;
  json: boolean;
  /** Folders other than the graph's own that its nodes may read files from (--allow-read). */
  allowRead?: string[];
  /** The ceiling on a node's estimated run time in seconds (--max-minutes × 60). */
  maxSeconds?: number;
  /** A job queue (--queue redis://…) to send the nodes a worker may run to, and how many jobs at once (--jobs). */
  queue?: { url: string; slots: number };
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

/** Exit codes: 0 every node done, 1 some node failed, 2 invalid graph or usage, 130 interrupted. */
/** `armStop` is called once the graph is loaded and valid, before the output folder is touched: the
 * caller installs its signal handlers there (see cli/main.ts). */
export async function runCommand(args: RunArgs, registry: Registry, io: Io, signal?: AbortSignal, armStop?: () => void): Promise<number> {
  const loaded = await loadFile(args.graph, registry, io, args.json);
  if (!loaded) return 2;
  let doc = loaded;
  try {
    for (const s of args.sets) doc = applySet(doc, s);
    if (args.bypass?.length) {
      const ids = new Set(doc.nodes.map((n) => n.id));
      const unknown = args.bypass.filter((id) => !ids.has(id));
      if (unknown.length) throw new Error(`--bypass: no node ${unknown.map((u) => `'${u}'`).join(', ')} in the graph (nodes: ${[...ids].join(', ')})`);
      doc = setBypass(doc, args.bypass, true);
    }
  } catch (e) {
    io.stderr(`corespace: ${(e as Error).message}\n`);
    return 2;
  }
  // Invalid graphs fail here, before a folder is made or a backend started (with --targets, only
  // the targets and their ancestors need to be valid).
  const { problems } = checkForRun(doc, registry, args.targets, args.maxSeconds !== undefined ? { maxSeconds: args.maxSeconds } : {});
  if (problems.length) {
    reportInvalid(args.graph, problems, io, args.json);
    return 2;
  }
  let queue: ExecuteSpec['queue'];
  if (args.queue) {
    try {
      queue = { address: parseQueueUrl(args.queue.url), slots: args.queue.slots };
    } catch (e) {
      io.stderr(`corespace: ${(e as Error).message}\n`);
      return 2;
    }
  }
  armStop?.();
  const outPath = args.out ?? join('corespace-out', safeName(doc.name));
  const out = await prepareOut(outPath, args.graph, args.out === undefined);
  if (typeof out !== 'string') {
    io.stderr(`corespace: ${args.out === undefined ? `the default output folder ${outPath}` : `--out ${JSON.stringify(args.out)}`}: ${out.problem}\n`);
    return 2;
  }
  const backend = await pickBackend(args.backend, io);
  if (!backend) return 2;
  try {
    return await runWith(args, registry, io, doc, backend, out, signal, queue);
  } finally {
    if (backend instanceof WebGpuBackend) backend.destroy();
  }
}

/** An invalid graph: every problem on stderr, and with --json one `invalid_graph` event on stdout. */
export function reportInvalid(file: string, problems: readonly Problem[], io: Io, json: boolean): void {
  io.stderr(`corespace: ${file} is not a valid graph (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
  if (json) io.stdout(`${printableJson(JSON.stringify({ type: 'invalid_graph', file, problems }))}\n`);
}

/**
 * The output folder, made and checked before anything runs: a usable, writable folder (not a file,
 * not inside one, not on a file system that takes no files), whose run.json is not the graph itself.
 */
export async function prepareOut(out: string, graphFile: string, byDefault = false): Promise<string | { problem: string }> {
  if (out.trim() === '') return { problem: 'the output folder is empty; give a folder, e.g. --out results' };
  const dir = resolve(out);
  // The default folder (corespace-out/<name>, under the current folder) may have come with a
  // cloned or unpacked folder: one that is, or passes through, a link would send the run's files
  // wherever the link points. An explicit --out is the user's own choice.
  if (byDefault) {
    let at = process.cwd();
    for (const part of relative(process.cwd(), dir).split(sep).filter(Boolean)) {
      at = join(at, part);
      const s = await lstat(at).catch(() => null);
      if (!s) break;
      if (s.isSymbolicLink()) {
        const to = await readlink(at).catch(() => '?');
        return { problem: `${at} is a link (to ${to}): a folder that came with the graph could send the run's files there; remove the link, or choose the output folder with --out` };
      }
    }
  }
  try {
    await makeFolder(dir);
  } catch (e) {
    return { problem: (e as Error).message };
  }
  const real = await realpath(dir);
  const graph = await realpath(resolve(graphFile)).catch(() => resolve(graphFile));
  if (join(real, 'run.json') === graph) return { problem: `the run would write ${join(real, 'run.json')}, which is the graph file itself; pick another output folder` };
  // A folder can exist and still take no files (read-only mounts, /proc, /sys).
  const probe = join(real, `.corespace-probe-${process.pid}`);
  try {
    const h = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NONBLOCK);
    await h.close();
    await rm(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: `cannot write files in ${real}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : (e as Error).message}` };
  }
  return real;
}

async function runWith(args: RunArgs, registry: Registry, io: Io, doc: GraphDoc, backend: Backend, outDir: string, signal?: AbortSignal, queue?: ExecuteSpec['queue']): Promise<number> {
  const graphFile = resolve(args.graph);
  const types = new Map(doc.nodes.map((n) => [n.id, n.type]));
  const reporter: Reporter = args.json ? jsonReporter(io.stdout) : io.isTTY ? barReporter(types, io.stderr) : lineReporter(io.stderr, types);
  const started = new Date().toISOString();
  const spec: ExecuteSpec = {
    doc,
    graphFile,
    outDir,
    allowRead: args.allowRead ?? [],
    ...(args.targets ? { targets: args.targets } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.maxSeconds !== undefined ? { maxSeconds: args.maxSeconds } : {}),
    ...(queue ? { queue } : {}),
  };
  const written: string[] = [];
  const views: ViewEntry[] = [];
  // run.json, through the one module that writes into the output folder: `running` first, so a
  // run killed midway is never taken for a finished one, and its final status last.
  const record = folderSink(outDir, [], [graphFile]);
  const backendInfo = { name: backend.name, adapter: backend.adapter };
  // The queue as shown (its password, if any, replaced by ***).
  const queueInfo: Record<string, unknown> | undefined = queue ? { url: queue.address.shown, jobs: queue.slots } : undefined;
  const writeRecord = (status: string, rest: Record<string, unknown>) =>
    record.replace('run.json', new TextEncoder().encode(`${JSON.stringify({ graph: doc.name, file: graphFile, backend: backendInfo, ...(queueInfo ? { queue: queueInfo } : {}), started, seed: args.seed ?? 0, status, ...rest }, finite, 2)}\n`));
  try {
    await writeRecord('running', { nodes: {} });
  } catch (e) {
    reporter.stop();
    io.stderr(`corespace: ${(e as Error).message}\n`);
    return 1;
  }
  const hooks: ExecuteHooks = { onEvent: (e) => reporter.onEvent(e), onWrite: (f) => void written.push(f), onView: (v) => void views.push(v), onNotice: (text) => io.stderr(`corespace: ${text}\n`) };
  let result: Executed;
  try {
    result = backend === cpuBackend ? await executeInWorker(spec, hooks, signal) : await execute(spec, registry, backend, hooks, signal);
  } catch (e) {
    reporter.stop();
    if (e instanceof GraphError) {
      reportInvalid(args.graph, e.problems, io, args.json);
      return 2;
    }
    if (e instanceof QueueLost) {
      io.stderr(`corespace: ${e.message}\n`);
      await writeRecord('failed', { finished: new Date().toISOString(), nodes: {}, queueLost: e.message }).catch(() => {});
      return EXIT_QUEUE;
    }
    throw e;
  }
  reporter.stop();
  if (result.queueLost && queueInfo) queueInfo.lost = result.queueLost;

  const nodes: Record<string, unknown> = Object.fromEntries(
    Object.entries(result.nodes).map(([id, { summary, ...record }]) => {
      // Metrics of every metrics-typed output, by name, lifted to the top of the node's entry.
      const metrics = Object.assign({}, ...Object.values(summary ?? {}).map((s) => s.metrics ?? {}));
      return [id, { type: types.get(id), ...record, ...(Object.keys(metrics).length ? { metrics } : {}), ...(summary ? { outputs: summary } : {}) }];
    }),
  );
  // On the GPU: what crossed the bus (results that stayed on the device were never read back).
  if (backend instanceof WebGpuBackend) Object.assign(backendInfo, { transfers: backend.stats });
  try {
    await writeRecord(result.status, { finished: new Date().toISOString(), nodes, exports: written, views });
  } catch (e) {
    io.stderr(`corespace: ${(e as Error).message} (the run ended: ${result.status}; it wrote ${written.length} export${written.length === 1 ? '' : 's'} and ${views.filter((v) => v.file).length} view file${views.filter((v) => v.file).length === 1 ? '' : 's'})\n`);
    return 1;
  }
  if (result.queueLost) {
    io.stderr(`corespace: ${result.queueLost}\n`);
    return EXIT_QUEUE;
  }
  if (!args.json) {
    const failed = Object.values(result.nodes).filter((n) => n.status === 'error').length;
    for (const f of written) io.stderr(`wrote    ${f}\n`);
    for (const v of views) io.stderr(v.file ? `wrote    ${v.file}  (view ${v.node}, ${v.kind})\n` : `skipped  view ${v.node} (${v.kind}): ${v.skipped}\n`);
    io.stderr(`${result.status === 'success' ? 'ok' : result.status}: ${Object.keys(result.nodes).length} nodes, ${result.executed.length} ran, ${failed} failed — ${join(outDir, 'run.json')}\n`);
  }
  return result.status === 'success' ? 0 : result.status === 'interrupted' ? 130 : 1;
}

/** The exit code of a run whose job queue could not be reached or stopped answering. */
export const EXIT_QUEUE = 3;

/** How long a node may take to notice Ctrl+C at its next progress check before its thread is stopped. */
export const CANCEL_GRACE_MS = 1000;

/**
 * A CPU run in a worker thread. On abort the shared flag is raised, which every node's next
 * progress check turns into a cancellation; a node that does not check within CANCEL_GRACE_MS is
 * stopped with its thread, and the run's record is made from the events received so far. The
 * thread is terminated once the run has ended in any way.
 */
async function executeInWorker(spec: ExecuteSpec, hooks: ExecuteHooks, signal?: AbortSignal): Promise<Executed> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(new URL('./run-worker-entry.mjs', import.meta.url), { workerData: { spec, flag } });
  // What the events said, for a run whose thread had to be stopped.
  const nodes: Record<string, NodeRecord> = Object.create(null);
  let plan: string[] = [];
  const executed: string[] = [];
  const note = (e: RunEvent) => {
    if (e.type === 'execution_start') plan = e.nodes;
    else if (e.type === 'executing') executed.push(e.node);
    else if (e.type === 'executed') nodes[e.node] = { status: 'done', durationMs: e.durationMs, summary: e.summary };
    else if (e.type === 'execution_cached') for (const n of e.nodes) nodes[n] = { status: 'cached' };
    else if (e.type === 'execution_error') nodes[e.node] = { status: 'error', error: e.message };
    else if (e.type === 'blocked') nodes[e.node] = { status: 'blocked', blockedBy: e.by };
    else if (e.type === 'cancelled') nodes[e.node] = { status: 'cancelled' };
    else if (e.type === 'bypassed') nodes[e.node] = { status: 'bypassed' };
  };
  return new Promise<Executed>((done, fail) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    let stopping = false;
    const interrupted = () =>
      settle(() => {
        for (const id of plan) if (!nodes[id]) nodes[id] = { status: 'cancelled' };
        hooks.onEvent({ type: 'execution_interrupted' });
        done({ status: 'interrupted', nodes, executed });
      });
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      // However the run ended (done, invalid, crashed, stopped), its thread goes with it: nothing
      // it left running (a timer, an open handle) can keep the command alive.
      void worker.terminate();
      f();
    };
    const onAbort = () => {
      Atomics.store(new Int32Array(flag), 0, 1);
      grace = setTimeout(() => {
        stopping = true;
        void worker.terminate();
      }, CANCEL_GRACE_MS);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromRunWorker) => {
      if (settled) return;
      if (m.type === 'event') {
        note(m.event);
        hooks.onEvent(m.event);
      } else if (m.type === 'wrote') hooks.onWrite(m.file);
      else if (m.type === 'view') hooks.onView(m.view);
      else if (m.type === 'notice') hooks.onNotice?.(m.text);
      else if (m.type === 'done') settle(() => done(m.executed));
      else if (m.type === 'invalid') settle(() => fail(new GraphError(m.problems)));
      else if (m.type === 'queue-lost') settle(() => fail(new QueueLost(m.message)));
      else settle(() => fail(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => fail(e)));
    worker.on('exit', (code) => (stopping ? interrupted() : settle(() => fail(new Error(`the run's worker thread exited (code ${code}) before the run finished`)))));
  });
}

/** The largest graph file read (a graph with embedded files is base64 inside the JSON). */
export const MAX_GRAPH_BYTES = 512 * 2 ** 20;

export async function loadFile(path: string, registry: Registry, io: Io, json = false): Promise<GraphDoc | null> {
  let text: string;
  try {
    // The graph file itself: a regular file under the limit (never a FIFO or a device).
    const bytes = await readRegularFile(resolve(path), path, MAX_GRAPH_BYTES);
    text = new TextDecoder().decode(bytes);
  } catch (e) {
    const why = (e as Error).message.replace(/^file '[^']*' /, '');
    io.stderr(`corespace: cannot read graph file '${path}': ${why === 'does not exist' ? 'no such file' : why}\n`);
    if (json) io.stdout(`${printableJson(JSON.stringify({ type: 'invalid_graph', file: path, problems: [{ code: 'not-a-graph', path: '$', message: `cannot read the file: ${why}` }] }))}\n`);
    return null;
  }
  const r = parseGraphText(text, registry);
  if (!r.ok) {
    io.stderr(`corespace: cannot load ${path}:\n${r.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
    if (json) io.stdout(`${printableJson(JSON.stringify({ type: 'invalid_graph', file: path, problems: r.problems }))}\n`);
    return null;
  }
  return r.doc;
}

/** `NODE.PARAM=VALUE`: the value is JSON if it parses (numbers, arrays, true), else a string. */
export function applySet(doc: GraphDoc, spec: string): GraphDoc {
  const eq = spec.indexOf('=');
  const dot = spec.lastIndexOf('.', eq);
  if (eq < 0 || dot <= 0 || dot === eq - 1) throw new Error(`--set '${spec}': write it as NODE.PARAM=VALUE, e.g. --set tucker.ranks=[8,8,8]`);
  const raw = spec.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  if (tooDeep(value)) throw new Error(`--set '${spec.slice(0, 60)}${spec.length > 60 ? '…' : ''}': the value nests deeper than ${MAX_NESTING} levels; no param needs that`);
  return setParam(doc, spec.slice(0, dot), spec.slice(dot + 1, eq), value);
}

let dawnGpu: Promise<GPU> | null = null;

/** Dawn's GPU (the `webgpu` package), loaded on first use and kept for the process: Dawn's
 * instance must outlive every device made from it. */
function dawn(): Promise<GPU> {
  return (dawnGpu ??= import('webgpu').then(({ create, globals }) => {
    Object.assign(globalThis, globals);
    return create([]);
  }));
}

/** How long the adapter probe may take (Dawn starts in ~0.1 s). */
const PROBE_MS = 20_000;

/** The adapter Dawn offers, asked in a child process (cli/adapter-probe.mjs) so that Dawn's own
 * warnings on stderr stay off the user's terminal; a probe that fails says why. */
function probeAdapter(): Promise<{ facts: AdapterFacts | null } | { failed: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [fileURLToPath(new URL('./adapter-probe.mjs', import.meta.url))], { timeout: PROBE_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      // Dawn's warnings are expected on stderr; only a failed probe shows what it printed.
      const last = stderr.trim().split('\n').filter((l) => !/^Warning:/.test(l)).at(-1);
      if (error) return resolve({ failed: error.killed ? `the WebGPU adapter probe took over ${PROBE_MS / 1000} s` : `the WebGPU adapter probe failed${last ? `: ${last}` : ` (${error.message})`}` });
      try {
        resolve({ facts: JSON.parse(stdout) as AdapterFacts | null });
      } catch {
        resolve({ failed: `the WebGPU adapter probe printed no adapter${last ? `: ${last}` : ''}` });
      }
    });
  });
}

/** cpu: the CPU backend. webgpu: the WebGPU device through Dawn, or exit 2 saying what is missing.
 * auto: WebGPU on a hardware adapter, else the CPU with a one-line notice (a software adapter such
 * as lavapipe runs WebGPU on the CPU, slower than the CPU backend). auto asks a child process which
 * adapter there is, so Dawn is loaded here only for a hardware adapter (and its chatter on a
 * software one never reaches the terminal). */
export async function pickBackend(name: RunArgs['backend'], io: Io): Promise<Backend | null> {
  try {
    const { backend, fallback } = await chooseBackend(name, { gpu: async () => dawn(), label: 'corespace run', probe: probeAdapter });
    if (fallback) {
      const why = fallback.reason === 'software' ? `${fallback.message} and slower than it (--backend webgpu uses it anyway)` : fallback.message.replace(/; or use --backend cpu$/, '');
      io.stderr(`corespace: using the CPU backend: ${why}\n`);
    }
    return backend;
  } catch (e) {
    io.stderr(`corespace: --backend webgpu: ${(e as Error).message}\n`);
    return null;
  }
}

export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'graph';
}
