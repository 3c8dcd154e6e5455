// The scheduler: validates the graph, derives the plan (targets and their ancestors, in
// topological order), and executes it node by node. A failing node blocks only its descendants;
// independent branches keep running. Outputs are cached by content key across runs.
import type { Backend } from '../backend';
import { GraphError, type Problem } from '../graph/problems';
import type { GraphDoc } from '../graph/schema';
import { adjacency, ancestorsOf, topologicalOrder } from '../graph/topo';
import { resolveParams } from '../graph/params';
import { validateGraph, type ValidateOptions, type ValidatedGraph } from '../graph/validate';
import { nodeCost, overCeiling } from '../graph/cost-check';
import { DEFAULT_MAX_SECONDS, remainingSeconds } from '../cost';
import type { AnyNodeDefinition, FileResolver, ModelRuntime, OutputSink, Registry, RunContext, ViewSink } from '../node-api';
import { findNode } from '../node-api';
import { RandomSource } from '../random';
import { Tensor, type Shape } from '../tensor';
import { materializeValues, summarizeValue, valuesReadable, type ValueSummary } from '../values';
import { OutputCache, type NodeOutputs } from './cache';
import type { NodeRecord, RunEvent } from './events';
import { fnv1a32, sha256Hex, stableStringify } from './keys';
import { whyLocal, type NodeJob, type RemoteExecutor } from './remote';
import { findTask } from '../tasks';

export interface RunOptions {
  registry: Registry;
  backend: Backend;
  files: FileResolver;
  output: OutputSink;
  /** Where viewer nodes show their views (the editor's panel, headless PNGs). */
  views?: ViewSink;
  /** Where model nodes run ONNX models (the CLI's onnxruntime-web). */
  models?: ModelRuntime;
  /** Run only these nodes and their ancestors (default: every node). */
  targets?: readonly string[];
  /** Mixed into every node's random source; the same graph and seed give bit-identical outputs. */
  seed?: number;
  signal?: AbortSignal;
  cache?: OutputCache;
  onEvent?: (event: RunEvent) => void;
  /** The ceiling on a node's estimated run time in seconds (engine/cost.ts); DEFAULT_MAX_SECONDS
   * unless raised. Checked at validation and again with the real input shapes before each node. */
  maxSeconds?: number;
  /** Runs the nodes a worker may run (see whyLocal) as jobs elsewhere (the CLI's job queue), up to
   * its slots at once; outputs it has stored from an earlier run are taken as cached. */
  remote?: RemoteExecutor;
}

