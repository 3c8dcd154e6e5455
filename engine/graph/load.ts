// Loading a graph file: JSON → file-format migrations → schema → node renames and per-type
// migrations. Lenient where it can be: nodes of unknown type are kept as they are (they cannot run,
// and validation says so), so a graph from a newer Corespace survives a load/save round trip.
import type { z } from 'zod';
import { findNode, type Registry } from '../node-api';
import { FILE_MIGRATIONS, MigrationError, migrateFile, type MigrationSteps, type RawDoc } from './migrate';
import { locateJsonError } from './json-error';
import { GraphError, jsonPath, type Problem } from './problems';
import { GRAPH_FORMAT, GRAPH_VERSION, GraphSchema, type GraphDoc } from './schema';

export type LoadResult = { ok: true; doc: GraphDoc } | { ok: false; problems: Problem[] };

export function parseGraphText(text: string, registry?: Registry, steps: MigrationSteps = FILE_MIGRATIONS): LoadResult {
  // A byte-order mark (editors on Windows write one) is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problems: [{ code: 'malformed-json', path: '$', message: describeJsonError(text) }] };
  }
  return loadGraph(raw, registry, steps);
}

export function loadGraph(raw: unknown, registry?: Registry, steps: MigrationSteps = FILE_MIGRATIONS): LoadResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('not-a-graph', '$', `a graph file is a JSON object with "format": "${GRAPH_FORMAT}", got ${describe(raw)}`);
  }
  // Before anything walks it recursively (validation, structured clone into a worker, messages
  // quoting a value): nesting 5 000 levels deep overflowed the stack.
  const deep = tooDeep(raw);
  if (deep) return fail('schema', deep, `the file nests deeper than ${MAX_NESTING} levels here; no part of a graph needs more (a param is at most a few lists deep): remove the extra nesting`);
  const obj = raw as RawDoc;
  if (obj.format !== GRAPH_FORMAT) {
    return fail('not-a-graph', '$.format', `not a Corespace graph: "format" must be "${GRAPH_FORMAT}", got ${JSON.stringify(obj.format)}`);
  }
  let migrated: RawDoc;
  try {
    migrated = migrateFile(obj, steps);
  } catch (e) {
    if (e instanceof MigrationError) return fail('newer-format', '$.version', e.message);
    throw e;
  }
  const reserved = reservedKeys(migrated);
  if (reserved.length) return { ok: false, problems: reserved };
  const parsed = GraphSchema.safeParse(migrated);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => schemaProblem(i, migrated)) };
  const doc = registry ? upgradeNodes(parsed.data, registry) : parsed.data;
  return { ok: true, doc };
}

/** Loads or throws a GraphError listing every problem. */
export function parseGraphOrThrow(text: string, registry?: Registry): GraphDoc {
  const r = parseGraphText(text, registry);
  if (!r.ok) throw new GraphError(r.problems, 'cannot load graph');
  return r.doc;
}

/** Applies the registry's rename table and each node type's own param migrations. */
function upgradeNodes(doc: GraphDoc, registry: Registry): GraphDoc {
  const nodes = doc.nodes.map((node) => {
    let type = node.type;
    // Follow chains (a → b → c), guarding against a cyclic table.
    for (let hops = 0; registry.renames[type] !== undefined && hops < 32; hops++) type = registry.renames[type]!;
    const def = findNode(registry, type);
    if (!def) return node; // unknown type: kept verbatim
    if (node.typeVersion >= def.typeVersion || !def.migrate) return { ...node, type };
    return { ...node, type, typeVersion: def.typeVersion, params: def.migrate({ ...node.params }, node.typeVersion) };
  });
  return { ...doc, nodes };
}

/** The newest format, pretty-printed. Layout and meta round-trip untouched. */
export function serializeGraph(doc: GraphDoc): string {
  return `${JSON.stringify({ ...doc, format: GRAPH_FORMAT, version: GRAPH_VERSION }, null, 2)}\n`;
}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Param names and layout keys such as "__proto__": JSON.parse keeps them as plain keys, but any
 * object they are copied into would take them as its prototype and drop them without a word. */
function reservedKeys(doc: RawDoc): Problem[] {
  const problems: Problem[] = [];
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  nodes.forEach((node, i) => {
    const n = node as { id?: unknown; params?: unknown } | null;
    if (!n || typeof n.params !== 'object' || n.params === null) return;
    for (const key of Object.keys(n.params)) {
      if (PROTOTYPE_KEYS.has(key)) {
        problems.push({ code: 'reserved-key', path: jsonPath(['nodes', i, 'params', key]), ...(typeof n.id === 'string' ? { nodeId: n.id } : {}), message: `param name "${key}" is reserved (a key of every JavaScript object) and no node has such a param; remove it` });
      }
    }
  });
  const meta = doc.meta as Record<string, unknown> | undefined;
  for (const [path, obj] of [[['meta'], meta], [['meta', 'files'], meta?.files], [['layout', 'positions'], (doc.layout as { positions?: unknown } | undefined)?.positions]] as const) {
    if (typeof obj !== 'object' || obj === null) continue;
    for (const key of Object.keys(obj)) if (PROTOTYPE_KEYS.has(key)) problems.push({ code: 'reserved-key', path: jsonPath([...path, key]), message: `key "${key}" is reserved (a key of every JavaScript object); remove it` });
  }
  return problems;
}

function fail(code: Problem['code'], path: string, message: string): LoadResult {
  return { ok: false, problems: [{ code, path, message }] };
}

function schemaProblem(issue: z.core.$ZodIssue, doc: RawDoc): Problem {
  const path = jsonPath(issue.path);
  const nodeIndex = issue.path[0] === 'nodes' ? issue.path[1] : undefined;
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const node = typeof nodeIndex === 'number' ? (nodes[nodeIndex] as { id?: unknown } | undefined) : undefined;
  const nodeId = typeof node?.id === 'string' ? node.id : undefined;
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  return { code: 'schema', path, message, ...(nodeId !== undefined ? { nodeId } : {}) };
}

/** Says where the JSON breaks: line, column and the offending line with a caret. */
function describeJsonError(text: string): string {
  const { position, reason } = locateJsonError(text);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const col = position - before.lastIndexOf('\n');
  const src = text.split('\n')[line - 1] ?? '';
  return `malformed JSON at line ${line}, column ${col}: ${reason}\n    ${src.trimEnd()}\n    ${' '.repeat(Math.max(0, col - 1))}^`;
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v;
}

/** How deep a graph file may nest arrays and objects. */
export const MAX_NESTING = 64;

/** The JSON path of the first value nested deeper than `limit` (walked without recursion), or null.
 * Only objects and arrays are pushed, each with a link to its parent (a path per value made a file
 * of 4 M layout positions allocate 4 M arrays); the path is rebuilt only for the one too deep. */
export function tooDeep(value: unknown, limit = MAX_NESTING): string | null {
  interface Entry {
    v: object;
    depth: number;
    key: PropertyKey;
    parent: Entry | null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const stack: Entry[] = [{ v: value, depth: 0, key: '', parent: null }];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.depth >= limit) {
      const path: PropertyKey[] = [];
      for (let at: Entry | null = e; at?.parent; at = at.parent) path.push(at.key);
      return jsonPath(path.reverse());
    }
    const array = Array.isArray(e.v);
    for (const k in e.v) {
      const child = (e.v as Record<string, unknown>)[k];
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: e.depth + 1, key: array ? Number(k) : k, parent: e });
    }
  }
  return null;
}

