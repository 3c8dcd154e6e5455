// Semantic validation of a loaded graph against the node registry. Every problem is reported
// together, each with its JSON path and node id, before anything runs.
import { accepts, describeAccepts, findNode, type AnyNodeDefinition, type InputSpec, type Registry } from '../node-api';
import { resolveParams } from './params';
import { didYouMean, nearNames } from '../names';
import { unsafeIdReason } from './ids';
import { jsonPath, type Problem } from './problems';
import type { GraphDoc } from './schema';
import { adjacency, findCycles, topologicalOrder } from './topo';
import type { Shape } from '../tensor';
import { DEFAULT_MAX_SECONDS } from '../cost';
import { nodeCost, overCeiling } from './cost-check';

/** Per bypassed node: output port → the input it passes on, or null when none is of its type. */
export type BypassPlan = Map<string, Map<string, string | null>>;

export interface ValidatedGraph {
  doc: GraphDoc;
  /** Resolved params (defaults filled in) of every node whose params are valid. */
  params: Map<string, Record<string, unknown>>;
  /** Dependencies that are not edges: node → the nodes it references by id. */
  references: { from: string; to: string }[];
  /** Bypassed nodes: output port → the input it passes on (null: none of that type). */
  bypass: BypassPlan;
  problems: Problem[];
}

export interface ValidateOptions {
  /** The ceiling on a node's estimated run time (engine/cost.ts); DEFAULT_MAX_SECONDS unless raised. */
  maxSeconds?: number;
}

export function validateGraph(doc: GraphDoc, registry: Registry, opts: ValidateOptions = {}): ValidatedGraph {
  const problems: Problem[] = [];
  const params = new Map<string, Record<string, unknown>>();
  const types = registry.nodes.map((n) => n.type);
  const defs = new Map<string, AnyNodeDefinition>();

  doc.nodes.forEach((node, i) => {
    const why = unsafeIdReason(node.id);
    if (why) problems.push({ code: 'unsafe-id', path: jsonPath(['nodes', i, 'id']), nodeId: node.id, message: `node id '${node.id}' cannot be used: ${why}. A node id names its output files (views/<id>.png), so it must be a plain file name — rename the node (and its edges)` });
  });
  duplicates(doc.nodes.map((n) => n.id), 'nodes', 'node', problems);
  duplicates(doc.edges.map((e) => e.id), 'edges', 'edge', problems);

  doc.nodes.forEach((node, i) => {
    const def = findNode(registry, node.type);
    if (!def) {
      const near = nearNames(node.type, types);
      problems.push({
        code: 'unknown-type',
        path: jsonPath(['nodes', i, 'type']),
        nodeId: node.id,
        message: `unknown node type '${node.type}'${near.length ? ` — near names: ${near.join(', ')}` : ''} (run \`corespace nodes\` for the list). The node is kept in the file but cannot run.`,
      });
      return;
    }
    defs.set(node.id, def);
    if (node.bypass) {
      // A bypassed node does not run: its params are kept as they are, valid or not.
      const r = resolveParams(def, node.params, node.id, ['nodes', i, 'params']);
      if (r.ok) params.set(node.id, r.params);
      return;
    }
    if (node.typeVersion > def.typeVersion) {
      problems.push({
        code: 'newer-node-version',
        path: jsonPath(['nodes', i, 'typeVersion']),
        nodeId: node.id,
        message: `${def.type} version ${node.typeVersion} was saved by a newer Corespace (this one has version ${def.typeVersion}); update Corespace to run it`,
      });
      return;
    }
    const r = resolveParams(def, node.params, node.id, ['nodes', i, 'params']);
    if (r.ok) params.set(node.id, r.params);
    else problems.push(...r.problems);
  });

  checkEdges(doc, defs, problems);
  const bypass = bypassPlan(doc, defs);
  checkBypassed(doc, defs, bypass, problems);
  const references = checkReferences(doc, defs, params, problems);
  if (!problems.some((p) => p.code === 'duplicate-id')) {
    const cycles = findCycles(adjacency(doc, references));
    if (!cycles.length) {
      const inputShapes = checkShapes(doc, defs, params, bypass, problems);
      if (inputShapes) checkCosts(doc, defs, params, inputShapes, opts.maxSeconds ?? DEFAULT_MAX_SECONDS, problems);
    }
    for (const cycle of cycles) {
      problems.push({
        code: 'cycle',
        path: jsonPath(['edges']),
        nodeId: cycle[0]!,
        // A long cycle is named by its first few nodes and its length, not by every id.
        message: `the graph has a cycle through ${cycle.length > 12 ? `${cycle.length} nodes: ${cycle.slice(0, 8).map((id) => `'${id}'`).join(' → ')} → … → '${cycle.at(-1)}'` : `nodes ${cycle.map((id) => `'${id}'`).join(' → ')}`}; a pipeline must flow one way — remove one of these edges`,
      });
    }
  }
  return { doc, params, references, bypass, problems };
}

