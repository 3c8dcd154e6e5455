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
    keys.set(id, await sha256Hex(stableStringify([def.type, def.typeVersion, params, seed, backend.name, fileKeys, inputKeys, refKeys, sink])));
  }
  const cachedIds = plan.filter((id) => !checked.bypass.has(id) && cache.get(keys.get(id)!) !== undefined);
  if (cachedIds.length) emit({ type: 'execution_cached', nodes: cachedIds });

  for (const id of plan) {
    const node = nodeById.get(id)!;
    const def = findNode(registry, node.type)!;
    const blocker = upstream.get(id)!.find((up) => !['done', 'cached', 'bypassed'].includes(result.nodes[up]?.status as string));
    if (signal.aborted) {
      result.nodes[id] = { status: 'cancelled' };
      emit({ type: 'cancelled', node: id });
      continue;
    }
    if (blocker) {
      const by = result.nodes[blocker]!.blockedBy ?? blocker;
      result.nodes[id] = { status: 'blocked', blockedBy: by };
      emit({ type: 'blocked', node: id, by });
      continue;
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
      continue;
    }
    const key = keys.get(id)!;
    let hit = cache.get(key);
    // A cached result left on a device that has since been lost is computed again.
    if (hit && !valuesReadable(...Object.values(hit))) {
      cache.delete(key);
      hit = undefined;
    }
    if (hit) {
      result.outputs.set(id, hit);
      result.nodes[id] = { status: 'cached', summary: await summarize(def, hit) };
      continue;
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
      continue;
    }
    const nodeSeed = typeof params.seed === 'number' ? params.seed : fnv1a32(id);
    let t0 = performance.now();
    const ctx: RunContext = {
      nodeId: id,
      backend,
      signal,
      random: new RandomSource(nodeSeed, seed),
      files: opts.files,
      output: opts.output,
      ...(opts.views ? { views: opts.views } : {}),
      ...(opts.models ? { models: opts.models } : {}),
      async rerun(refId, overrides, replace) {
        if (!(refsInto.get(id) ?? []).includes(refId)) throw new Error(`node '${refId}' is not one this node references`);
        const refNode = nodeById.get(refId)!;
        const refDef = findNode(registry, refNode.type)!;
        const merged = resolveParams(refDef, { ...refNode.params, ...overrides }, refId, []);
        if (!merged.ok) throw new Error(merged.problems.map((p) => p.message).join('; '));
        const refInputs = inputsOf(refId);
        if (replace) {
          const fed = (edgesInto.get(refId) ?? []).filter((e) => e.from.node === replace.node);
          if (!fed.length) throw new Error(`node '${refId}' reads nothing from node '${replace.node}'; wire its input to that node's output`);
          for (const e of fed) refInputs[e.to.port] = replace.outputs[e.from.port];
        }
        if (!refDef.deviceInputs) await materializeValues(...Object.values(refInputs));
        const outputs = (await refDef.run(refInputs as never, merged.params as never, { ...ctx, nodeId: refId, random: new RandomSource(typeof merged.params.seed === 'number' ? merged.params.seed : fnv1a32(refId), seed) })) as NodeOutputs;
        return { inputs: refInputs, outputs };
      },
      progress(value, max, message) {
        if (signal.aborted) throw new CancelledError();
        const eta = remainingSeconds((performance.now() - t0) / 1000, value, max, estimate?.seconds);
        emit({ type: 'progress', node: id, value, max, ...(message !== undefined ? { message } : {}), ...(eta !== undefined ? { etaSeconds: Math.round(eta) } : {}) });
        // A listener may cancel in response to this very event (the editor's Cancel button does).
        if (signal.aborted) throw new CancelledError();
      },
    };
    emit({ type: 'executing', node: id, ...(estimate ? { estimateSeconds: estimate.seconds } : {}) });
    result.executed.push(id);
    t0 = performance.now();
    try {
      // Values a GPU node left on the device are read back here for nodes that read values.
      if (!def.deviceInputs) await materializeValues(...Object.values(inputs));
      const outputs = (await def.run(inputs as never, params as never, ctx)) as NodeOutputs;
      checkOutputs(def, outputs);
      const durationMs = elapsed(t0);
      const summary = await summarize(def, outputs);
      cache.set(key, outputs);
      result.outputs.set(id, outputs);
      result.nodes[id] = { status: 'done', durationMs, summary };
      emit({ type: 'executed', node: id, durationMs, summary });
    } catch (e) {
      const durationMs = elapsed(t0);
      if (e instanceof CancelledError || (signal.aborted && (e as Error)?.name === 'AbortError')) {
        result.nodes[id] = { status: 'cancelled', durationMs };
        emit({ type: 'cancelled', node: id });
        continue;
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

/** A node's error in words; V8's bare allocation errors get what the user can do about them. */
function describeFailure(e: unknown): string {
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
