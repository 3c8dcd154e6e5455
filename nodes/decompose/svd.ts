import { z } from 'zod';
import { Tensor, defineNode, entriesOf, formatShape, svdCost } from '../../engine';
import { decompositionInfo } from './info';

export const decomposeSvd = defineNode({
  type: 'decompose.svd',
  title: 'Truncated SVD',
  category: 'decompose',
  description: 'A ≈ U·diag(S)·Vᵀ of a matrix (or of a tensor unfolded along `mode`), rank by count, energy or error; exact (bidiagonalisation and divide and conquer, float64) or randomized (Halko et al.).',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'a matrix, or any tensor with `mode` set' }],
  outputs: [
    { name: 'svd', type: 'svd', doc: 'U (m×k), S (k), V (n×k)' },
    { name: 'spectrum', type: 'tensor', doc: 'every singular value computed, descending' },
    { name: 'info', type: 'metrics', doc: 'rank, energyKept, relError, params, compressionRatio' },
  ],
  params: z
    .object({
      rank: z.number().int().min(1).optional().describe('keep this many singular values (omit rank, energy and tol for the full SVD)'),
      energy: z.number().gt(0).max(1).optional().describe('keep the fewest values holding this fraction of Σs², e.g. 0.99'),
      tol: z.number().gt(0).max(1).optional().describe('keep the fewest values with ‖A − A_k‖F ≤ tol·‖A‖F'),
      method: z.enum(['exact', 'randomized']).default('exact').describe('exact: every singular value, float64 (Householder bidiagonalisation, divide and conquer; about 1 s at 1024², 5 s at 2048²); randomized: range finder, needs rank, under a second at 4096²'),
      oversample: z.number().int().min(0).max(1000).default(10).describe('randomized: extra random directions'),
      powerIters: z.number().int().min(0).max(50).default(4).describe('randomized: power iterations (re-orthonormalised)'),
      mode: z.number().int().min(0).max(31).optional().describe('unfold an N-D tensor along this mode first; omit for a matrix'),
      seed: z.number().int().min(0).default(0).describe('random seed (randomized)'),
    })
    .superRefine((p, ctx) => {
      const given = (['rank', 'energy', 'tol'] as const).filter((k) => p[k] !== undefined);
      if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `give one of rank, energy or tol, not ${given.join(' and ')}` });
    }),
  shapes({ tensor }, p) {
    if (!tensor) return {};
    const of = `the input ${formatShape(tensor)}`;
    if (p.mode !== undefined && p.mode >= tensor.length) return { problems: [{ param: 'mode', message: `mode ${p.mode} is out of range for ${of} (modes 0…${tensor.length - 1})` }] };
    if (p.mode === undefined && tensor.length !== 2) return { problems: [{ param: 'mode', message: `${of} is not a matrix: set 'mode' to unfold it along one mode (0…${Math.max(0, tensor.length - 1)})` }] };
    const m = p.mode === undefined ? tensor[0]! : tensor[p.mode]!;
    const n = entriesOf(tensor) / m;
    const most = Math.min(m, n);
    if (p.rank !== undefined && p.rank > most) {
      const what = p.mode === undefined ? `a ${m}×${n} matrix` : `the mode-${p.mode} unfolding (${m}×${n}) of ${of}`;
      return { problems: [{ param: 'rank', message: `rank ${p.rank} exceeds min(${m}, ${n}) = ${most}, the most ${what} has; use at most ${most}` }] };
    }
    return {};
  },
  cost({ tensor }, p) {
    if (!tensor || (p.mode === undefined && tensor.length !== 2) || (p.mode !== undefined && p.mode >= tensor.length)) return undefined;
    const m = p.mode === undefined ? tensor[0]! : tensor[p.mode]!;
    return svdCost(m, entriesOf(tensor) / m, p);
  },
  deviceInputs: true,
  async run({ tensor }, p, ctx) {
    let step = 0;
    const r = await ctx.backend.truncatedSvd(tensor, { ...p, random: ctx.random, onProgress: (message) => ctx.progress(++step, step + 1, message) });
    const spectrum = new Tensor([r.spectrum.length], Float32Array.from(r.spectrum));
    return {
      svd: { ...r.value, spectrum },
      spectrum,
      info: decompositionInfo(r.value, r.relError, {
        rank: { value: r.rank, unit: '', doc: 'singular values kept' },
        energyKept: { value: r.energyKept, unit: '', doc: 'Σ_{i<k} s_i² / Σ s_i²' },
      }),
    };
  },
});
