import { z } from 'zod';
import { defineNode, formatShape, pad, sizeProblem, type Shape } from '../../engine';

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
  shapes({ tensor }, p) {
    if (!tensor) return {};
    const planned = plan(tensor, p);
    if (typeof planned === 'string') return { problems: [{ param: 'widths', message: planned }] };
    return planned.problem ? { problems: [planned.problem] } : { outputs: { tensor: planned.shape } };
  },
  run({ tensor }, p) {
    const planned = plan(tensor.shape, p);
    if (typeof planned === 'string') throw new Error(`param 'widths': ${planned}`);
    if (planned.problem) throw new Error(`param '${planned.problem.param}': ${planned.problem.message}`);
    return { tensor: pad(tensor, planned.widths, p.mode, p.value) };
  },
});

type PadParams = { widths?: [number, number][] | undefined; multipleOf?: number | undefined; powerOfTwo: boolean };

/** The widths per axis and the padded shape (checked against the size limit), or why the widths do not fit the input. */
function plan(shape: Shape, p: PadParams): string | { widths: [number, number][]; shape: number[]; problem?: { param: string; message: string } } {
  let widths: [number, number][];
  if (p.widths) {
    if (p.widths.length !== 1 && p.widths.length !== shape.length) return `${p.widths.length} pairs for the input ${formatShape(shape)} of ${shape.length} axes; give one pair per axis or one for all`;
    widths = shape.map((_, i) => p.widths![p.widths!.length === 1 ? 0 : i]!);
  } else {
    const target = (n: number) => (p.multipleOf ? Math.ceil(n / p.multipleOf) * p.multipleOf : 2 ** Math.ceil(Math.log2(Math.max(1, n))));
    widths = shape.map((n) => [0, target(n) - n]);
  }
  const out = shape.map((n, i) => n + widths[i]![0] + widths[i]![1]);
  const tooBig = sizeProblem(out);
  const param = p.widths ? 'widths' : p.multipleOf ? 'multipleOf' : 'powerOfTwo';
  return { widths, shape: out, ...(tooBig ? { problem: { param, message: `the padded tensor would be ${tooBig}; pad less` } } : {}) };
}