export interface RunResult {
  status: 'success' | 'failed' | 'interrupted';
  nodes: Record<string, NodeRecord>;
  /** Output values of every node that finished (ran or came from the cache) in this run. */
  outputs: Map<string, NodeOutputs>;
  /** Ids of the nodes whose run function was called, in order. */
  executed: string[];
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Validates what a run needs: the whole graph, or with `targets` only the targets and their
 * ancestors, so that a half-built branch elsewhere (or a placeholder of an unknown type) does not
 * stop "run to here". Paths in the problems point into the whole document.
 */
export function checkForRun(whole: GraphDoc, registry: Registry, targets?: readonly string[], opts: ValidateOptions = {}): { doc: GraphDoc; checked: ValidatedGraph; problems: Problem[] } {
  const first = validateGraph(whole, registry, opts);
  if (!targets?.length) return { doc: whole, checked: first, problems: [...first.problems] };
  const all = adjacency(whole, first.references);
  const unknown: Problem[] = targets.filter((t) => !all.out.has(t)).map((t) => ({ code: 'unknown-target', path: '$.nodes', message: `target '${t}' is not a node of this graph` }));
  const keep = ancestorsOf(all, targets.filter((t) => all.out.has(t)));
  const nodeAt: number[] = [];
  const edgeAt: number[] = [];
  const nodes = whole.nodes.filter((n, i) => keep.has(n.id) && nodeAt.push(i) > 0);
  const edges = whole.edges.filter((e, i) => keep.has(e.to.node) && edgeAt.push(i) > 0);
  const doc = { ...whole, nodes, edges };
  const checked = validateGraph(doc, registry, opts);
  const remap = (path: string) => path.replace(/^\$\.(nodes|edges)\[(\d+)\]/, (_, list: string, i: string) => `$.${list}[${(list === 'nodes' ? nodeAt : edgeAt)[Number(i)]}]`);
  return { doc, checked, problems: [...checked.problems.map((p) => ({ ...p, path: remap(p.path) })), ...unknown] };
}

/** Validates and runs a graph; throws GraphError (every problem listed) if it is invalid. */
export async function runGraph(whole: GraphDoc, opts: RunOptions): Promise<RunResult> {
  const { registry, backend } = opts;
  const emit = opts.onEvent ?? (() => {});
  const signal = opts.signal ?? new AbortController().signal;
  const cache = opts.cache ?? new OutputCache();
  const seed = opts.seed ?? 0;

  const maxSeconds = opts.maxSeconds ?? DEFAULT_MAX_SECONDS;
  const { doc, checked, problems } = checkForRun(whole, registry, opts.targets, { maxSeconds });
  const adj = adjacency(doc, checked.references);
  // What each node waits for: the sources of its edges and the nodes it references.
  const upstream = new Map(doc.nodes.map((n) => [n.id, adj.in.get(n.id) ?? []]));
  const order = topologicalOrder(adj);
  if (problems.length || !order) throw new GraphError(problems);

  const wanted = opts.targets?.length ? ancestorsOf(adj, opts.targets) : null;
  const plan = wanted ? order.filter((id) => wanted.has(id)) : order;
  const nodeById = new Map(doc.nodes.map((n) => [n.id, n]));

  // Null prototype: node ids are keys here (validation refuses "__proto__" and its kin in any case).
  const result: RunResult = { status: 'success', nodes: Object.create(null) as Record<string, NodeRecord>, outputs: new Map(), executed: [] };
  // The edges into each node and the references to it, found once (not per node: a long chain
  // of 40 000 nodes would otherwise scan every edge for every node).
  const edgesInto = new Map<string, GraphDoc['edges']>();
  for (const e of doc.edges) (edgesInto.get(e.to.node) ?? edgesInto.set(e.to.node, []).get(e.to.node)!).push(e);
  const refsInto = new Map<string, string[]>();
  for (const r of checked.references) (refsInto.get(r.to) ?? refsInto.set(r.to, []).get(r.to)!).push(r.from);
  const keys = new Map<string, string>();
  // The content keys of the outputs of reruns sent as jobs, so a rerun measuring them (replace) is
  // keyed too.
  const rerunKeys = new WeakMap<object, string>();
  emit({ type: 'execution_start', nodes: plan, backend: backend.name });
  for (const id of plan) emit({ type: 'queued', node: id });

  // Cache keys first, so cached nodes are announced together (ComfyUI's execution_cached).
  for (const id of plan) {
    const node = nodeById.get(id)!;
    const def = findNode(registry, node.type)!;
    const inputKeys = (edgesInto.get(id) ?? []).map((e) => [e.to.port, keys.get(e.from.node), e.from.port]);
    inputKeys.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const passes = checked.bypass.get(id);
    if (passes) {
      keys.set(id, await sha256Hex(stableStringify(['bypass', [...passes], inputKeys])));
      continue;
    }
    const params = checked.params.get(id)!;
    const fileKeys = await Promise.all((def.files?.(params) ?? []).map(async (f) => [f, await fingerprint(opts.files, f)]));
    const refKeys = (refsInto.get(id) ?? []).map((from) => [from, keys.get(from)]);
    // The backend is part of the key: float32 GPU results differ from the CPU's in the last digits.
    // A sink (no outputs: a view, an export) makes files named by its id, so its id is too: a second
    // identical heatmap is not a cache hit of the first, and writes its own view.
    const sink = def.outputs.length === 0 ? id : null;
    keys.set(id, await contentKey(def, params, seedOf(id, params), seed, backend.name, fileKeys, inputKeys, refKeys, sink));
  }
  // With a job queue, what its store holds from earlier runs is cached too (and fetched when reached).
  const remote = opts.remote;
  const runsRemote = (def: AnyNodeDefinition) => remote !== undefined && whyLocal(def) === null;
  const remoteIds = remote ? plan.filter((id) => !checked.bypass.has(id) && runsRemote(findNode(registry, nodeById.get(id)!.type)!)) : [];
  const stored = remote && remoteIds.length ? await remote.stored(remoteIds.map((id) => keys.get(id)!)) : new Set<string>();
  const cachedIds = plan.filter((id) => !checked.bypass.has(id) && (cache.get(keys.get(id)!) !== undefined || stored.has(keys.get(id)!)));
  if (cachedIds.length) emit({ type: 'execution_cached', nodes: cachedIds });

  // Each node starts once everything it waits for has settled: one at a time in plan order here
  // (a node computing on this thread), and beside that up to the queue's slots of jobs at once.
  const position = new Map(plan.map((id, i) => [id, i]));
  const waitingOn = new Map(plan.map((id) => [id, new Set(upstream.get(id)!).size]));
  const downstream = new Map<string, string[]>();
  for (const id of plan) for (const up of new Set(upstream.get(id)!)) (downstream.get(up) ?? downstream.set(up, []).get(up)!).push(id);
  const byPlan = (a: string, b: string) => position.get(a)! - position.get(b)!;
  const readyHere = new MinHeap(byPlan);
  const readyRemote = new MinHeap(byPlan);
  const remoteNode = new Set(remoteIds);
  const ready = (id: string) => (remoteNode.has(id) ? readyRemote : readyHere).push(id);
  for (const id of plan) if (waitingOn.get(id) === 0) ready(id);
  const inFlight = new Set<Promise<void>>();
  let busyHere = false;
  let busyRemote = 0;
  const start = (id: string) => {
    const remoteOne = remoteNode.has(id);
    if (remoteOne) busyRemote++;
    else busyHere = true;
    const p: Promise<void> = step(id).then(() => {
      inFlight.delete(p);
      if (remoteOne) busyRemote--;
      else busyHere = false;
      for (const down of downstream.get(id) ?? []) {
        const left = waitingOn.get(down)! - 1;
        waitingOn.set(down, left);
        if (left === 0) ready(down);
      }
    });
    inFlight.add(p);
  };
  for (;;) {
    while (!busyHere && readyHere.size) start(readyHere.pop()!);
    while (busyRemote < (remote?.slots ?? 0) && readyRemote.size) start(readyRemote.pop()!);
    if (!inFlight.size) break;
    await Promise.race(inFlight);
  }

  async function step(id: string): Promise<void> {
    const node = nodeById.get(id)!;
    const def = findNode(registry, node.type)!;
    const blocker = upstream.get(id)!.find((up) => !['done', 'cached', 'bypassed'].includes(result.nodes[up]?.status as string));
    if (signal.aborted) {
      result.nodes[id] = { status: 'cancelled' };
      emit({ type: 'cancelled', node: id });
      return;
    }
    if (blocker) {
      const by = result.nodes[blocker]!.blockedBy ?? blocker;
      result.nodes[id] = { status: 'blocked', blockedBy: by };
      emit({ type: 'blocked', node: id, by });
      return;
    }
    const passes = checked.bypass.get(id);
    if (passes) {
      // Bypassed: each output is the value on the input it passes on (nothing is computed).
      const inputs = Object.create(null) as NodeOutputs;
      for (const e of edgesInto.get(id) ?? []) inputs[e.to.port] = result.outputs.get(e.from.node)![e.from.port];
      const outputs = Object.create(null) as NodeOutputs;
      for (const [out, input] of passes) if (input) outputs[out] = inputs[input];
      result.outputs.set(id, outputs);
      result.nodes[id] = { status: 'bypassed' };
      emit({ type: 'bypassed', node: id });
      return;
    }
    const key = keys.get(id)!;
    let hit = cache.get(key);
    // A cached result left on a device that has since been lost is computed again.
    if (hit && !valuesReadable(...Object.values(hit))) {
      cache.delete(key);
      hit = undefined;
    }
    // What the queue's store holds from an earlier run; one that has gone since runs again.
    if (!hit && stored.has(key)) {
      hit = await remote!.lookup(key).catch(() => undefined);
      if (hit) cache.set(key, hit);
    }
    if (hit) {
      result.outputs.set(id, hit);
      result.nodes[id] = { status: 'cached', summary: await summarize(def, hit) };
      return;
    }
    const inputsOf = (nodeId: string) => {
      const inputs: Record<string, unknown> = {};
      for (const e of edgesInto.get(nodeId) ?? []) inputs[e.to.port] = result.outputs.get(e.from.node)![e.from.port];
      return inputs;
    };
    const inputs = inputsOf(id);
    const params = checked.params.get(id)!;
    // The estimate again, now that every input shape is known (a file's, a decomposition's).
    const shapesOf = (nodeId: string) => {
      const shapes: Record<string, Shape | undefined> = {};
      for (const [port, v] of Object.entries(inputsOf(nodeId))) shapes[port] = v instanceof Tensor ? v.shape : undefined;
      return shapes;
    };
    const estimate = nodeCost(id, { def: (n) => (nodeById.has(n) ? findNode(registry, nodeById.get(n)!.type) : undefined), params: (n) => checked.params.get(n), inputs: shapesOf });
    const tooCostly = overCeiling(estimate, maxSeconds);
    if (tooCostly) {
      const message = `node '${id}' (${def.type}): ${tooCostly}`;
      result.nodes[id] = { status: 'error', error: message };
      emit({ type: 'execution_error', node: id, message });
      return;
    }
    const nodeSeed = seedOf(id, params);
    // Where its jobs ran (the node's own, or its reruns'), for run.json.
    const ranOn: string[] = [];
    let t0 = performance.now();
    const progress = (value: number, max: number, message?: string) => {
      if (signal.aborted) throw new CancelledError();
      const eta = remainingSeconds((performance.now() - t0) / 1000, value, max, estimate?.seconds);
      emit({ type: 'progress', node: id, value, max, ...(message !== undefined ? { message } : {}), ...(eta !== undefined ? { etaSeconds: Math.round(eta) } : {}) });
      // A listener may cancel in response to this very event (the editor's Cancel button does).
      if (signal.aborted) throw new CancelledError();
    };
    const ctx: RunContext = {
      nodeId: id,
      backend,
      signal,
      random: new RandomSource(nodeSeed, seed),
      files: opts.files,
      output: opts.output,
      ...(opts.views ? { views: opts.views } : {}),
      ...(opts.models ? { models: opts.models } : {}),
      taskSlots: remote?.slots ?? 1,
      async task(name, taskInputs) {
        const t = findTask(name);
        if (!t) throw new Error(`there is no task '${name}' (a bug in the node; please report it)`);
        if (!remote) return t.run(taskInputs, backend);
        const slot = ranOn.push('?') - 1;
        const r = await remote.task({ nodeId: id, task: t, inputs: taskInputs }, signal);
        ranOn[slot] = r.ranOn;
        return r.outputs;
      },
      parallel: (refId) => (remote && nodeById.has(refId) && runsRemote(findNode(registry, nodeById.get(refId)!.type)!) ? remote.slots : 1),
      async rerun(refId, overrides, replace) {
        if (!(refsInto.get(id) ?? []).includes(refId)) throw new Error(`node '${refId}' is not one this node references`);
        const refNode = nodeById.get(refId)!;
        const refDef = findNode(registry, refNode.type)!;
        const merged = resolveParams(refDef, { ...refNode.params, ...overrides }, refId, []);
        if (!merged.ok) throw new Error(merged.problems.map((p) => p.message).join('; '));
        const refInputs = inputsOf(refId);
        // Where each input came from: an upstream node's output, or (replaced) a rerun's.
        const from: Record<string, { key: string; port: string } | undefined> = {};
        for (const e of edgesInto.get(refId) ?? []) from[e.to.port] = { key: keys.get(e.from.node)!, port: e.from.port };
        if (replace) {
          const fed = (edgesInto.get(refId) ?? []).filter((e) => e.from.node === replace.node);
          if (!fed.length) throw new Error(`node '${refId}' reads nothing from node '${replace.node}'; wire its input to that node's output`);
          const replacedKey = rerunKeys.get(replace.outputs);
          for (const e of fed) {
            refInputs[e.to.port] = replace.outputs[e.from.port];
            from[e.to.port] = replacedKey ? { key: replacedKey, port: e.from.port } : undefined;
          }
        }
        const refSeed = seedOf(refId, merged.params);
        if (remote && runsRemote(refDef) && Object.values(from).every(Boolean)) {
          // Its place in ranOn is the order of the calls (a sweep has several out at once), taken
          // before anything is awaited.
          const slot = ranOn.push('?') - 1;
          const inputKeys = Object.entries(from).map(([port, f]) => [port, f!.key, f!.port]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
          const refKeys = (refsInto.get(refId) ?? []).map((r) => [r, keys.get(r)]);
          const refKey = await contentKey(refDef, merged.params, refSeed, seed, backend.name, [], inputKeys, refKeys, null);
          const kept = await remote.lookup(refKey).catch(() => undefined);
          const r = kept ? { outputs: kept, ranOn: 'store' } : await remote.run({ nodeId: refId, def: refDef, params: merged.params, inputs: refInputs, inputKeys: from, key: refKey, nodeSeed: refSeed, runSeed: seed }, () => {}, signal);
          ranOn[slot] = r.ranOn;
          rerunKeys.set(r.outputs, refKey);
          return { inputs: refInputs, outputs: r.outputs };
        }
        if (!refDef.deviceInputs) await materializeValues(...Object.values(refInputs));
        const outputs = (await refDef.run(refInputs as never, merged.params as never, { ...ctx, nodeId: refId, random: new RandomSource(refSeed, seed) })) as NodeOutputs;
        return { inputs: refInputs, outputs };
      },
      progress,
    };
    emit({ type: 'executing', node: id, ...(estimate ? { estimateSeconds: estimate.seconds } : {}) });
    result.executed.push(id);
    t0 = performance.now();
    try {
      let outputs: NodeOutputs;
      if (remoteNode.has(id)) {
        const inputKeys = Object.fromEntries((edgesInto.get(id) ?? []).map((e) => [e.to.port, { key: keys.get(e.from.node)!, port: e.from.port }]));
        const job: NodeJob = { nodeId: id, def, params, inputs, inputKeys, key, nodeSeed, runSeed: seed, ...(estimate ? { estimateSeconds: estimate.seconds } : {}) };
        const r = await remote!.run(job, progress, signal);
        ranOn.push(r.ranOn);
        outputs = r.outputs;
        checkOutputs(def, outputs);
      } else {
        outputs = await runNode(def, inputs, params, ctx);
      }
      const durationMs = elapsed(t0);
      const summary = await summarize(def, outputs);
      cache.set(key, outputs);
      result.outputs.set(id, outputs);
      const where = ranOn.length ? { ranOn } : {};
      result.nodes[id] = { status: 'done', durationMs, summary, ...where };
      emit({ type: 'executed', node: id, durationMs, summary, ...where });
    } catch (e) {
      const durationMs = elapsed(t0);
      if (e instanceof CancelledError || (signal.aborted && (e as Error)?.name === 'AbortError')) {
        result.nodes[id] = { status: 'cancelled', durationMs };
        emit({ type: 'cancelled', node: id });
        return;
      }
      const message = `node '${id}' (${def.type}): ${describeFailure(e)}`;
      result.nodes[id] = { status: 'error', durationMs, error: message };
      emit({ type: 'execution_error', node: id, message });
    }
  }

  const statuses = Object.values(result.nodes).map((n) => n.status);
  result.status = signal.aborted ? 'interrupted' : statuses.some((s) => s === 'error' || s === 'blocked') ? 'failed' : 'success';
  if (result.status === 'success') emit({ type: 'execution_success' });
  else if (result.status === 'interrupted') emit({ type: 'execution_interrupted' });
  else emit({ type: 'execution_failed', failed: Object.keys(result.nodes).filter((id) => result.nodes[id]!.status === 'error') });
  return result;
}

/** A node's random stream: its `seed` param, else its id. */
const seedOf = (id: string, params: Record<string, unknown>): number => (typeof params.seed === 'number' ? params.seed : fnv1a32(id));

/** The content key of a node's outputs: everything they depend on. The stream seed is part of it,
 * so two nodes alike but for their ids (and so their random streams) never share outputs. */
function contentKey(def: AnyNodeDefinition, params: Record<string, unknown>, nodeSeed: number, seed: number, backend: string, fileKeys: unknown[], inputKeys: unknown[], refKeys: unknown[], sink: string | null): Promise<string> {
  return sha256Hex(stableStringify([def.type, def.typeVersion, params, nodeSeed, seed, backend, fileKeys, inputKeys, refKeys, sink]));
}

/** A binary heap of ids, least first by `before`. */
class MinHeap {
  private readonly items: string[] = [];
  constructor(private readonly before: (a: string, b: string) => number) {}
  get size(): number {
    return this.items.length;
  }
  push(x: string): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (this.before(a[i]!, a[up]!) >= 0) break;
      [a[i], a[up]] = [a[up]!, a[i]!];
      i = up;
    }
  }
  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Milliseconds since t0, to the microsecond (finer digits are timer noise). */
const elapsed = (t0: number): number => Math.round((performance.now() - t0) * 1000) / 1000;

async function fingerprint(files: FileResolver, path: string): Promise<string> {
  // A missing file is not an error here: the node reports it, with its own message, when it runs.
  try {
    return await files.fingerprint(path);
  } catch {
    return 'missing';
  }
}

/** Runs a node as the scheduler does: inputs a GPU node left on the device read back (unless it takes
 * them there), its run function, and its outputs checked (every port given, every value finite). */
export async function runNode(def: AnyNodeDefinition, inputs: Record<string, unknown>, params: Record<string, unknown>, ctx: RunContext): Promise<NodeOutputs> {
  if (!def.deviceInputs) await materializeValues(...Object.values(inputs));
  const outputs = (await def.run(inputs as never, params as never, ctx)) as NodeOutputs;
  checkOutputs(def, outputs);
  return outputs;
}

/** A node's error in words; V8's bare allocation errors get what the user can do about them. */
export function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e instanceof RangeError && /^(Invalid (typed )?array length|Array buffer allocation failed|Invalid string length)/.test(e.message)) {
    return `${e.message}: a size made from the inputs or params is too large for memory (the node's own checks missed it: please report it); use smaller inputs, ranks or params`;
  }
  return e.message;
}

