// Work without a bound (issue 27): a graph whose nodes would run for minutes or hours — a 16384²
// grid of a 1 000-operation expression, CP rank 4096 for 100 000 sweeps, Tucker for 100 000 sweeps,
// an exact SVD of 8192², a randomized SVD of rank 4096 with oversample 1000, a sweep of 1 000 CP
// runs — fails validation with its estimate, what it counted, the param to change and the flag
// that raises the ceiling; raised, it is accepted. A shape only known at run time (a file) is
// checked again before the node starts. Long nodes report what is left.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SECONDS, OutputCache, Tensor, cpuBackend, formatDuration, loadGraph, remainingSeconds, runGraph, validateGraph, writeNpy, type GraphDoc, type RunEvent } from '../engine';
import { registry } from '../nodes';
import { cli } from './cli/harness';
import { tempDir } from './temp';

function graph(nodes: unknown[], edges: [string, string][] = []): GraphDoc {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 'c', nodes, edges: edges.map(([a, b], i) => ({ id: `e${i}`, from: { node: a, port: 'tensor' }, to: { node: b, port: 'tensor' } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}
const synthetic = (shape: number[]) => ({ id: 'x', type: 'source.synthetic', params: { kind: 'gaussian', shape, ranks: [] } });
/** x·x·…·x with n multiplications (2n + 1 tokens, within the parser's 2 048). */
const longExpr = (n: number) => Array(n + 1).fill('x').join('*');

const costly: [string, GraphDoc, string, RegExp][] = [
  ['source.function, 16384² points × 1 000 operations', graph([{ id: 'f', type: 'source.function', params: { expr: longExpr(1000), shape: [16384, 16384] } }]), 'shape', /268 435 456 points × 1000 operations/],
  ['decompose.cp, rank 4096 × 100 000 sweeps', graph([synthetic([24, 24, 24]), { id: 'cp', type: 'decompose.cp', params: { rank: 4096, maxIter: 100000, tol: 0 } }], [['x', 'cp']]), 'maxIter', /rank 4096 × 3 modes × 13 824 entries × up to 100 000 sweeps/],
  ['decompose.tucker, 64³ ranks 30 × 100 000 sweeps', graph([synthetic([64, 64, 64]), { id: 't', type: 'decompose.tucker', params: { ranks: [30, 30, 30], maxIter: 100000, tol: 0 } }], [['x', 't']]), 'maxIter', /262 144 entries, ranks \[30, 30, 30\], up to 100 000 HOOI sweeps/],
  ['decompose.svd exact of 8192²', graph([synthetic([8192, 8192]), { id: 's', type: 'decompose.svd', params: { method: 'exact' } }], [['x', 's']]), 'method', /an exact SVD of 8192×8192/],
  ['decompose.svd randomized, rank 4096 + oversample 1000', graph([synthetic([8192, 8192]), { id: 's', type: 'decompose.svd', params: { method: 'randomized', rank: 4096, oversample: 1000 } }], [['x', 's']]), 'rank', /10 products of 8192×8192 with 5096 columns/],
  [
    'sweep.rank over 1 000 CP runs',
    graph([synthetic([32, 32, 32]), { id: 'cp', type: 'decompose.cp', params: { rank: 8, maxIter: 2000, tol: 0 } }, { id: 'sw', type: 'sweep.rank', params: { node: 'cp', param: 'rank', values: Array.from({ length: 1000 }, (_, i) => (i % 64) + 1) } }], [['x', 'cp']]),
    'values',
    /1000 runs of 'cp'/,
  ],
];

describe('the cost ceiling', () => {
  it.each(costly)('%s fails validation with its estimate, the param to change and the flag', (_, doc, param, what) => {
    const problems = validateGraph(doc, registry).problems;
    expect(problems).toHaveLength(1);
    const p = problems[0]!;
    expect(p.code).toBe('too-costly');
    expect(p.path).toMatch(new RegExp(`\\.params\\.${param}$`));
    expect(p.message).toMatch(/estimated [\d.]+ (min|h|days|years|[\de.]+ years) on one CPU core \(/);
    expect(p.message).toMatch(what);
    expect(p.message).toMatch(/above the ceiling of 10 min; .*, or raise the ceiling \(corespace run --max-minutes \d+; in the editor, the toolbar's time ceiling\)$/);
    // The flag's suggested value is enough.
    const minutes = Number(/--max-minutes (\d+)/.exec(p.message)![1]);
    expect(validateGraph(doc, registry, { maxSeconds: minutes * 60 }).problems).toEqual([]);
  });

  it('the same nodes at everyday sizes pass under the default ceiling (an exact SVD of 2048² is about 15 s)', () => {
    const doc = graph(
      [
        synthetic([128, 128, 128]),
        { id: 'cp', type: 'decompose.cp', params: { rank: 16 } },
        { id: 't', type: 'decompose.tucker', params: { ranks: [16, 16, 16] } },
        { id: 'f', type: 'source.function', params: { expr: 'sin(x*y)', shape: [2048, 2048] } },
        { id: 's', type: 'decompose.svd', params: { method: 'exact' } },
      ],
      [['x', 'cp'], ['x', 't'], ['f', 's']],
    );
    expect(validateGraph(doc, registry).problems).toEqual([]);
    expect(DEFAULT_MAX_SECONDS).toBe(600);
  });

  it('a shape known only at run time (a .npy file) is checked before the node starts, and nothing runs', async () => {
    const doc = graph([{ id: 'x', type: 'source.npy', params: { path: 'a.npy' } }, { id: 's', type: 'decompose.svd', params: { method: 'exact' } }], [['x', 's']]);
    const bytes = writeNpy(new Tensor([300, 200], new Float32Array(60000).map((_, i) => Math.sin(i))));
    const events: RunEvent[] = [];
    const r = await runGraph(doc, {
      registry,
      backend: cpuBackend,
      files: { read: async () => bytes, fingerprint: async (p) => p },
      output: { write: async (n) => n },
      cache: new OutputCache(),
      maxSeconds: 0.01,
      onEvent: (e) => events.push(e),
    });
    expect(r.nodes.x!.status).toBe('done');
    expect(r.nodes.s!.status).toBe('error');
    expect(r.nodes.s!.error).toMatch(/^node 's' \(decompose\.svd\): estimated [\d.]+ s on one CPU core \(an exact SVD of 300×200\), above the ceiling of 0\.0 s; use method 'randomized'/);
    expect(r.executed).toEqual(['x']);
    expect(events.some((e) => e.type === 'executing' && e.node === 's')).toBe(false);
  });

  it('corespace validate and run take --max-minutes; a bad value is a usage error', async () => {
    const dir = tempDir('cost');
    const file = join(dir, 'g.json');
    writeFileSync(file, JSON.stringify({ format: 'corespace.graph', version: 1, name: 'c', nodes: [synthetic([24, 24, 24]), { id: 'cp', type: 'decompose.cp', params: { rank: 4096, maxIter: 100000, tol: 0 } }], edges: [{ id: 'e', from: { node: 'x', port: 'tensor' }, to: { node: 'cp', port: 'tensor' } }] }));
    const refused = await cli('validate', file);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/\$\.nodes\[1\]\.params\.maxIter \(node 'cp'\): decompose\.cp: estimated .* above the ceiling of 10 min/);
    const minutes = /--max-minutes (\d+)/.exec(refused.err)![1]!;
    expect((await cli('validate', file, '--max-minutes', minutes)).code).toBe(0);
    const run = await cli('run', file, '--out', join(dir, 'out'), '--backend', 'cpu');
    expect(run.code).toBe(2);
    for (const bad of ['0', '-5', 'soon', '']) {
      const r = await cli('validate', file, '--max-minutes', bad);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--max-minutes must be a number of minutes above 0/);
    }
  });

  it('what is left: from the progress once there is some, else from the estimate', () => {
    expect(remainingSeconds(10, 25, 100)).toBe(30);
    expect(remainingSeconds(10, 25, 100, 500)).toBe(30);
    expect(remainingSeconds(0.5, 1, 100, 120)).toBeCloseTo(119.5);
    expect(remainingSeconds(200, 0, 100, 120)).toBe(0);
    expect(remainingSeconds(3, 0, 0)).toBeUndefined();
    expect([formatDuration(3.2), formatDuration(59), formatDuration(840), formatDuration(9000), formatDuration(3 * 86400), formatDuration(Infinity)]).toEqual(['3.2 s', '59 s', '14 min', '2.5 h', '3.0 days', 'forever']);
  });

  it('a long node reports what is left in its progress events', async () => {
    const doc = graph([synthetic([40, 40, 40]), { id: 'cp', type: 'decompose.cp', params: { rank: 12, maxIter: 60, tol: 0, init: 'random' } }], [['x', 'cp']]);
    const events: RunEvent[] = [];
    const r = await runGraph(doc, { registry, backend: cpuBackend, files: { read: async () => new Uint8Array(), fingerprint: async (p) => p }, output: { write: async (n) => n }, cache: new OutputCache(), onEvent: (e) => events.push(e) });
    expect(r.status).toBe('success');
    const executing = events.find((e) => e.type === 'executing' && e.node === 'cp') as Extract<RunEvent, { type: 'executing' }>;
    expect(executing.estimateSeconds).toBeGreaterThan(0);
    const progress = events.filter((e): e is Extract<RunEvent, { type: 'progress' }> => e.type === 'progress' && e.node === 'cp');
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every((e) => typeof e.etaSeconds === 'number' && e.etaSeconds >= 0)).toBe(true);
  });
});
