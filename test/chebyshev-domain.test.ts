// evaluate.points refuses points outside the expansion's domain, and NaN or infinite ones (issue 12,
// item 25): a Chebyshev series extrapolates wildly (~2.8e14 for x·y) instead of failing. The check
// runs on the host before the backend is called, so the CPU and WebGPU routes refuse alike.
import { describe, expect, it } from 'vitest';
import { Tensor, cpuBackend, loadGraph, runGraph, writeNpy, type Backend, type GraphDoc } from '../engine';
import { registry } from '../nodes';

// x·y on a box whose bounds ±0.3 are not float32 numbers: Math.fround(0.3) lies just above 0.3.
const domain: [number, number][] = [[-0.3, 0.3], [0.5, 1]];

function graph(): GraphDoc {
  const nodes = [
    { id: 'f', type: 'source.function', params: { expr: 'x*y', shape: [2, 2], domain } },
    { id: 'c', type: 'transform.chebyshev', params: { n: 4 } },
    { id: 'e', type: 'evaluate.points', params: { points: 'pts.npy' } },
  ];
  const edges = [
    { id: 'e0', from: { node: 'f', port: 'function' }, to: { node: 'c', port: 'function' } },
    { id: 'e1', from: { node: 'c', port: 'expansion' }, to: { node: 'e', port: 'expansion' } },
  ];
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 't', nodes, edges }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

/** Runs the graph on points (m × 2, stored as float32 as readNpy gives them); counts backend evaluations. */
async function evaluateAt(points: number[][]) {
  const npy = writeNpy(new Tensor([points.length, 2], Float32Array.from(points.flat())));
  let dispatched = 0;
  const backend: Backend = { ...cpuBackend, evaluateChebyshev: (...args) => (dispatched++, cpuBackend.evaluateChebyshev(...args)) };
  const r = await runGraph(graph(), { registry, backend, files: { read: async () => npy, fingerprint: async () => 'pts' }, output: { write: async (n) => n } });
  return { node: r.nodes.e!, values: r.outputs.get('e')?.tensor as Tensor | undefined, dispatched };
}

describe('evaluate.points outside the domain', () => {
  it('refuses the first point outside, naming the param, the point, the domain of input expansion and the fix, before the backend runs', async () => {
    const { node, dispatched } = await evaluateAt([[0, 0.75], [0.1, 0.6], [0.9, 0.75], [2, 2]]);
    expect(node.status).toBe('error');
    expect(node.error).toContain(
      "param 'points': point 2 of pts.npy is (0.9, 0.75), outside the domain [-0.3, 0.3] × [0.5, 1] of input 'expansion' (coordinate 0: 0.9 > 0.3); " +
        "a Chebyshev expansion extrapolates wildly outside its domain — move the points inside, or build the expansion on a domain that covers them (param 'domain' of transform.chebyshev or decompose.chebyshev-tucker)",
    );
    expect(dispatched).toBe(0);
    const below = await evaluateAt([[0, 0.4]]);
    expect(below.node.error).toMatch(/point 0 of pts\.npy is \(0, 0\.4\), outside .*\(coordinate 1: 0\.4 < 0\.5\)/);
  });

  it.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('refuses the coordinate %s, naming the point', async (bad, shown) => {
    const { node, dispatched } = await evaluateAt([[0.1, 0.7], [0.2, bad]]);
    expect(node.error).toContain(`param 'points': point 1 of pts.npy is (0.2, ${shown}), not finite in coordinate 1; give finite coordinates inside the domain [-0.3, 0.3] × [0.5, 1] of input 'expansion'`);
    expect(dispatched).toBe(0);
  });

  it('accepts points exactly on the boundary and within float32 rounding of it, with the values of x·y; refuses one float32 step beyond', async () => {
    // 0.5 and 1 are exact bounds; ±0.3 become ±0.30000001192… as float32, 2e-8 of the width outside.
    const edge = [[-0.3, 0.5], [0.3, 1], [0.3, 0.5], [-0.3, 1], [0, 1], [0.15, 0.75]];
    const { node, values } = await evaluateAt(edge);
    expect([node.status, node.error]).toEqual(['done', undefined]);
    // The interpolant of the bilinear x·y at n = 4 is x·y itself; float32 output, so 2⁻²³ relative.
    edge.forEach(([x, y], i) => {
      const want = Math.fround(x!) * Math.fround(y!);
      expect(Math.abs(values!.data[i]! - want)).toBeLessThanOrEqual(2 ** -23 * Math.abs(want) + 1e-15);
    });
    // The next float32 above 1 is 1.19e-7 out: past the tolerance (1e-9 · 0.5 + 2⁻²⁴ · 1 = 6.0e-8).
    const beyond = await evaluateAt([[0, 1 + 2 ** -23]]);
    expect(beyond.node.error).toMatch(/point 0 of pts\.npy is \(0, 1\.0000001\), outside the domain .*\(coordinate 1: 1\.0000001 > 1\)/);
  });
});
