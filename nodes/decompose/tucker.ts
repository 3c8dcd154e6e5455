import { z } from 'zod';
import { defineNode, formatShape, tuckerCost } from '../../engine';
import { decompositionInfo, sweepProgress, traceTensor } from './info';

export const decomposeTucker = defineNode({
  type: 'decompose.tucker',
  title: 'Tucker (HOOI / HOSVD)',
  category: 'decompose',
  description: 'X ≈ G ×₀ U₀ ×₁ U₁ … by truncated HOSVD or HOOI (TensorLy conventions); ranks per mode, or eps for a relative error target.',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'the tensor to decompose' }],
  outputs: [
    { name: 'tucker', type: 'tucker', doc: 'core and factor matrices' },
    { name: 'trace', type: 'tensor', doc: 'relative error estimate after each HOOI sweep' },
    { name: 'info', type: 'metrics', doc: 'relError, iterations, params, compressionRatio' },
  ],
  params: z
    .object({
      ranks: z
        .array(z.number().int().min(1).nullable())
        .optional()
        .describe('one rank per mode (per listed mode when `modes` is set); null or a missing entry keeps that mode full'),
      eps: z.number().gt(0).max(1).optional().describe('instead of ranks: the smallest ranks whose truncated HOSVD error is ≤ eps'),
      method: z.enum(['hooi', 'hosvd']).default('hooi').describe('hooi: higher-order orthogonal iteration; hosvd: truncated HOSVD only'),
      init: z.enum(['svd', 'random']).default('svd').describe('HOOI start: sequentially truncated HOSVD, or random orthonormal factors'),
      maxIter: z.number().int().min(0).max(100000).default(100).describe('HOOI sweeps at most'),
      tol: z.number().min(0).default(1e-8).describe('HOOI stops when the error estimate changes by less than this'),
      modes: z.array(z.number().int().min(0)).min(1).optional().describe('decompose only these modes (e.g. [0, 1]: Tucker-2 of a conv kernel)'),
      seed: z.number().int().min(0).default(0).describe('random seed (init random)'),
    })
    .superRefine((p, ctx) => {
      if (p.ranks === undefined && p.eps === undefined) ctx.addIssue({ code: 'custom', path: ['ranks'], message: 'give ranks (one per mode) or eps (a relative error target)' });
      if (p.ranks !== undefined && p.eps !== undefined) ctx.addIssue({ code: 'custom', path: ['eps'], message: 'give ranks or eps, not both' });
      if (p.modes && p.ranks && p.ranks.length > p.modes.length) ctx.addIssue({ code: 'custom', path: ['ranks'], message: `${p.ranks.length} ranks for ${p.modes.length} modes: give one rank per listed mode` });
    }),
  shapes({ tensor }, p) {
    if (!tensor || !p.ranks) return {};
    const d = tensor.length;
    const of = `the input ${formatShape(tensor)}`;
    if (p.modes) {
      const bad = p.modes.find((m) => m >= d);
      if (bad !== undefined) return { problems: [{ param: 'modes', message: `mode ${bad} is out of range for ${of} (modes 0…${d - 1})` }] };
    } else if (p.ranks.length > d) return { problems: [{ param: 'ranks', message: `${p.ranks.length} ranks for the ${d} modes of ${of}; give one per mode` }] };
    const modes = p.modes ?? p.ranks.map((_, m) => m);
    const problems = p.ranks.flatMap((r, i) => {
      const m = modes[i]!;
      return r !== null && r > tensor[m]! ? [{ param: 'ranks', message: `rank ${r} on mode ${m} exceeds that mode's size ${tensor[m]} (${of}); use at most ${tensor[m]}` }] : [];
    });
    return { problems };
  },
  cost({ tensor }, p) {
    if (!tensor || tensor.length === 0 || (p.modes ?? []).some((m) => m >= tensor.length)) return undefined;
    const entries = tensor.reduce((a, b) => a * b, 1);
    // Each mode's rank as the run spreads them; a mode left full or chosen by eps counts at the
    // largest rank it can have.
    const ranks = tensor.map((n, m) => {
      const given = p.ranks ? (p.modes ? (p.modes.includes(m) ? p.ranks[p.modes.indexOf(m)] : undefined) : p.ranks[m]) : undefined;
      return given ?? Math.min(n, entries / n);
    });
    return tuckerCost(tensor, { ranks, method: p.method, maxIter: p.maxIter, ...(p.modes ? { modes: p.modes } : {}) });
  },
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    if (p.ranks && !p.modes && p.ranks.length > tensor.ndim) throw new Error(`param 'ranks' has ${p.ranks.length} entries but the input has ${tensor.ndim} modes`);
    // Ranks are given per listed mode; spread them over all modes.
    const perMode = p.ranks ? tensor.shape.map((_, m) => (p.modes ? (p.modes.includes(m) ? (p.ranks![p.modes.indexOf(m)] ?? null) : null) : (p.ranks![m] ?? null))) : undefined;
    const r = await ctx.backend.tucker(tensor, {
      ...(perMode ? { ranks: perMode } : {}),
      ...(p.eps !== undefined ? { eps: p.eps } : {}),
      ...(p.modes ? { modes: p.modes } : {}),
      method: p.method,
      init: p.init,
      maxIter: p.maxIter,
      tol: p.tol,
      random: ctx.random,
      onIteration: sweepProgress(ctx, 'HOOI', p.maxIter),
    });
    const value = { kind: 'tucker' as const, core: r.core, factors: r.factors };
    return {
      tucker: value,
      trace: traceTensor(r.trace),
      info: decompositionInfo(value, r.relError, { iterations: { value: r.iterations, unit: '', doc: 'HOOI sweeps run' } }),
    };
  },
});
