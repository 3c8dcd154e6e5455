import { z } from 'zod';
import { defineNode, formatShape, pad, sizeProblem } from '../../engine';

export const tensorPad = defineNode({
  type: 'tensor.pad',
  title: 'Pad',
  category: 'tensor',
  description: 'numpy.pad: explicit [before, after] widths per axis, or up to a multiple / the next power of two on every axis (padding after).',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'padded' }],
  params: z
    .object({
      widths: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).min(1).optional().describe('[before, after] per axis (one pair applies to every axis)'),
      multipleOf: z.number().int().min(1).optional().describe('pad each axis up to a multiple of this (e.g. 2^levels for the DWT)'),
      powerOfTwo: z.boolean().default(false).describe('pad each axis up to the next power of two (for the WHT)'),
      mode: z.enum(['constant', 'edge', 'reflect', 'wrap']).default('constant').describe('numpy.pad mode'),
      value: z.number().default(0).describe('fill value for constant mode'),
    })
    .superRefine((p, ctx) => {
      const n = [p.widths !== undefined, p.multipleOf !== undefined, p.powerOfTwo].filter(Boolean).length;
      if (n !== 1) ctx.addIssue({ code: 'custom', path: ['widths'], message: 'give exactly one of widths, multipleOf or powerOfTwo' });
    }),
  run({ tensor }, p) {
    let widths: [number, number][];
    if (p.widths) {
      if (p.widths.length !== 1 && p.widths.length !== tensor.ndim) throw new Error(`param 'widths' has ${p.widths.length} pairs but the input ${formatShape(tensor.shape)} has ${tensor.ndim} axes; give one pair per axis or one for all`);
      widths = tensor.shape.map((_, i) => p.widths![p.widths!.length === 1 ? 0 : i]!);
    } else {
      const target = (n: number) => (p.multipleOf ? Math.ceil(n / p.multipleOf) * p.multipleOf : 2 ** Math.ceil(Math.log2(Math.max(1, n))));
      widths = tensor.shape.map((n) => [0, target(n) - n]);
    }
    const tooBig = sizeProblem(tensor.shape.map((n, i) => n + widths[i]![0] + widths[i]![1]));
    const param = p.widths ? 'widths' : p.multipleOf ? 'multipleOf' : 'powerOfTwo';
    if (tooBig) throw new Error(`param '${param}': the padded tensor would be ${tooBig}; pad less`);
    return { tensor: pad(tensor, widths, p.mode, p.value) };
  },
});
