// The decomposition nodes end to end on the reference inputs: source.npy → decompose → reconstruct
// → metrics.compare, against the numbers TensorLy/NumPy produced (test/refs).
import { describe, expect, it } from 'vitest';
import { OutputCache, Tensor, cpuBackend, findNode, loadGraph, runGraph, validateGraph, writeNpy, type FileResolver, type GraphDoc, type Metrics } from '../engine';
import { resolveParams } from '../engine/graph/params';
import { registry } from '../nodes';
import { refExpected as expected, refFiles as files } from './refs/refs';

function graph(nodes: unknown[], edges: [string, string, string, string][]): GraphDoc {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 't', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

/** source.npy(case) → node → reconstruct → compare; returns the node's info and the comparison. */
async function pipeline(refCase: string, node: { type: string; params: object }, port: string) {
  const doc = graph(
    [
      { id: 'x', type: 'source.npy', params: { path: `${refCase}/input.npy` } },
      { id: 'd', ...node },
      { id: 'r', type: 'reconstruct' },
      { id: 'm', type: 'metrics.compare' },
    ],
    [
      ['x', 'tensor', 'd', 'tensor'],
      ['d', port, 'r', 'decomposition'],
      ['x', 'tensor', 'm', 'reference'],
      ['r', 'tensor', 'm', 'approx'],
    ],
  );
  const r = await runGraph(doc, { registry, backend: cpuBackend, files, output: { write: async (n) => n }, cache: new OutputCache() });
  for (const [id, rec] of Object.entries(r.nodes)) if (rec.status !== 'done') throw new Error(`${id}: ${rec.error}`);
  const info = r.outputs.get('d')!.info as Metrics;
  const compare = r.outputs.get('m')!.metrics as Metrics;
  return { info, compare, outputs: r.outputs.get('d')! };
}

describe('decomposition nodes on the refs', () => {
  it('decompose.svd: rank for 99 % energy, its error, and the spectrum', async () => {
    const ref = expected('svd_decay_240x180');
    const { info, compare, outputs } = await pipeline('svd_decay_240x180', { type: 'decompose.svd', params: { energy: 0.99 } }, 'svd');
    expect(info.rank!.value).toBe(ref.rank_for_energy['0.99'].rank);
    expect(Math.abs(info.relError!.value - compare.relError!.value)).toBeLessThan(1e-6);
    const spectrum = outputs.spectrum as Tensor;
    expect(Math.abs(spectrum.data[0]! - ref.top_singular_values[0]) / ref.top_singular_values[0]).toBeLessThan(1e-6);
  });

  it('decompose.svd randomized at rank 12 matches the exact rank-12 error', async () => {
    const ref = expected('svd_decay_240x180');
    const { info } = await pipeline('svd_decay_240x180', { type: 'decompose.svd', params: { rank: 12, method: 'randomized' } }, 'svd');
    expect(Math.abs(info.relError!.value - ref.rank_k_relative_frobenius_error['12'])).toBeLessThan(1e-4);
  });

  it('decompose.tucker: HOOI error and compression of tucker_lowrank', async () => {
    const ref = expected('tucker_lowrank_36x44x52').results[0];
    const { info, compare } = await pipeline('tucker_lowrank_36x44x52', { type: 'decompose.tucker', params: { ranks: [4, 5, 6] } }, 'tucker');
    expect(Math.abs(compare.relError!.value - ref.hooi_relative_error)).toBeLessThan(1e-4);
    expect(info.params!.value).toBe(4 * 5 * 6 + 36 * 4 + 44 * 5 + 52 * 6);
    expect(info.compressionRatio!.value).toBeCloseTo((36 * 44 * 52) / info.params!.value, 10);
  });

  it('decompose.tucker: Tucker-2 of the conv kernel via modes', async () => {
    const ref = expected('tucker_conv_48x24x3x3').tucker2_modes_0_1;
    const { compare } = await pipeline('tucker_conv_48x24x3x3', { type: 'decompose.tucker', params: { ranks: [12, 6], modes: [0, 1] } }, 'tucker');
    expect(Math.abs(compare.relError!.value - ref.hooi_relative_error)).toBeLessThan(1e-4);
  });

  it('decompose.cp with restarts reaches the refs best error', async () => {
    const ref = expected('cp_rank4_25x35x45');
    const { compare } = await pipeline('cp_rank4_25x35x45', { type: 'decompose.cp', params: { rank: 4, restarts: 3 } }, 'cp');
    expect(compare.relError!.value).toBeLessThanOrEqual(ref.noise_floor_relative_error * (1 + 1e-3));
  });

  it('decompose.tt with eps gives the refs ranks', async () => {
    const ref = expected('tt_random_rank1-2-3-2-1_8x9x10x11').eps_tt_svd[0];
    const { info, compare } = await pipeline('tt_random_rank1-2-3-2-1_8x9x10x11', { type: 'decompose.tt', params: { eps: ref.eps } }, 'tt');
    expect(compare.relError!.value).toBeLessThanOrEqual(ref.eps);
    expect(info.maxRank!.value).toBe(Math.max(...ref.tt_ranks));
  });
});

describe('decomposition nodes refuse bad input clearly', () => {
  const problems = (node: object, edges: [string, string, string, string][] = [['s', 'tensor', 'd', 'tensor']]) =>
    validateGraph(graph([{ id: 's', type: 'source.synthetic', params: { shape: [6, 7, 8], ranks: [2, 2, 2] } }, { id: 'd', ...node }], edges), registry).problems;

  it('in validation', () => {
    expect(problems({ type: 'decompose.svd', params: { rank: 3, energy: 0.9 } })[0]!.message).toMatch(/give one of rank, energy or tol, not rank and energy/);
    expect(problems({ type: 'decompose.svd', params: { energy: 1.5 } })[0]).toMatchObject({ path: '$.nodes[1].params.energy', nodeId: 'd' });
    expect(problems({ type: 'decompose.tucker', params: {} })[0]!.message).toMatch(/give ranks \(one per mode\) or eps/);
    expect(problems({ type: 'decompose.tucker', params: { ranks: [0, 2, 2] } })[0]!.path).toBe('$.nodes[1].params.ranks[0]');
    expect(problems({ type: 'decompose.tt', params: {} })[0]!.message).toMatch(/give maxRank, eps, or both/);
    expect(problems({ type: 'decompose.cp', params: { rank: 0 } })[0]!.message).toMatch(/param 'rank'.*allowed: 1 … 4096/);
    // A tensor cannot feed reconstruct, which takes a decomposition.
    const p = problems({ type: 'reconstruct' }, [['s', 'tensor', 'd', 'decomposition']]);
    expect(p[0]!.message).toMatch(/s\.tensor \(tensor\) to d\.decomposition \(svd\|tucker\|cp\|tt\)/);
  });

  it('at run time (a shape known only once its file is read), naming the node and the problem', async () => {
    const x = new Tensor([6, 7, 8]);
    const fromFile: FileResolver = { read: async () => writeNpy(x), fingerprint: async (p) => p };
    const run = async (node: object) => {
      const doc = graph([{ id: 's', type: 'source.npy', params: { path: 'x.npy' } }, { id: 'd', ...node }], [['s', 'tensor', 'd', 'tensor']]);
      return (await runGraph(doc, { registry, backend: cpuBackend, files: fromFile, output: { write: async (n) => n } })).nodes.d!.error;
    };
    expect(await run({ type: 'decompose.svd', params: { rank: 2 } })).toMatch(/node 'd' \(decompose\.svd\): needs a matrix, but the input is 3-D \[6×7×8\]; set 'mode'/);
    expect(await run({ type: 'decompose.svd', params: { rank: 9, mode: 0 } })).toMatch(/rank 9 exceeds min\(6, 56\) = 6/);
    expect(await run({ type: 'decompose.svd', params: { energy: 0.9, mode: 1, method: 'randomized' } })).toMatch(/method 'randomized' needs an integer 'rank'/);
    expect(await run({ type: 'decompose.tucker', params: { ranks: [7, 2, 2] } })).toMatch(/rank 7 on mode 0 exceeds that mode's size 6/);
    expect(await run({ type: 'decompose.tucker', params: { ranks: [2, 2, 2, 2] } })).toMatch(/'ranks' has 4 entries but the input has 3 modes/);
    expect(await run({ type: 'decompose.tt', params: { maxRank: 2, reshape: [4, 4] } })).toMatch(/'reshape' \[4×4\] holds 16 entries but the input \[6×7×8\] has 336/);
  });
});

describe('long decompositions report progress and can be cancelled', () => {
  it('an exact SVD stops at its first progress report after Cancel', async () => {
    const doc = graph(
      [
        { id: 's', type: 'source.synthetic', params: { kind: 'gaussian', shape: [120, 100] } },
        { id: 'd', type: 'decompose.svd', params: { rank: 5 } },
      ],
      [['s', 'tensor', 'd', 'tensor']],
    );
    const ctrl = new AbortController();
    const messages: string[] = [];
    const r = await runGraph(doc, {
      registry,
      backend: cpuBackend,
      files,
      output: { write: async (n) => n },
      signal: ctrl.signal,
      onEvent: (e) => {
        if (e.type === 'progress') {
          messages.push(e.message ?? '');
          ctrl.abort();
        }
      },
    });
    expect(messages).toEqual(['64 of 100 singular values']);
    expect(r.nodes.d!.status).toBe('cancelled');
    expect(r.status).toBe('interrupted');
  });
});

describe('param messages', () => {
  it("a param's message says what it allows in words", () => {
    const def = findNode(registry, 'decompose.tucker')!;
    const r = resolveParams(def, { ranks: 'x' }, 'tk', []);
    expect(r.ok).toBe(false);
    const message = (r as { problems: { message: string }[] }).problems[0]!.message;
    expect(message).toMatch(/allowed: a list of whole numbers or null \(full\)/);
    expect(message).not.toMatch(/\(integer \| null\)\[\]/);
  });
});
