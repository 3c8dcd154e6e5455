// Metrics every decomposition node reports, so results read the same across methods.
import { Tensor, sizes, type Decomposition, type Metrics } from '../../engine';

export function decompositionInfo(value: Decomposition, relError: number, extra: Metrics = {}): Metrics {
  const { params, dense } = sizes(value);
  return {
    relError: { value: relError, unit: '', doc: '‖X − X̂‖F / ‖X‖F, from the reconstruction in float64' },
    params: { value: params, unit: 'values', doc: 'numbers stored by the decomposition' },
    compressionRatio: { value: dense / params, unit: '×', doc: 'dense size / stored size' },
    ...extra,
  };
}

/** The convergence trace as a 1-D tensor (relative error per sweep). */
export const traceTensor = (trace: readonly number[]): Tensor => new Tensor([trace.length], Float32Array.from(trace));

/** A sweep hook that reports progress (and so can be cancelled) with the method's name. */
export const sweepProgress = (ctx: { progress(value: number, max: number, message?: string): void }, label: string, max: number) => (i: number, e: number) =>
  ctx.progress(i + 1, max, `${label} iter ${i + 1}, rel. error ${e.toExponential(2)}`);