/** Each node's checkGraph, and the reference links of the valid ones. */
function checkReferences(doc: GraphDoc, defs: Map<string, AnyNodeDefinition>, params: Map<string, Record<string, unknown>>, problems: Problem[]): { from: string; to: string }[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const view = {
    node: (id: string) => {
      const n = byId.get(id);
      return n && { type: n.type, def: defs.get(id), params: params.get(id) ?? n.params };
    },
  };
  const links: { from: string; to: string }[] = [];
  doc.nodes.forEach((node, i) => {
    const def = defs.get(node.id);
    const p = params.get(node.id);
    if (!def || !p) return;
    const found = def.checkGraph?.(p as never, view) ?? [];
    for (const f of found) problems.push({ code: 'invalid-param', path: jsonPath(['nodes', i, 'params', f.param]), nodeId: node.id, message: `${def.type} param '${f.param}': ${f.message}` });
    if (!found.length) for (const ref of def.references?.(p as never) ?? []) links.push({ from: ref, to: node.id });
  });
  return links;
}

/**
 * Tensor shapes known from the params (sources of a given shape), carried through the nodes that
 * say how (NodeDefinition.shapes), and the params they refuse. A node whose input shape is not
 * known (a file, a node without the hook) checks nothing: the run still checks everything.
 */
function checkShapes(doc: GraphDoc, defs: Map<string, AnyNodeDefinition>, params: Map<string, Record<string, unknown>>, bypass: BypassPlan, problems: Problem[]): Map<string, Record<string, Shape | undefined>> | null {
  const order = topologicalOrder(adjacency(doc));
  if (!order) return null;
  const inputsOf = new Map<string, Record<string, Shape | undefined>>();
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const feeding = new Map(doc.edges.map((e) => [`${e.to.node}\0${e.to.port}`, `${e.from.node}\0${e.from.port}`]));
  const known = new Map<string, Shape>();
  for (const id of order) {
    const def = defs.get(id);
    const p = params.get(id);
    const inputs: Record<string, Shape | undefined> = Object.create(null);
    for (const port of def?.inputs ?? []) {
      const from = feeding.get(`${id}\0${port.name}`);
      inputs[port.name] = from === undefined ? undefined : known.get(from);
    }
    inputsOf.set(id, inputs);
    const passes = bypass.get(id);
    if (passes) {
      for (const [out, input] of passes) if (input && inputs[input]) known.set(`${id}\0${out}`, inputs[input]!);
      continue;
    }
    if (!def?.shapes || !p) continue;
    let check;
    try {
      check = def.shapes(inputs, p as never);
    } catch {
      continue; // a hook that cannot tell leaves it to the run
    }
    for (const [port, shape] of Object.entries(check.outputs ?? {})) if (shape) known.set(`${id}\0${port}`, shape);
    for (const f of check.problems ?? []) {
      if ('input' in f) problems.push({ code: 'input-shape', path: jsonPath(['nodes', index.get(id)!]), nodeId: id, message: `${def.type} input '${f.input}': ${f.message}` });
      else problems.push({ code: 'invalid-param', path: jsonPath(['nodes', index.get(id)!, 'params', f.param]), nodeId: id, message: `${def.type} param '${f.param}': ${f.message}` });
    }
  }
  return inputsOf;
}

