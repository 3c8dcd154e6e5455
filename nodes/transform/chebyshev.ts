import { z } from 'zod';
import { Tensor, defineNode } from '../../engine';
import { checkN, coefficientsFrom, domainParam, nParam } from '../common/chebyshev';

export const transformChebyshev = defineNode({
  type: 'transform.chebyshev',
  title: 'Chebyshev interpolation',
  category: 'transform',
  description: 'Coefficients c[k₀,k₁,…] of the Chebyshev interpolant at first-kind points (via a DCT; 1-D equals numpy chebinterpolate), and the expansion, evaluable anywhere.',
  typeVersion: 1,
  inputs: [
    { name: 'function', type: 'function', doc: 'f to interpolate (e.g. source.function)', optional: true },
    { name: 'samples', type: 'tensor', doc: 'or: f already sampled at the Chebyshev points (numpy chebpts1 order)', optional: true },
  ],
  outputs: [
    { name: 'coefficients', type: 'tensor', doc: 'c[k₀, k₁, …] on the domain mapped to [−1, 1]' },
    { name: 'expansion', type: 'chebyshev', doc: 'coefficients + domain, for evaluate.points' },
  ],
  params: z.object({ n: nParam, domain: domainParam }).superRefine(checkN),
  run({ function: fn, samples }, p) {
    const { coefficients, shape, domain } = coefficientsFrom(fn, samples, p.n, p.domain as [number, number][] | undefined);
    const c = new Tensor(shape, Float32Array.from(coefficients));
    return { coefficients: c, expansion: { kind: 'chebyshev' as const, domain, coefficients: c } };
  },
});
