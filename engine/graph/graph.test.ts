import { describe, expect, it } from 'vitest';
import { testRegistry } from '../../test/test-registry';
import { migrateFile } from './migrate';
import { loadGraph, parseGraphText, serializeGraph } from './load';
import { describeProblem, pathInWords, type Problem } from './problems';
import { typeInWords } from './params';
import { GraphSchema, type GraphDoc } from './schema';
import { validateGraph } from './validate';

const base = (over: Partial<Record<string, unknown>> = {}) => ({
  format: 'corespace.graph',
  version: 1,
  name: 'g',
  nodes: [
    { id: 'c', type: 'test.constant', typeVersion: 2, params: { value: 3 } },
    { id: 'sum', type: 'test.add', params: {} },
  ],
  edges: [{ id: 'e1', from: { node: 'c', port: 'out' }, to: { node: 'sum', port: 'a' } }],
  layout: { positions: { c: { x: 10, y: 20 } }, viewport: { x: 0, y: 0, zoom: 1.5 } },
  meta: { author: 'test' },
  ...over,
});

function load(raw: unknown): GraphDoc {
  const r = loadGraph(raw, testRegistry);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.doc;
}

function problemsOf(raw: unknown): Problem[] {
  return validateGraph(load(raw), testRegistry).problems;
}