/** Nodes whose estimated run time (from the shapes known here) is above the ceiling. Nodes with a
 * param or shape problem are left out: their estimate would rest on values that are refused. */
function checkCosts(doc: GraphDoc, defs: Map<string, AnyNodeDefinition>, params: Map<string, Record<string, unknown>>, inputShapes: Map<string, Record<string, Shape | undefined>>, maxSeconds: number, problems: Problem[]): void {
  const flagged = new Set(problems.map((p) => p.nodeId));
  const from = { def: (id: string) => defs.get(id), params: (id: string) => params.get(id), inputs: (id: string) => inputShapes.get(id) ?? {} };
  doc.nodes.forEach((node, i) => {
    const def = defs.get(node.id);
    if (!def?.cost || node.bypass || flagged.has(node.id)) return;
    const est = nodeCost(node.id, from);
    const message = overCeiling(est, maxSeconds);
    if (message) problems.push({ code: 'too-costly', path: jsonPath(['nodes', i, 'params', est!.fix.param]), nodeId: node.id, message: `${def.type}: ${message}` });
  });
}

/**
 * What each bypassed node passes on: output port → the first of its inputs (in the node's order)
 * fed by an output of the same type, or null when none is (that output has no value).
 */
function bypassPlan(doc: GraphDoc, defs: ReadonlyMap<string, AnyNodeDefinition>): BypassPlan {
  const plan: BypassPlan = new Map();
  const typeOf = (node: string, port: string) => defs.get(node)?.outputs.find((o) => o.name === port)?.type;
  // The edges into each node, indexed once (a chain of 50 000 bypassed nodes was quadratic).
  const into = new Map<string, GraphDoc['edges']>();
  for (const e of doc.edges) (into.get(e.to.node) ?? into.set(e.to.node, []).get(e.to.node)!).push(e);
  for (const node of doc.nodes) {
    const def = defs.get(node.id);
    if (!node.bypass || !def) continue;
    const fedBy = new Map((into.get(node.id) ?? []).map((e) => [e.to.port, typeOf(e.from.node, e.from.port)]));
    plan.set(node.id, new Map(def.outputs.map((o) => [o.name, def.inputs.find((i) => fedBy.get(i.name) === o.type)?.name ?? null])));
  }
  return plan;
}

/** Edges that take an output a bypassed node has no value for. */
function checkBypassed(doc: GraphDoc, defs: Map<string, AnyNodeDefinition>, plan: BypassPlan, problems: Problem[]): void {
  doc.edges.forEach((edge, i) => {
    const passes = plan.get(edge.from.node);
    if (!passes || !passes.has(edge.from.port) || passes.get(edge.from.port)) return;
    const type = defs.get(edge.from.node)!.outputs.find((o) => o.name === edge.from.port)!.type;
    problems.push({
      code: 'bypassed-output',
      path: jsonPath(['edges', i]),
      nodeId: edge.from.node,
      message: `node '${edge.from.node}' is bypassed, and its output '${edge.from.port}' (${type}) has no connected input of that type to pass on, so '${edge.to.node}.${edge.to.port}' would get nothing; stop bypassing '${edge.from.node}' or remove edge '${edge.id}'`,
    });
  });
}

function duplicates(ids: string[], list: 'nodes' | 'edges', what: string, problems: Problem[]): void {
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    const j = first.get(id);
    if (j === undefined) first.set(id, i);
    else
      problems.push({
        code: 'duplicate-id',
        path: jsonPath([list, i, 'id']),
        ...(list === 'nodes' ? { nodeId: id } : {}),
        message: `duplicate ${what} id '${id}' (also at ${jsonPath([list, j])}); ids must be unique — rename one`,
      });
  });
}

