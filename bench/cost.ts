// npm run bench:cost [-- --quick]: each node type with a run-time estimate (engine/cost.ts), run on
// the CPU backend at a few sizes, its measured time beside the estimate the node gives for the same
// shapes and params. Writes bench/results/cost-<date>.json. The RATES in engine/cost.ts were set from
// this table; rerun it after changing an algorithm and keep every ratio within about 0.5 … 2.5
// (small runs carry a node's fixed costs; 3-way CP-ALS runs faster per multiply-add than the rate).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OutputCache, Tensor, cpuBackend, loadGraph, runGraph, type FileResolver } from '../engine';
import { nodeCost } from '../engine/graph/cost-check';
import { validateGraph } from '../engine/graph/validate';
import { registry } from '../nodes';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });

interface Case {
  name: string;
  /** The source node (id 'x') and the node measured (id 'n', fed by x's tensor). */
  source: Record<string, unknown>;
  node?: Record<string, unknown>;
  /** A sweep of node 'n' (id 's'), measured instead of 'n'. */
  sweep?: Record<string, unknown>;
}

const fn = (expr: string, shape: number[]) => ({ id: 'x', type: 'source.function', params: { expr, shape } });
const syn = (shape: number[], ranks: number[], kind = 'tucker') => ({ id: 'x', type: 'source.synthetic', params: { kind, shape, ranks, noise: 0.01, seed: 1 } });

const cases: Case[] = [
  { name: 'function 1024² (7 operations)', source: fn('sin(3*x)*cos(2*y) + x*y', [1024, 1024]) },
  { name: 'function 1 M points (3 operations)', source: fn('exp(-x/3) + 1', [1_000_000]) },
  { name: 'svd exact 256²', source: syn([256, 256], [20, 20]), node: { type: 'decompose.svd', params: { method: 'exact' } } },
  { name: 'svd exact 512²', source: syn([512, 512], [20, 20]), node: { type: 'decompose.svd', params: { method: 'exact' } } },
  { name: 'svd exact 2000×300', source: syn([2000, 300], [20, 20]), node: { type: 'decompose.svd', params: { method: 'exact' } } },
  { name: 'svd randomized 2048×1024 rank 32', source: syn([2048, 1024], [40, 40]), node: { type: 'decompose.svd', params: { method: 'randomized', rank: 32 } } },
  { name: 'svd randomized 1024² rank 200', source: syn([1024, 1024], [40, 40]), node: { type: 'decompose.svd', params: { method: 'randomized', rank: 200, powerIters: 2 } } },
  { name: 'cp 48³ rank 8, 40 sweeps', source: syn([48, 48, 48], [8], 'cp'), node: { type: 'decompose.cp', params: { rank: 8, maxIter: 40, tol: 0, init: 'random' } } },
  { name: 'cp 32³ rank 48, 20 sweeps', source: syn([32, 32, 32], [8], 'cp'), node: { type: 'decompose.cp', params: { rank: 48, maxIter: 20, tol: 0, init: 'random' } } },
  { name: 'cp 64³ rank 16, 20 sweeps, svd init', source: syn([64, 64, 64], [8], 'cp'), node: { type: 'decompose.cp', params: { rank: 16, maxIter: 20, tol: 0 } } },
  { name: 'tucker 64³ ranks 8, 20 sweeps', source: syn([64, 64, 64], [8, 8, 8]), node: { type: 'decompose.tucker', params: { ranks: [8, 8, 8], maxIter: 20, tol: 0 } } },
  { name: 'tucker 96³ ranks 24, 10 sweeps', source: syn([96, 96, 96], [8, 8, 8]), node: { type: 'decompose.tucker', params: { ranks: [24, 24, 24], maxIter: 10, tol: 0 } } },
  { name: 'tucker hosvd 128³ ranks 16', source: syn([128, 128, 128], [8, 8, 8]), node: { type: 'decompose.tucker', params: { ranks: [16, 16, 16], method: 'hosvd' } } },
  { name: 'tt 16⁵ maxRank 16', source: syn([16, 16, 16, 16, 16], [], 'gaussian'), node: { type: 'decompose.tt', params: { maxRank: 16 } } },
  { name: 'tt 64³ eps 1e-3', source: syn([64, 64, 64], [8, 8, 8]), node: { type: 'decompose.tt', params: { eps: 1e-3 } } },
  { name: 'sweep of svd exact 200² over 4 ranks', source: syn([200, 200], [20, 20]), node: { type: 'decompose.svd', params: { method: 'exact', rank: 2 } }, sweep: { node: 'n', param: 'rank', values: [2, 4, 8, 16] } },
];

const files: FileResolver = { read: async (p) => Promise.reject(new Error(`no file ${p}`)), fingerprint: async (p) => p };
const rows: { name: string; estimateS: number; measuredS: number; ratio: number; what: string }[] = [];
for (const c of values.quick ? cases.filter((_, i) => i % 3 === 0) : cases) {
  const measured = c.sweep ? 's' : c.node ? 'n' : 'x';
  const nodes = [c.source, ...(c.node ? [{ id: 'n', ...c.node }] : []), ...(c.sweep ? [{ id: 's', type: 'sweep.rank', params: c.sweep }] : [])];
  const edges = c.node ? [{ id: 'e', from: { node: 'x', port: 'tensor' }, to: { node: 'n', port: 'tensor' } }] : [];
  const loaded = loadGraph({ format: 'corespace.graph', version: 1, name: 'cost', nodes, edges }, registry);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const r = await runGraph(loaded.doc, { registry, backend: cpuBackend, files, output: { write: async (n) => n }, cache: new OutputCache(), maxSeconds: Infinity });
  const rec = r.nodes[measured]!;
  if (rec.status !== 'done') throw new Error(`${c.name}: ${rec.error}`);
  // The estimate from the real input shapes, as the scheduler makes it.
  const checked = validateGraph(loaded.doc, registry, { maxSeconds: Infinity });
  const shapes = (id: string) => Object.fromEntries(loaded.doc.edges.filter((e) => e.to.node === id).map((e) => [e.to.port, (r.outputs.get(e.from.node)![e.from.port] as Tensor).shape]));
  const est = nodeCost(measured, { def: (id) => registry.nodes.find((d) => d.type === loaded.doc.nodes.find((n) => n.id === id)?.type), params: (id) => checked.params.get(id), inputs: shapes })!;
  const measuredS = rec.durationMs! / 1000;
  rows.push({ name: c.name, estimateS: est.seconds, measuredS, ratio: est.seconds / measuredS, what: est.what });
  process.stderr.write(`${c.name.padEnd(42)} estimate ${est.seconds.toFixed(2).padStart(7)} s   measured ${measuredS.toFixed(2).padStart(7)} s   ratio ${(est.seconds / measuredS).toFixed(2)}\n`);
}
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`cost-${new Date().toISOString().slice(0, 10)}.json`, dir);
writeFileSync(file, `${JSON.stringify({ machine: `${process.platform} ${process.arch}, Node ${process.version}`, rows }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ file: file.pathname, rows }, null, 2)}\n`);
