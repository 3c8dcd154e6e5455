import { z } from 'zod';
import { Tensor, defineNode } from '../../engine';
import { decompositionInfo, sweepProgress } from './info';
import { checkN, coefficientsFrom, domainParam, nParam } from '../common/chebyshev';

export const decomposeChebyshevTucker = defineNode({
  type: 'decompose.chebyshev-tucker',
  title: 'Chebyshev-Tucker',
  category: 'decompose',
  description: 'The mesh-free two-level format: Chebyshev coefficients of f, then their Tucker decomposition (HOOI), evaluable at arbitrary points.',
  typeVersion: 1,
  inputs: [
    { name: 'function', type: 'function', doc: 'f to approximate', optional: true },
    { name: 'samples', type: 'tensor', doc: 'or: samples at the Chebyshev points', optional: true },
  ],
  outputs: [
    { name: 'tucker', type: 'tucker', doc: 'Tucker form of the coefficient tensor' },
    { name: 'expansion', type: 'chebyshev', doc: 'the expansion in Tucker form, for evaluate.points' },
    { name: 'info', type: 'metrics', doc: 'relError (of the coefficients), params, compressionRatio' },
  ],
  params: z
    .object({
      n: nParam,
      domain: domainParam,
      ranks: z.array(z.number().int().min(1)).optional().describe('Tucker ranks of the coefficient tensor, one per dimension'),
      eps: z.number().gt(0).max(1).optional().describe('or: relative error target for the coefficient tensor (sets the ranks)'),
    })
    .superRefine((p, ctx) => {
      checkN(p, ctx);
      // Say which of the two mistakes it is.
      if (p.ranks === undefined && p.eps === undefined) ctx.addIssue({ code: 'custom', path: ['ranks'], message: 'give ranks (one per axis, e.g. 8, 8) or eps (a relative error, e.g. 1e-6): neither is set' });
      else if (p.ranks !== undefined && p.eps !== undefined) ctx.addIssue({ code: 'custom', path: ['ranks'], message: 'give ranks or eps, not both: remove one' });
    }),
  async run({ function: fn, samples }, p, ctx) {
    const { coefficients, shape, domain } = coefficientsFrom(fn, samples, p.n, p.domain as [number, number][] | undefined);
    const c = new Tensor(shape, Float32Array.from(coefficients));
    const r = await ctx.backend.tucker(c, {
      ...(p.ranks ? { ranks: p.ranks } : {}),
      ...(p.eps !== undefined ? { eps: p.eps } : {}),
      method: 'hooi',
      init: 'svd',
      maxIter: 100,
      tol: 1e-10,
      random: ctx.random,
      onIteration: sweepProgress(ctx, 'HOOI', 100),
    });
    const value = { kind: 'tucker' as const, core: r.core, factors: r.factors };
    return { tucker: value, expansion: { kind: 'chebyshev' as const, domain, coefficients: value }, info: decompositionInfo(value, r.relError) };
  },
});
