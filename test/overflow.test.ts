// Values beyond float32: refused at the node that made them (naming it, the output and the first
// index), never passed on as Infinity into a run that reports success; decompositions of inputs
// near the top of float32's range either work (the float64 internals) or are refused the same way.
import { describe, expect, it } from 'vitest';
import { OutputCache, Tensor, cpuBackend, loadGraph, runGraph, writeNpy, type FileResolver, type Metrics } from '../engine';
import { registry } from '../nodes';

async function run(nodes: unknown[], edges: [string, string, string, string][], files: Record<string, Uint8Array> = {}) {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 'o', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const resolver: FileResolver = { read: async (p) => files[p] ?? Promise.reject(new Error(`no file ${p}`)), fingerprint: async (p) => p };
  return runGraph(r.doc, { registry, backend: cpuBackend, files: resolver, output: { write: async (n) => n }, cache: new OutputCache() });
}

describe('float32 overflow', () => {
  it('tensor.pad with value 1e308 is refused at the pad, naming its output', async () => {
    const r = await run(
      [{ id: 'f', type: 'source.function', params: { expr: 'x', shape: [3, 3] } }, { id: 'p', type: 'tensor.pad', params: { widths: [[0, 1]], value: 1e308 } }],
      [['f', 'tensor', 'p', 'tensor']],
    );
    expect(r.status).toBe('failed');
    expect(r.nodes.f!.status).toBe('done');
    expect(r.nodes.p!.error).toMatch(/^node 'p' \(tensor\.pad\): its output 'tensor' holds Infinity: a magnitude beyond float32's range .* first at index \[0, 3\]$/);
  });

  it('exp(100) in a function grid is refused at the source', async () => {
    const r = await run([{ id: 'f', type: 'source.function', params: { expr: 'exp(100*x)', shape: [5], domain: [[0, 1]] } }], []);
    expect(r.nodes.f!.error).toMatch(/node 'f' \(source\.function\): its output 'tensor' holds Infinity.* first at index \[4\]/);
  });

  it('a float64 .npy holding 1e300 is refused at source.npy (it does not fit float32)', async () => {
    const t = Tensor.from([2, 2], [1, 2, 3, 4]);
    const bytes = writeNpy(t, '<f8');
    // The last float64 (little-endian) becomes 1e300.
    new DataView(bytes.buffer, bytes.byteOffset).setFloat64(bytes.length - 8, 1e300, true);
    const r = await run([{ id: 's', type: 'source.npy', params: { path: 'big.npy' } }], [], { 'big.npy': bytes });
    expect(r.nodes.s!.status).toBe('error');
    expect(r.nodes.s!.error).toMatch(/node 's' \(source\.npy\):.*Infinity.*\[1, 1\]/);
  });

  const decompositions = [
    ['decompose.tucker', { ranks: [3, 3, 3] }, 'tucker'],
    ['decompose.cp', { rank: 3, seed: 1 }, 'cp'],
    ['decompose.tt', { maxRank: 3 }, 'tt'],
  ] as const;

  it.each(decompositions)('%s of an input of magnitude 1e36 gives the error of the same input at magnitude 1', async (type, params) => {
    const errs: number[] = [];
    for (const scale of ['1', '1e36']) {
      const r = await run(
        [{ id: 'f', type: 'source.function', params: { expr: `${scale}*sin(x + 2*y + 3*z)`, shape: [12, 12, 12] } }, { id: 'd', type, params }],
        [['f', 'tensor', 'd', 'tensor']],
      );
      expect(r.status).toBe('success');
      errs.push((r.outputs.get('d')!.info as Metrics).relError!.value);
    }
    expect(Number.isFinite(errs[1])).toBe(true);
    expect(Math.abs(errs[1]! - errs[0]!)).toBeLessThan(1e-4 + 1e-3 * errs[0]!);
  });

  it.each(decompositions)('%s of an input near 3e38, whose factors cannot be held in float32, fails naming the output', async (type, params, port) => {
    const r = await run(
      [{ id: 'f', type: 'source.function', params: { expr: '3e38*sin(x + 2*y + 3*z)', shape: [16, 16, 16] } }, { id: 'd', type, params }],
      [['f', 'tensor', 'd', 'tensor']],
    );
    expect(r.nodes.f!.status).toBe('done');
    expect(r.status).toBe('failed');
    expect(r.nodes.d!.error).toMatch(new RegExp(`node 'd' \\(${type.replace('.', '\\.')}\\): its output '${port}\\.[a-z]+(\\[\\d+\\])?' holds -?Infinity`));
  });
});
