// A problem found in a graph file: where (JSON path and node id), what, and — in the message —
// how to fix it. Loading and validation collect every problem instead of stopping at the first.
import { printable } from './ids';

export type ProblemCode =
  | 'malformed-json'
  | 'not-a-graph'
  | 'newer-format'
  | 'schema'
  | 'duplicate-id'
  | 'unsafe-id'
  | 'reserved-key'
  | 'unknown-type'
  | 'newer-node-version'
  | 'unknown-param'
  | 'invalid-param'
  | 'dangling-edge'
  | 'unknown-port'
  | 'port-type-mismatch'
  | 'duplicate-input'
  | 'missing-input'
  | 'cycle'
  | 'bypassed-output'
  | 'unknown-target'
  | 'too-costly'
  | 'input-shape';

export interface Problem {
  code: ProblemCode;
  /** JSON path into the file, e.g. `$.nodes[2].params.rank`. */
  path: string;
  nodeId?: string;
  message: string;
}

export function jsonPath(segments: readonly PropertyKey[]): string {
  let p = '$';
  for (const s of segments) {
    if (typeof s === 'number') p += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_$][\w$]*$/.test(s)) p += `.${s}`;
    else p += `[${JSON.stringify(String(s))}]`;
  }
  return p;
}

/** Where in the file a path points, in words: `$.edges[2].from` → "edge 3 (from)", `$` → "the file". */
export function pathInWords(path: string): string {
  if (path === '$') return 'the file';
  const m = /^\$\.(nodes|edges)\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) return `${m[1] === 'nodes' ? 'node' : 'edge'} ${Number(m[2]) + 1}${m[3] ? ` (${m[3].replace(/\[(\d+)\]/g, ' $1')})` : ''}`;
  return path.replace(/^\$\./, '').replace(/\[(\d+)\]/g, ' $1');
}

/** A problem as a person reads it (the editor): the node it is about, or where in the file, and
 * the message; no JSON paths. */
export function describeProblem(p: Problem): string {
  return printable(`${p.nodeId !== undefined ? `node ${p.nodeId}` : pathInWords(p.path)}: ${p.message}`, true);
}

/** One line per problem, with its JSON path (the CLI); ids and quoted text from the file are made
 * printable (no terminal escapes). */
export function formatProblem(p: Problem): string {
  return printable(`${p.path}${p.nodeId !== undefined ? ` (node '${p.nodeId}')` : ''}: ${p.message}`, true);
}

export class GraphError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[], what = 'invalid graph') {
    super(`${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'GraphError';
    this.problems = problems;
  }
}