describe('loading and saving', () => {
  it('loads a valid graph and keeps only what the user set, while validation fills defaults', () => {
    const doc = load(base());
    expect(doc.nodes[0]!.params).toEqual({ value: 3 });
    const v = validateGraph(doc, testRegistry);
    expect(v.problems).toEqual([]);
    expect(v.params.get('c')).toEqual({ value: 3, length: 4 });
  });

  it('round-trips layout, meta and nodes of unknown type unchanged', () => {
    const raw = base({
      nodes: [...base().nodes, { id: 'future', type: 'decompose.quantum', typeVersion: 7, params: { qubits: [1, 2], mode: 'x' } }],
    });
    const once = serializeGraph(load(raw));
    const twice = serializeGraph(load(JSON.parse(once)));
    expect(twice).toBe(once);
    const back = JSON.parse(once);
    expect(back.nodes[2]).toEqual({ id: 'future', type: 'decompose.quantum', typeVersion: 7, params: { qubits: [1, 2], mode: 'x' } });
    expect(back.layout.viewport).toEqual({ x: 0, y: 0, zoom: 1.5 });
    expect(back.meta).toEqual({ author: 'test' });
  });

  it('reports malformed JSON with line and column', () => {
    const r = parseGraphText('{\n  "format": "corespace.graph",\n  "nodes": [,]\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.code).toBe('malformed-json');
    expect(r.problems[0]!.message).toMatch(/line 3, column 13/);
  });

  it('refuses a file that is not a Corespace graph', () => {
    const r = loadGraph({ nodes: {} });
    expect(!r.ok && r.problems[0]!.message).toMatch(/"format" must be "corespace.graph"/);
  });

  it('refuses a file from a newer format version and says so', () => {
    const r = loadGraph(base({ version: 9 }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ code: 'newer-format', path: '$.version' });
    expect(r.problems[0]!.message).toMatch(/newer Corespace \(format version 9\).*update Corespace/);
  });

  it('runs the file migration chain one step at a time', () => {
    // A hypothetical chain 1 → 2 → 3: each step sees the previous step's output.
    const steps = {
      1: (d: Record<string, unknown>) => ({ ...d, renamed: d.old, old: undefined }),
      2: (d: Record<string, unknown>) => ({ ...d, doubled: (d.renamed as number) * 2 }),
    };
    const out = migrateFile({ version: 1, old: 21 }, steps, 3);
    expect(out).toMatchObject({ version: 3, renamed: 21, doubled: 42 });
    expect(migrateFile({ version: 2, renamed: 5 }, steps, 3)).toMatchObject({ version: 3, doubled: 10 });
    expect(() => migrateFile({ version: 1 }, {}, 2)).toThrow(/no migration from format version 1 to 2/);
  });

  it('applies the registry rename table and the node type migration', () => {
    const doc = load(base({ nodes: [{ id: 'c', type: 'test.const', typeVersion: 1, params: { v: 7 } }, { id: 'sum', type: 'old.add' }] }));
    expect(doc.nodes[0]).toMatchObject({ type: 'test.constant', typeVersion: 2, params: { value: 7 } });
    expect(doc.nodes[1]!.type).toBe('test.add');
    expect(validateGraph(doc, testRegistry).problems).toEqual([]);
    // Saving writes the newest versions.
    expect(JSON.parse(serializeGraph(doc)).nodes[0].typeVersion).toBe(2);
  });

  it('reports schema problems with their JSON path and node id', () => {
    const r = loadGraph(base({ nodes: [{ id: 'c', type: 'test.constant', parms: {} }], edges: [{ id: 'e', from: { node: 'c' } }] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toContain('$.nodes[0]');
    expect(r.problems.find((p) => p.path === '$.nodes[0]')).toMatchObject({ nodeId: 'c', message: expect.stringMatching(/unknown field "parms"/) });
    expect(paths).toContain('$.edges[0].from.port');
    expect(paths).toContain('$.edges[0].to');
  });

  it('has a schema whose defaults fill an almost empty file', () => {
    const doc = GraphSchema.parse({ format: 'corespace.graph', version: 1 });
    expect(doc).toMatchObject({ name: 'untitled', nodes: [], edges: [], layout: { positions: {} }, meta: {} });
  });
});

describe('validation', () => {
  it('names near node types for an unknown type', () => {
    const [p] = problemsOf(base({ nodes: [{ id: 'c', type: 'test.constnt' }], edges: [] }));
    expect(p).toMatchObject({ code: 'unknown-type', path: '$.nodes[0].type', nodeId: 'c' });
    expect(p!.message).toMatch(/near names: test\.constant/);
  });

  it('names the param and the allowed range', () => {
    const ps = problemsOf(base({ nodes: [{ id: 'c', type: 'test.constant', typeVersion: 2, params: { value: 1000, lenght: 3 } }, { id: 'sum', type: 'test.add' }] }));
    const range = ps.find((p) => p.code === 'invalid-param')!;
    expect(range).toMatchObject({ path: '$.nodes[0].params.value', nodeId: 'c' });
    expect(range.message).toMatch(/param 'value'.*got 1000.*allowed: -100 … 100/);
    const unknown = ps.find((p) => p.code === 'unknown-param')!;
    expect(unknown).toMatchObject({ path: '$.nodes[0].params.lenght', nodeId: 'c' });
    expect(unknown.message).toMatch(/no param 'lenght' — did you mean 'length'\?/);
  });

  it('reports a wrong param type', () => {
    const ps = problemsOf(base({ nodes: [{ id: 'c', type: 'test.constant', typeVersion: 2, params: { length: 'four' } }, { id: 'sum', type: 'test.add' }] }));
    expect(ps[0]!.message).toMatch(/param 'length': expected number, received string; got "four"/);
  });

  it('reports a missing required input but not a missing optional one', () => {
    const ps = problemsOf(base({ edges: [] }));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ code: 'missing-input', nodeId: 'sum', path: '$.nodes[1]' });
    expect(ps[0]!.message).toMatch(/needs its input 'a' \(tensor/);
  });

  it('reports port type mismatches, unknown ports and doubly fed inputs', () => {
    const ps = problemsOf(
      base({
        nodes: [
          { id: 'c', type: 'test.constant', typeVersion: 2 },
          { id: 'it', type: 'test.iterate' },
          { id: 'sum', type: 'test.add' },
        ],
        edges: [
          { id: 'e1', from: { node: 'c', port: 'out' }, to: { node: 'it', port: 'a' } },
          { id: 'e2', from: { node: 'it', port: 'stats' }, to: { node: 'sum', port: 'a' } },
          { id: 'e3', from: { node: 'c', port: 'out' }, to: { node: 'sum', port: 'b' } },
          { id: 'e4', from: { node: 'c', port: 'out' }, to: { node: 'sum', port: 'b' } },
          { id: 'e5', from: { node: 'c', port: 'output' }, to: { node: 'sum', port: 'c' } },
        ],
      }),
    );
    const by = (code: string) => ps.filter((p) => p.code === code);
    expect(by('port-type-mismatch')[0]!.message).toMatch(/it\.stats \(metrics\) to sum\.a \(tensor\)/);
    expect(by('port-type-mismatch')[0]!.path).toBe('$.edges[1]');
    expect(by('duplicate-input')[0]!.message).toMatch(/sum\.b is fed by two edges \('e3' and 'e4'\)/);
    const ports = by('unknown-port').map((p) => p.message);
    expect(ports).toEqual([expect.stringMatching(/no output port 'output' — did you mean 'out'/), expect.stringMatching(/no input port 'c'.*inputs: a:tensor, b:tensor/)]);
  });

  it('reports duplicate ids and dangling edges', () => {
    const ps = problemsOf(
      base({
        nodes: [{ id: 'c', type: 'test.constant', typeVersion: 2 }, { id: 'c', type: 'test.constant', typeVersion: 2 }, { id: 'sum', type: 'test.add' }],
        edges: [
          { id: 'e1', from: { node: 'c', port: 'out' }, to: { node: 'sum', port: 'a' } },
          { id: 'e1', from: { node: 'ghost', port: 'out' }, to: { node: 'sum', port: 'b' } },
        ],
      }),
    );
    expect(ps.filter((p) => p.code === 'duplicate-id').map((p) => p.path)).toEqual(['$.nodes[1].id', '$.edges[1].id']);
    const dangling = ps.find((p) => p.code === 'dangling-edge')!;
    expect(dangling.path).toBe('$.edges[1].from.node');
    expect(dangling.message).toMatch(/node 'ghost', which is not in the graph/);
  });

  it('names the nodes on a cycle', () => {
    const ps = problemsOf(
      base({
        nodes: [
          { id: 'c', type: 'test.constant', typeVersion: 2 },
          { id: 'p', type: 'test.add' },
          { id: 'q', type: 'test.add' },
          { id: 'r', type: 'test.add' },
        ],
        edges: [
          { id: 'e1', from: { node: 'c', port: 'out' }, to: { node: 'p', port: 'a' } },
          { id: 'e2', from: { node: 'p', port: 'out' }, to: { node: 'q', port: 'a' } },
          { id: 'e3', from: { node: 'q', port: 'out' }, to: { node: 'r', port: 'a' } },
          { id: 'e4', from: { node: 'r', port: 'out' }, to: { node: 'p', port: 'b' } },
        ],
      }),
    );
    expect(ps).toHaveLength(1);
    expect(ps[0]!.code).toBe('cycle');
    const names = ps[0]!.message.match(/'(\w+)'/g)!.map((s) => s.slice(1, -1));
    expect(new Set(names)).toEqual(new Set(['p', 'q', 'r']));
    expect(names[0]).toBe(names[names.length - 1]);
  });

  it('reports every problem together', () => {
    const ps = problemsOf(
      base({
        nodes: [
          { id: 'c', type: 'test.constant', typeVersion: 2, params: { value: -500 } },
          { id: 'x', type: 'nope.node' },
          { id: 'sum', type: 'test.add' },
        ],
        edges: [{ id: 'e1', from: { node: 'zz', port: 'out' }, to: { node: 'sum', port: 'a' } }],
      }),
    );
    // The dangling edge is the one problem of sum.a: it is not reported again as a missing input.
    expect(new Set(ps.map((p) => p.code))).toEqual(new Set(['invalid-param', 'unknown-type', 'dangling-edge']));
  });
});

describe('malformed JSON', () => {
  it.each([
    ['{"a": 1,,}', 1, 9, /expected a double-quoted property name, found ','/],
    ['{"a": 1', 1, 8, /expected ',' or '}' after a property value, found the end of the text/],
    ['[1, 2\n  3]', 2, 3, /expected ',' or '\]' after an array element, found '3'/],
    ['{"a": tru}', 1, 7, /unexpected 't'/],
    ['{"a": "x\ny"}', 1, 9, /control character inside a string/],
    ['{"a": 1} x', 1, 10, /after the end of the JSON value/],
    ['', 1, 1, /unexpected end of the text where a value should be/],
    ["{'a': 1}", 1, 2, /double-quoted property name, found '''/],
  ])('%j: line %d column %d', (text, line, col, reason) => {
    const r = parseGraphText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.message).toMatch(new RegExp(`^malformed JSON at line ${line}, column ${col}: `));
    expect(r.problems[0]!.message).toMatch(reason);
  });
});

describe('problems in words', () => {
  it('types and places are said in words, not in schema or JSON-path syntax', () => {
    expect(typeInWords('(integer | null)[]')).toBe('a list of whole numbers or null (full)');
    expect(typeInWords('number[]')).toBe('a list of numbers');
    expect(typeInWords('integer | integer[]')).toBe('a whole number or a list of whole numbers');
    expect(typeInWords('[number, number]')).toBe('a list of 2 (a number, a number)');
    expect(pathInWords('$.edges[2].from')).toBe('edge 3 (from)');
    expect(pathInWords('$.nodes[0].params.ranks[1]')).toBe('node 1 (params.ranks 1)');
    expect(pathInWords('$')).toBe('the file');
    expect(describeProblem({ code: 'schema', path: '$.nodes[1].params.ranks', nodeId: 'tk', message: 'm' })).toBe('node tk: m');
  });
});

