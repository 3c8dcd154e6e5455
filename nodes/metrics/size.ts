import { z } from 'zod';
import { DECOMPOSITIONS, defineNode, sizes } from '../../engine';

export const metricsSize = defineNode({
  type: 'metrics.size',
  title: 'Size',
  category: 'metrics',
  description: 'How many numbers a tensor or decomposition stores, against the dense tensor it stands for.',
  typeVersion: 1,
  inputs: [{ name: 'value', type: ['tensor', ...DECOMPOSITIONS], doc: 'a tensor or any decomposition' }],
  outputs: [{ name: 'metrics', type: 'metrics', doc: 'params, denseParams, compressionRatio' }],
  params: z.object({}),
  run({ value }) {
    const { params, dense } = sizes(value);
    if (params === 0) throw new Error(`input 'value' stores no numbers (an empty tensor or decomposition: dense size ${dense}); a compression ratio of nothing is undefined — check the source's shape`);
    return {
      metrics: {
        params: { value: params, unit: 'values', doc: 'numbers stored' },
        denseParams: { value: dense, unit: 'values', doc: 'entries of the dense tensor' },
        compressionRatio: { value: dense / params, unit: '×', doc: 'denseParams / params' },
      },
    };
  },
});
