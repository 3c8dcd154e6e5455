import { z } from 'zod';
import { defineNode, layerMacs, rankForEnergy, layerShapes, layersOf, modelInputShape, singularValuesOf, weightTensor, type LayerShapes, type TableValue } from '../../engine';
import { externalReader, runnableModel } from '../source/onnx';

export const modelLayers = defineNode({
  type: 'model.layers',
  title: 'Model layers',
  category: 'model',
  description: 'Every compressible layer of a model — MatMul, Gemm, Conv and ConvTranspose with a constant weight — with its weight as a matrix (rows × cols), params, its multiply–accumulates on one input (the model run once on zeros; symbolic input dims from param dims), the largest rank, and a summary of its spectrum: the stable rank ‖W‖²_F / σ₁² and the ranks keeping 90 % and 99 % of ‖W‖²_F.',
  typeVersion: 1,
  inputs: [{ name: 'model', type: 'model', doc: 'an ONNX model' }],
  outputs: [{ name: 'table', type: 'table', doc: 'one row per layer (labelled "name · op shape"): params, rows, cols, maxRank, stableRank, rank90, rank99, macs (per item of the input\'s first axis; NaN where the input shape is not known or the host runs no models)' }],
  params: z.object({
    spectrum: z.boolean().default(true).describe('summarise each weight\'s spectrum (a Gram eigendecomposition per layer)'),
    dims: z.record(z.string(), z.number().int().min(1)).default({}).describe('sizes of the model input\'s symbolic dims (e.g. {"batch": 1, "width": 320}), for the MACs'),
  }),
  async run({ model }, p, ctx) {
    const layers = layersOf(model.proto);
    const read = externalReader(ctx, model.name);
    // MACs: the shapes of one run on zeros, where the input shape is known and the host runs models.
    const input = modelInputShape(model.proto, p.dims);
    if (input.missing.length && Object.keys(p.dims).length) throw new Error(`param 'dims': give the model input's symbolic dims ${input.missing.map((d) => `'${d}'`).join(', ')} too`);
    const shapes: LayerShapes | null = ctx.models && !input.missing.length && layers.length ? await layerShapes(ctx.models, await runnableModel(ctx, model), layers, input.shape, `input 'model' (${model.name})`) : null;
    const items = input.shape[0] ?? 1;
    const rows: number[][] = [];
    const labels: string[] = [];
    for (const [i, l] of layers.entries()) {
      ctx.progress(i, layers.length, l.name);
      const params = l.rows * l.cols;
      let summary = [NaN, NaN, NaN];
      if (p.spectrum) {
        const s = singularValuesOf((await weightTensor(l.tensor, read)).data, l.rows, l.cols);
        const e2 = s.reduce((a, x) => a + x * x, 0);
        summary = [s[0]! > 0 ? e2 / s[0]! ** 2 : 0, rankForEnergy(s, 0.9), rankForEnergy(s, 0.99)];
      }
      const shape = shapes?.get(l.name);
      rows.push([params, l.rows, l.cols, Math.min(l.rows, l.cols), ...summary, shape ? layerMacs(l, shape.x, shape.y) / items : NaN]);
      labels.push(`${l.name} · ${l.op} ${l.shape.join('×')}`);
    }
    const table: TableValue = { kind: 'table', columns: ['params', 'rows', 'cols', 'maxRank', 'stableRank', 'rank90', 'rank99', 'macs'], rows, labels };
    return { table };
  },
});
