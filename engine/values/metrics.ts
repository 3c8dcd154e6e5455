// Named scalars with units: what decompositions, comparisons and sizes report.
import type { ValueKind } from './kind';

/** A named scalar with its unit ('' for dimensionless ratios, 'dB' for decibels). */
export interface Metric {
  value: number;
  unit: string;
  doc?: string;
}
/** Metric name → metric. The one untagged kind (its keys are the metrics' names): a metrics value
 * travels only on ports of type 'metrics', never on an input that takes several kinds. */
export type Metrics = Record<string, Metric>;

export const metricsKind = {
  kind: 'metrics',
  doc: 'named scalars with units (relError, params, compressionRatio, PSNR…)',
  color: '#f59e0b',
  example: (): Metrics => ({ relError: { value: 0.01, unit: '' }, psnr: { value: 40, unit: 'dB' } }),
  summary: (m) => ({ metrics: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { value: v.value, unit: v.unit }])) }),
  tensors: () => [],
  preview: async () => null,
  noPreview: 'the node lists the metrics themselves, each with its unit',
} satisfies ValueKind<'metrics', Metrics>;