function checkOutputs(def: AnyNodeDefinition, outputs: NodeOutputs): void {
  for (const port of def.outputs) {
    if (outputs?.[port.name] === undefined) throw new Error(`produced no value for output '${port.name}' (a bug in the node type; please report it)`);
  }
  // A value that overflowed float32 (or an undefined operation) is refused at the node that made
  // it, so that it is named, instead of flowing on as Infinity or NaN into an "ok" run.
  for (const port of def.outputs) {
    const bad = nonFinite(outputs[port.name], port.name, 0);
    if (!bad) continue;
    const why = Number.isNaN(bad.value)
      ? 'NaN, the result of an undefined operation (0/0, ∞−∞, the square root or log of a negative number)'
      : `${bad.value}: a magnitude beyond float32's range (about ±3.4e38); scale the input or the param that makes it large down`;
    throw new Error(`its output '${bad.where}' holds ${why} — first at index [${bad.index.join(', ')}]`);
  }
}

/** The first non-finite entry of the host-resident tensors in `v` (a tensor, or a decomposition's
 * tensors a level or two down), or null. Values still on a GPU are not read back for this. */
function nonFinite(v: unknown, where: string, depth: number): { where: string; index: number[]; value: number } | null {
  if (v instanceof Tensor) {
    if (!v.materialized) return null;
    const d = v.data;
    for (let i = 0; i < d.length; i++) {
      if (Number.isFinite(d[i]!)) continue;
      const index: number[] = [];
      for (let a = v.ndim - 1, f = i; a >= 0; a--) {
        index[a] = f % v.shape[a]!;
        f = Math.floor(f / v.shape[a]!);
      }
      return { where, index, value: d[i]! };
    }
    return null;
  }
  if (depth >= 3 || typeof v !== 'object' || v === null) return null;
  const entries = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x] as const) : Object.entries(v).map(([k, x]) => [`.${k}`, x] as const);
  for (const [k, x] of entries) {
    const bad = nonFinite(x, `${where}${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

async function summarize(def: AnyNodeDefinition, outputs: NodeOutputs): Promise<Record<string, ValueSummary>> {
  return Object.fromEntries(await Promise.all(def.outputs.map(async (p) => [p.name, await summarizeValue(p.type, outputs[p.name])])));
}