/** Dangling edges that get a "did you mean": the search compares the name with every node id, so
 * past a few it would make validation quadratic (5 000 such edges took 16 s). */
const SUGGEST_FOR = 20;

function checkEdges(doc: GraphDoc, defs: Map<string, AnyNodeDefinition>, problems: Problem[]): void {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const idList = [...nodeIds];
  let suggested = 0;
  const fed = new Map<string, string>(); // "node\0port" → edge id
  doc.edges.forEach((edge, i) => {
    const ends = [
      { end: 'from' as const, ref: edge.from, side: 'outputs' as const },
      { end: 'to' as const, ref: edge.to, side: 'inputs' as const },
    ];
    let fromType: string | undefined;
    let toSpec: InputSpec | undefined;
    for (const { end, ref, side } of ends) {
      if (!nodeIds.has(ref.node)) {
        problems.push({
          code: 'dangling-edge',
          path: jsonPath(['edges', i, end, 'node']),
          message: `edge '${edge.id}' ${end === 'from' ? 'starts at' : 'ends at'} node '${ref.node}', which is not in the graph${suggested++ < SUGGEST_FOR ? didYouMean(ref.node, idList) : ''}; remove the edge or add the node`,
        });
        continue;
      }
      const def = defs.get(ref.node);
      if (!def) continue; // unknown type: already reported
      const ports: readonly { name: string; type: unknown }[] = def[side];
      const port = ports.find((p) => p.name === ref.port);
      if (!port) {
        const list = side === 'inputs' ? def.inputs.map((p) => `${p.name}:${describeAccepts(p)}`) : def.outputs.map((p) => `${p.name}:${p.type}`);
        problems.push({
          code: 'unknown-port',
          path: jsonPath(['edges', i, end, 'port']),
          nodeId: ref.node,
          message: `${def.type} has no ${side === 'inputs' ? 'input' : 'output'} port '${ref.port}'${didYouMean(ref.port, ports.map((p) => p.name))} (${side}: ${list.join(', ') || 'none'})`,
        });
        continue;
      }
      if (side === 'outputs') fromType = port.type as string;
      else toSpec = port as InputSpec;
    }
    if (fromType && toSpec && !accepts(toSpec).includes(fromType as never)) {
      problems.push({
        code: 'port-type-mismatch',
        path: jsonPath(['edges', i]),
        nodeId: edge.to.node,
        message: `edge '${edge.id}' connects ${edge.from.node}.${edge.from.port} (${fromType}) to ${edge.to.node}.${edge.to.port} (${describeAccepts(toSpec)}); an edge must join ports of the same type`,
      });
    }
    const key = `${edge.to.node}\0${edge.to.port}`;
    const prev = fed.get(key);
    if (prev !== undefined) {
      problems.push({
        code: 'duplicate-input',
        path: jsonPath(['edges', i]),
        nodeId: edge.to.node,
        message: `input ${edge.to.node}.${edge.to.port} is fed by two edges ('${prev}' and '${edge.id}'); an input takes one edge — remove one`,
      });
    } else fed.set(key, edge.id);
  });

  doc.nodes.forEach((node, i) => {
    const def = defs.get(node.id);
    if (!def) return;
    for (const port of def.inputs) {
      if (!node.bypass && !port.optional && !fed.has(`${node.id}\0${port.name}`)) {
        problems.push({
          code: 'missing-input',
          path: jsonPath(['nodes', i]),
          nodeId: node.id,
          message: `${def.type} needs its input '${port.name}' (${describeAccepts(port)}: ${port.doc}) connected; add an edge from a ${describeAccepts(port)} output to ${node.id}.${port.name}`,
        });
      }
    }
  });
}
