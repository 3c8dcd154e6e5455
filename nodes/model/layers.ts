import { z } from 'zod';
import { defineNode, layersOf, singularValuesOf, weightTensor, type TableValue } from '../../engine';
import { externalReader } from '../source/onnx';

export const modelLayers = defineNode({
  type: 'model.layers',
  title: 'Model layers',
  category: 'model',
  description: 'Every compressible layer of a model — MatMul, Gemm, Conv and ConvTranspose with a constant weight — with its weight as a matrix (rows × cols), params, the largest rank, and a summary of its spectrum: the stable rank ‖W‖²_F / σ₁² and the ranks keeping 90 % and 99 % of ‖W‖²_F.',
  typeVersion: 1,
  inputs: [{ name: 'model', type: 'model', doc: 'an ONNX model' }],
  outputs: [{ name: 'table', type: 'table', doc: 'one row per layer (labelled "name · op shape"): params, rows, cols, maxRank, stableRank, rank90, rank99' }],
  params: z.object({
    spectrum: z.boolean().default(true).describe('summarise each weight\'s spectrum (a Gram eigendecomposition per layer)'),
  }),
  async run({ model }, p, ctx) {
    const layers = layersOf(model.proto);
    const read = externalReader(ctx, model.name);
    const rows: number[][] = [];
    const labels: string[] = [];
    for (const [i, l] of layers.entries()) {
      ctx.progress(i, layers.length, l.name);
      const params = l.rows * l.cols;
      let summary = [NaN, NaN, NaN];
      if (p.spectrum) {
        const s = singularValuesOf((await weightTensor(l.tensor, read)).data, l.rows, l.cols);
        const e2 = s.reduce((a, x) => a + x * x, 0);
        const keep = (f: number) => {
          let acc = 0;
          for (let k = 0; k < s.length; k++) if ((acc += s[k]! ** 2) >= f * e2) return k + 1;
          return s.length;
        };
        summary = [s[0]! > 0 ? e2 / s[0]! ** 2 : 0, keep(0.9), keep(0.99)];
      }
      rows.push([params, l.rows, l.cols, Math.min(l.rows, l.cols), ...summary]);
      labels.push(`${l.name} · ${l.op} ${l.shape.join('×')}`);
    }
    const table: TableValue = { kind: 'table', columns: ['params', 'rows', 'cols', 'maxRank', 'stableRank', 'rank90', 'rank99'], rows, labels };
    return { table };
  },
});
