// Transform nodes end to end: keep 5 % of the DCT coefficients of a reference field and invert
// (the refs' top-k experiment), the DWT round trip through the graph, and pad → WHT.
import { describe, expect, it } from 'vitest';
import { cpuBackend, loadGraph, runGraph, validateGraph, type GraphDoc, type Metrics, type Tensor } from '../engine';
import { registry } from '../nodes';
import { refExpected as expected, refFiles as files } from './refs/refs';

function graph(nodes: unknown[], edges: string[]): GraphDoc {
  const r = loadGraph(
    {
      format: 'corespace.graph',
      version: 1,
      name: 't',
      nodes,
      edges: edges.map((e, i) => {
        const [from, to] = e.split(' -> ') as [string, string];
        const [fn, fp] = from.split('.') as [string, string];
        const [tn, tp] = to.split('.') as [string, string];
        return { id: `e${i}`, from: { node: fn, port: fp }, to: { node: tn, port: tp } };
      }),
    },
    registry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

async function run(doc: GraphDoc) {
  const r = await runGraph(doc, { registry, backend: cpuBackend, files, output: { write: async (n) => n } });
  for (const [id, rec] of Object.entries(r.nodes)) if (rec.status !== 'done') throw new Error(`${id}: ${rec.error}`);
  return r.outputs;
}

describe('transform nodes', () => {
  it('DCT → keep 5 % → inverse DCT reproduces the refs top-k error (dct_2d_13x22 keeps 14)', async () => {
    const out = await run(
      graph(
        [
          { id: 'x', type: 'source.npy', params: { path: 'dct_2d_13x22/input.npy' } },
          { id: 'f', type: 'transform.dct' },
          { id: 's', type: 'select.coefficients', params: { keep: 'count', value: 14 } },
          { id: 'b', type: 'transform.dct', params: { inverse: true } },
          { id: 'm', type: 'metrics.compare' },
        ],
        ['x.tensor -> f.tensor', 'f.tensor -> s.tensor', 's.tensor -> b.tensor', 'x.tensor -> m.reference', 'b.tensor -> m.approx'],
      ),
    );
    expect(Math.abs((out.get('m')!.metrics as Metrics).relError!.value - expected('dct_2d_13x22').top_k_reconstruction_relative_error)).toBeLessThan(1e-5);
    expect((out.get('s')!.info as Metrics).kept!.value).toBe(14);
  });

  it('DWT db4 forward and inverse through the graph round-trips', async () => {
    const out = await run(
      graph(
        [
          { id: 'x', type: 'source.npy', params: { path: 'dwt_2d_64x96/input.npy' } },
          { id: 'f', type: 'transform.dwt', params: { wavelet: 'db4', levels: 1 } },
          { id: 'b', type: 'transform.dwt', params: { wavelet: 'db4', levels: 1, inverse: true } },
          { id: 'm', type: 'metrics.compare' },
        ],
        ['x.tensor -> f.tensor', 'f.tensor -> b.tensor', 'x.tensor -> m.reference', 'b.tensor -> m.approx'],
      ),
    );
    expect((out.get('m')!.metrics as Metrics).relError!.value).toBeLessThan(1e-6);
  });

  it('pad to a power of two, then WHT', async () => {
    const out = await run(
      graph(
        [
          { id: 'x', type: 'source.npy', params: { path: 'dct_2d_13x22/input.npy' } },
          { id: 'p', type: 'tensor.pad', params: { powerOfTwo: true } },
          { id: 'w', type: 'transform.wht', params: { order: 'sequency' } },
        ],
        ['x.tensor -> p.tensor', 'p.tensor -> w.tensor'],
      ),
    );
    expect((out.get('w')!.tensor as Tensor).shape).toEqual([16, 32]);
  });

  it('says what to do when a length does not fit', async () => {
    const doc = graph(
      [
        { id: 'x', type: 'source.npy', params: { path: 'dct_2d_13x22/input.npy' } },
        { id: 'w', type: 'transform.wht' },
      ],
      ['x.tensor -> w.tensor'],
    );
    const r = await runGraph(doc, { registry, backend: cpuBackend, files, output: { write: async (n) => n } });
    expect(r.nodes.w!.error).toMatch(/node 'w' \(transform\.wht\): .*axis 0 of \[13×22\] has 13; pad it to 16 with a tensor\.pad node/);
    const bad = validateGraph(graph([{ id: 'x', type: 'source.synthetic' }, { id: 'p', type: 'tensor.pad', params: { multipleOf: 4, powerOfTwo: true } }], ['x.tensor -> p.tensor']), registry).problems;
    expect(bad[0]).toMatchObject({ nodeId: 'p', message: expect.stringMatching(/exactly one of widths, multipleOf or powerOfTwo/) });
  });
});
