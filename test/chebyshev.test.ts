// Chebyshev interpolation against numpy.polynomial.chebyshev (test/refs cheb_*): coefficients from
// samples and from the function itself, mesh-free evaluation, and the Chebyshev-Tucker format.
import { describe, expect, it } from 'vitest';
import { cpuBackend, loadGraph, runGraph, type GraphDoc, type Metrics, type Tensor } from '../engine';
import { registry } from '../nodes';
import { refExpected as expected, refFiles as files, refNpy } from './refs/refs';

function graph(nodes: unknown[], edges: [string, string, string, string][]): GraphDoc {
  const r = loadGraph({ format: 'corespace.graph', version: 1, name: 't', nodes, edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })) }, registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}
async function run(doc: GraphDoc) {
  const r = await runGraph(doc, { registry, backend: cpuBackend, files, output: { write: async (n) => n } });
  return { outputs: r.outputs, nodes: r.nodes };
}
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

const cases = [
  { name: 'cheb_gauss3d_12', n: 12, expr: 'exp(-(x*x + y*y + z*z))', domain: [[-1, 1], [-1, 1], [-1, 1]], interpTol: 0.05 },
  { name: 'cheb_1d_20', n: 20, expr: 'tanh(3*(x - 0.5)) + 0.2*x', domain: [[-1, 3]], interpTol: 0.01 },
];

describe.each(cases)('$name', ({ name, n, expr, domain, interpTol }) => {
  it('coefficients from the samples match chebinterpolate; evaluation at the test points matches chebval', async () => {
    const { outputs, nodes } = await run(
      graph(
        [
          { id: 's', type: 'source.npy', params: { path: `${name}/input.npy` } },
          { id: 'c', type: 'transform.chebyshev', params: { domain } },
          { id: 'e', type: 'evaluate.points', params: { points: `${name}/test_points.npy` } },
        ],
        [
          ['s', 'tensor', 'c', 'samples'],
          ['c', 'expansion', 'e', 'expansion'],
        ],
      ),
    );
    expect(nodes.e!.status).toBe('done');
    expect(maxDiff(outputs.get('c')!.coefficients as Tensor, refNpy(name, 'expected_coeffs.npy'))).toBeLessThan(1e-6);
    const values = outputs.get('e')!.tensor as Tensor;
    expect(maxDiff(values, refNpy(name, 'test_interp_values.npy'))).toBeLessThan(1e-6);
    const err = maxDiff(values, refNpy(name, 'test_values.npy'));
    expect(Math.abs(err - expected(name).interp_max_abs_error) / expected(name).interp_max_abs_error).toBeLessThan(interpTol);
  });

  it('coefficients from the function itself match the float64-sample reference', async () => {
    const { outputs } = await run(
      graph(
        [
          { id: 'f', type: 'source.function', params: { expr, domain, shape: domain.map(() => 2) } },
          { id: 'c', type: 'transform.chebyshev', params: { n } },
        ],
        [['f', 'function', 'c', 'function']],
      ),
    );
    expect(maxDiff(outputs.get('c')!.coefficients as Tensor, refNpy(name, 'expected_coeffs_from_float64_samples.npy'))).toBeLessThan(1e-7);
  });
});

describe('Chebyshev-Tucker', () => {
  it('finds ranks (1,1,1) for the separable Gaussian at 1e-6 and evaluates as the dense expansion', async () => {
    const { outputs } = await run(
      graph(
        [
          { id: 'f', type: 'source.function', params: { expr: 'exp(-(x^2 + y^2 + z^2))', domain: [[-1, 1]], shape: [2, 2, 2] } },
          { id: 't', type: 'decompose.chebyshev-tucker', params: { n: 12, eps: 1e-6 } },
          { id: 'e', type: 'evaluate.points', params: { points: 'cheb_gauss3d_12/test_points.npy' } },
        ],
        [
          ['f', 'function', 't', 'function'],
          ['t', 'expansion', 'e', 'expansion'],
        ],
      ),
    );
    expect((outputs.get('t')!.tucker as { core: Tensor }).core.shape).toEqual(expected('cheb_gauss3d_12').chebyshev_tucker.ranks_eps_hosvd);
    expect((outputs.get('t')!.info as Metrics).compressionRatio!.value).toBeCloseTo(1728 / 37, 6);
    expect(maxDiff(outputs.get('e')!.tensor as Tensor, refNpy('cheb_gauss3d_12', 'test_interp_values.npy'))).toBeLessThan(1e-6);
  });

  it('refuses both inputs, no input, and points of the wrong width', async () => {
    const both = await run(
      graph(
        [
          { id: 'f', type: 'source.function', params: { expr: 'x', shape: [4] } },
          { id: 'c', type: 'transform.chebyshev' },
        ],
        [
          ['f', 'function', 'c', 'function'],
          ['f', 'tensor', 'c', 'samples'],
        ],
      ),
    );
    expect(both.nodes.c!.error).toMatch(/connect exactly one of the inputs 'function' and 'samples'/);
    const wide = await run(
      graph(
        [
          { id: 'f', type: 'source.function', params: { expr: 'x*y', shape: [4, 4] } },
          { id: 'c', type: 'transform.chebyshev', params: { n: 6 } },
          { id: 'e', type: 'evaluate.points', params: { points: 'cheb_gauss3d_12/test_points.npy' } },
        ],
        [
          ['f', 'function', 'c', 'function'],
          ['c', 'expansion', 'e', 'expansion'],
        ],
      ),
    );
    expect(wide.nodes.e!.error).toMatch(/cheb_gauss3d_12\/test_points\.npy has shape \[500×3\]; a 2-D expansion needs \[m, 2\]/);
  });
});
