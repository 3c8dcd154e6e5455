import { z } from 'zod';
import { defineNode, errorRatio, formatShape, sameShape, type Metrics, type Tensor } from '../../engine';

/** Error metrics of an approximation against a reference, all accumulated in float64. */
export function compareTensors(reference: Tensor, approx: Tensor): Metrics {
  let refSq = 0;
  let errSq = 0;
  let maxAbs = 0;
  let peak = 0;
  const r = reference.data;
  const a = approx.data;
  for (let i = 0; i < r.length; i++) {
    const e = r[i]! - a[i]!;
    refSq += r[i]! * r[i]!;
    errSq += e * e;
    maxAbs = Math.max(maxAbs, Math.abs(e));
    peak = Math.max(peak, Math.abs(r[i]!));
  }
  const mse = errSq / Math.max(1, r.length);
  return {
    relError: { value: errorRatio(Math.sqrt(errSq), Math.sqrt(refSq)), unit: '', doc: '‖reference − approx‖F / ‖reference‖F (0 when both are zero)' },
    maxAbsError: { value: maxAbs, unit: '', doc: 'max |reference − approx|' },
    psnr: { value: errSq === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse), unit: 'dB', doc: 'peak signal-to-noise ratio, peak = max |reference|' },
    snr: { value: errSq === 0 ? Infinity : 10 * Math.log10(refSq / errSq), unit: 'dB', doc: '‖reference‖² / ‖reference − approx‖²' },
  };
}

export const metricsCompare = defineNode({
  type: 'metrics.compare',
  title: 'Compare',
  category: 'metrics',
  description: 'Relative Frobenius error, max abs error, PSNR and SNR of an approximation against a reference.',
  typeVersion: 1,
  inputs: [
    { name: 'reference', type: 'tensor', doc: 'the original tensor' },
    { name: 'approx', type: 'tensor', doc: 'the approximation, same shape' },
  ],
  outputs: [{ name: 'metrics', type: 'metrics', doc: 'relError, maxAbsError, psnr (dB), snr (dB)' }],
  params: z.object({}),
  run({ reference, approx }) {
    if (!sameShape(reference.shape, approx.shape)) {
      throw new Error(
        `inputs 'reference' ${formatShape(reference.shape)} and 'approx' ${formatShape(approx.shape)} differ in shape; connect tensors of the same shape (reconstruct the decomposition first)`,
      );
    }
    if (reference.size === 0) throw new Error(`input 'reference' is empty ${formatShape(reference.shape)}; there is nothing to compare`);
    // An all-zero reference has a relative error only when the approximation is exact (then 0).
    if (!reference.data.some((v) => v !== 0) && approx.data.some((v) => v !== 0)) {
      throw new Error(`input 'reference' is all zeros and 'approx' is not, so the relative error is undefined; compare against a non-zero tensor`);
    }
    return { metrics: compareTensors(reference, approx) };
  },
});
