import { z } from 'zod';
import { RATES, checkFinite, defineNode, formatShape, pluckerSize, sourceSizeProblem } from '../../engine';

export const grassmannFlow = defineNode({
  type: 'grassmann.flow',
  title: 'Grassmann flow features',
  category: 'grassmann',
  description: 'The Plücker features of a sequence as the Grassmann-flow mixer computes them (arXiv 2512.19428): for each step t the mean, over the lags Δ with t − Δ ≥ 0, of the normalised Plücker coordinates p(z_t, z_{t−Δ}) / max(‖p‖, 1e-8) — the planes a step spans with its past. Zeros where no lag fits (the first step). The learned maps of the paper are not part of this node.',
  typeVersion: 1,
  inputs: [{ name: 'z', type: 'tensor', doc: '[T, r]: the reduced vectors of a sequence, one step per row' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: '[T, r(r−1)/2] features, one row per step' }],
  params: z.object({
    lags: z.array(z.number().int().min(1)).min(1).max(64).default([1, 2, 4, 8, 12, 16]).describe('the offsets Δ to pair each step with'),
  }),
  shapes({ z: x }) {
    if (!x) return {};
    if (x.length !== 2) return { problems: [{ input: 'z', message: `is ${formatShape(x)}; give a sequence [T, r]` }] };
    if (x[1]! < 2) return { problems: [{ input: 'z', message: `has r = ${x[1]}; Plücker features need r ≥ 2` }] };
    const out = [x[0]!, pluckerSize(x[1]!)];
    const big = sourceSizeProblem(out);
    return big ? { problems: [{ input: 'z', message: `its features would be ${big}` }] } : { outputs: { tensor: out } };
  },
  cost({ z: x }, p) {
    if (!x || x.length !== 2) return undefined;
    const [t, r] = x as [number, number];
    return { seconds: (t * p.lags.length * 3 * pluckerSize(r)) / RATES.scalar, what: `${t} steps × ${p.lags.length} lags × ${pluckerSize(r)} coordinates`, fix: { param: 'lags', hint: 'use fewer lags, or a shorter or narrower sequence' } };
  },
  async run({ z: x }, p, ctx) {
    if (x.ndim !== 2) throw new Error(`input 'z' is ${formatShape(x.shape)}; give a sequence [T, r] (one step per row)`);
    const [steps, r] = x.shape as [number, number];
    if (r < 2) throw new Error(`input 'z' has r = ${r}; Plücker features need vectors of length r ≥ 2`);
    const width = pluckerSize(r);
    const big = sourceSizeProblem([steps, width]);
    if (big) throw new Error(`the features of ${formatShape(x.shape)} would be ${big}`);
    checkFinite(x, "input 'z'");
    const out = await ctx.backend.grassmannFlow(x, p.lags, (t, steps) => ctx.progress(t, steps, `step ${t + 1} of ${steps}`));
    return { tensor: out };
  },
});
