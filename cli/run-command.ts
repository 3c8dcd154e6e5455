// `corespace run`: load, apply --set, validate, run, report, write run.json and exports.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  GraphError, SoftwareAdapterError, WebGpuBackend, cpuBackend, formatProblem, parseGraphText, runGraph, setParam, withEmbeddedFiles,
  type Backend, type GraphDoc, type Registry, type RunEvent, type ViewSink,
} from '../engine';
import { SKIP_3D, renderPng } from '../viewer/headless';
import { fsResolver, folderSink } from './node-io';
import { barReporter, finite, jsonReporter, lineReporter, type Reporter } from './progress';

export interface RunArgs {
  graph: string;
  out?: string;
  backend: 'auto' | 'cpu' | 'webgpu';
  sets: string[];
  targets?: string[];
  seed?: number;
  json: boolean;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

/** Exit codes: 0 every node done, 1 some node failed, 2 invalid graph or usage, 130 interrupted. */
export async function runCommand(args: RunArgs, registry: Registry, io: Io, signal?: AbortSignal): Promise<number> {
  const loaded = await loadFile(args.graph, registry, io);
  if (!loaded) return 2;
  let doc = loaded;
  try {
    for (const s of args.sets) doc = applySet(doc, s);
  } catch (e) {
    io.stderr(`corespace: ${(e as Error).message}\n`);
    return 2;
  }
  const backend = await pickBackend(args.backend, io);
  if (!backend) return 2;
  try {
    return await runWith(args, registry, io, doc, backend, signal);
  } finally {
    if (backend instanceof WebGpuBackend) backend.destroy();
  }
}

async function runWith(args: RunArgs, registry: Registry, io: Io, doc: GraphDoc, backend: Backend, signal?: AbortSignal): Promise<number> {

  const outDir = resolve(args.out ?? join('corespace-out', safeName(doc.name)));
  const sink = folderSink(outDir);
  const types = new Map(doc.nodes.map((n) => [n.id, n.type]));
  const reporter: Reporter = args.json ? jsonReporter(io.stdout) : io.isTTY ? barReporter(types, io.stderr) : lineReporter(io.stderr, types);
  const started = new Date().toISOString();
  // Viewer nodes: heatmaps and plots become PNGs under views/, 3-D views are listed as skipped.
  const views: { node: string; kind: string; file?: string; skipped?: string }[] = [];
  const viewSink: ViewSink = {
    async show(node, view) {
      const png = await renderPng(view);
      const entry = png ? { file: await sink.write(`views/${node}.png`, png) } : { skipped: SKIP_3D };
      views.push({ node, kind: view.kind, ...entry });
      return entry;
    },
  };
  let result;
  try {
    result = await runGraph(doc, {
      registry,
      backend,
      files: withEmbeddedFiles(doc, fsResolver(dirname(resolve(args.graph)))),
      output: sink,
      views: viewSink,
      ...(args.targets ? { targets: args.targets } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(signal ? { signal } : {}),
      onEvent: (e: RunEvent) => reporter.onEvent(e),
    });
  } catch (e) {
    reporter.stop();
    if (e instanceof GraphError) {
      io.stderr(`corespace: ${args.graph} is not a valid graph (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}):\n${e.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
      return 2;
    }
    throw e;
  }
  reporter.stop();

  const nodes = Object.fromEntries(
    Object.entries(result.nodes).map(([id, { summary, ...record }]) => {
      // Metrics of every metrics-typed output, by name, lifted to the top of the node's entry.
      const metrics = Object.assign({}, ...Object.values(summary ?? {}).map((s) => s.metrics ?? {}));
      return [id, { type: types.get(id), ...record, ...(Object.keys(metrics).length ? { metrics } : {}), ...(summary ? { outputs: summary } : {}) }];
    }),
  );
  const runJson = {
    graph: doc.name,
    file: resolve(args.graph),
    // On the GPU: what crossed the bus (results that stayed on the device were never read back).
    backend: { name: backend.name, adapter: backend.adapter, ...(backend instanceof WebGpuBackend ? { transfers: backend.stats } : {}) },
    started,
    finished: new Date().toISOString(),
    seed: args.seed ?? 0,
    status: result.status,
    nodes,
    exports: sink.written,
    views,
  };
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'run.json'), `${JSON.stringify(runJson, finite, 2)}\n`);
  if (!args.json) {
    const failed = Object.values(result.nodes).filter((n) => n.status === 'error').length;
    for (const f of sink.written) io.stderr(`wrote    ${f}\n`);
    for (const v of views) if (v.skipped) io.stderr(`skipped  view ${v.node} (${v.kind}): ${v.skipped}\n`);
    io.stderr(`${result.status === 'success' ? 'ok' : result.status}: ${Object.keys(result.nodes).length} nodes, ${result.executed.length} ran, ${failed} failed — ${join(outDir, 'run.json')}\n`);
  }
  return result.status === 'success' ? 0 : result.status === 'interrupted' ? 130 : 1;
}

export async function loadFile(path: string, registry: Registry, io: Io): Promise<GraphDoc | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    io.stderr(`corespace: cannot read graph file '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return null;
  }
  const r = parseGraphText(text, registry);
  if (!r.ok) {
    io.stderr(`corespace: cannot load ${path}:\n${r.problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
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

/** cpu: the CPU backend. webgpu: the WebGPU device through Dawn, or exit 2 saying what is missing.
 * auto: WebGPU on a hardware adapter, else the CPU with a one-line notice (a software adapter such
 * as lavapipe runs WebGPU on the CPU, slower than the CPU backend). */
async function pickBackend(name: RunArgs['backend'], io: Io): Promise<Backend | null> {
  if (name === 'cpu') return cpuBackend;
  try {
    // auto asks for hardware only: a software adapter is turned down before a device is made.
    return await WebGpuBackend.create(await dawn(), 'corespace run', { hardwareOnly: name === 'auto' });
  } catch (e) {
    if (name === 'webgpu') {
      io.stderr(`corespace: --backend webgpu: ${(e as Error).message}\n`);
      return null;
    }
    const why = e instanceof SoftwareAdapterError ? `${e.message} and slower than it (--backend webgpu uses it anyway)` : (e as Error).message.replace(/; or use --backend cpu$/, '');
    io.stderr(`corespace: using the CPU backend: ${why}\n`);
    return cpuBackend;
  }
}

export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'graph';
}
