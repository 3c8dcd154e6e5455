import { z } from 'zod';
import { chebyshevCoefficients, chebyshevNodes, chebyshevSizeProblem, formatShape, type FunctionValue, type Tensor } from '../../engine';
import type { RefinementCtx } from 'zod';

export const nParam = z
  .union([z.number().int().min(1).max(4096), z.array(z.number().int().min(1).max(4096)).min(1)])
  .default(16)
  .describe('Chebyshev points per dimension (one number, or one per dimension)');
export const domainParam = z
  .array(z.tuple([z.number(), z.number()]))
  .min(1)
  .optional()
  .describe('[lo, hi] per dimension; default: the function’s own domain (required with samples)');

/** Refuses, at validation, an `n` that lists sizes too large to interpolate (a single number is
 * checked at run time, once the function's dimension is known). */
export function checkN(p: { n: number | number[] }, ctx: RefinementCtx): void {
  const tooBig = Array.isArray(p.n) ? chebyshevSizeProblem(p.n) : null;
  if (tooBig) ctx.addIssue({ code: 'custom', path: ['n'], message: tooBig });
}

/**
 * The coefficient tensor of f interpolated at n first-kind Chebyshev points per dimension, from a
 * function (sampled here, in float64) or from samples already taken at those points.
 */
export function coefficientsFrom(
  fn: FunctionValue | undefined,
  samples: Tensor | undefined,
  n: number | number[],
  domainOverride: [number, number][] | undefined,
): { coefficients: Float64Array; shape: number[]; domain: [number, number][] } {
  if ((fn === undefined) === (samples === undefined)) throw new Error(`connect exactly one of the inputs 'function' and 'samples'`);
  const d = fn ? fn.domain.length : samples!.ndim;
  const domainSrc = domainOverride ?? fn?.domain;
  if (!domainSrc) throw new Error(`param 'domain' is needed with 'samples': give [lo, hi] per dimension (${d})`);
  if (domainSrc.length !== d && domainSrc.length !== 1) throw new Error(`param 'domain' has ${domainSrc.length} intervals for a ${d}-D function; give ${d} or one for all`);
  const domain = Array.from({ length: d }, (_, i) => [...domainSrc[domainSrc.length === 1 ? 0 : i]!] as [number, number]);
  for (const [i, [lo, hi]] of domain.entries()) if (!(hi > lo)) throw new Error(`param 'domain': interval ${i} is [${lo}, ${hi}]; it needs lo < hi`);
  if (samples) {
    // (as decompose.chebyshev-tucker: a 0-point expansion is no function)
    if (samples.shape.some((n) => n < 1)) throw new Error(`input 'samples' has shape ${formatShape(samples.shape)}: every axis needs at least one sample point; check the source's shape`);
    const tooBig = chebyshevSizeProblem(samples.shape);
    if (tooBig) throw new Error(`input 'samples': ${tooBig}`);
    return { coefficients: chebyshevCoefficients(Float64Array.from(samples.data), samples.shape), shape: [...samples.shape], domain };
  }
  const shape = typeof n === 'number' ? Array(d).fill(n) : n;
  if (shape.length !== d) throw new Error(`param 'n' lists ${shape.length} sizes for a ${d}-D function ${formatShape(shape)}`);
  const tooBig = chebyshevSizeProblem(shape);
  if (tooBig) throw new Error(`param 'n': ${tooBig}`);
  const grid = shape.map((k, i) => chebyshevNodes(k, domain[i]![0], domain[i]![1]));
  const values = fn!.sampleGrid(grid);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`the function is ${values[bad]} at a Chebyshev point; change the expression or the domain so it stays finite`);
  return { coefficients: chebyshevCoefficients(values, shape), shape, domain };
}
