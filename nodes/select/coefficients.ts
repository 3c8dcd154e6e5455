import { z } from 'zod';
import { Tensor, defineNode } from '../../engine';

/** Keeps the coefficients of largest magnitude and zeroes the rest (ties broken by index). */
export function selectCoefficients(x: Tensor, keep: 'count' | 'fraction' | 'threshold', value: number): { tensor: Tensor; kept: number } {
  let count: number;
  if (keep === 'threshold') count = x.data.reduce((n, v) => n + (Math.abs(v) >= value ? 1 : 0), 0);
  else count = Math.min(x.size, keep === 'count' ? value : Math.round(value * x.size));
  const order = Array.from({ length: x.size }, (_, i) => i).sort((a, b) => Math.abs(x.data[b]!) - Math.abs(x.data[a]!) || a - b);
  const out = new Tensor(x.shape);
  for (const i of order.slice(0, count)) out.data[i] = x.data[i]!;
  return { tensor: out, kept: count };
}

export const selectCoefficientsNode = defineNode({
  type: 'select.coefficients',
  title: 'Select coefficients',
  category: 'transform',
  description: 'Keeps the largest-magnitude entries (by count, fraction or threshold) and zeroes the rest, as transform-domain adapters (LoCA, QWHA) select coefficients.',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'coefficients' }],
  outputs: [
    { name: 'tensor', type: 'tensor', doc: 'the sparsified tensor, same shape' },
    { name: 'info', type: 'metrics', doc: 'kept, keptFraction, energyKept' },
  ],
  params: z
    .object({
      keep: z.enum(['count', 'fraction', 'threshold']).default('fraction').describe('how `value` is read'),
      value: z.number().min(0).default(0.05).describe('count: how many; fraction: of all entries (0…1); threshold: keep |c| ≥ value'),
    })
    .superRefine((p, ctx) => {
      if (p.keep === 'fraction' && p.value > 1) ctx.addIssue({ code: 'custom', path: ['value'], message: `a fraction is at most 1, got ${p.value}` });
      if (p.keep === 'count' && !Number.isInteger(p.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `a count is a whole number, got ${p.value}` });
    }),
  run({ tensor }, p) {
    const { tensor: out, kept } = selectCoefficients(tensor, p.keep, p.value);
    const energy = (t: Tensor) => t.data.reduce((s, v) => s + v * v, 0);
    const total = energy(tensor);
    return {
      tensor: out,
      info: {
        kept: { value: kept, unit: 'values', doc: 'entries kept' },
        keptFraction: { value: kept / Math.max(1, tensor.size), unit: '', doc: 'kept / all entries' },
        energyKept: { value: total === 0 ? 1 : energy(out) / total, unit: '', doc: 'Σ kept² / Σ all²' },
      },
    };
  },
});
