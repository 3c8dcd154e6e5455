import { z } from 'zod';
import { defineNode, energyCurves, layerMacs, rankForEnergy, layerShapes, layersOf, modelInputShape, singularValuesOf, weightTensor, type LayerShapes, type TableValue } from '../../engine';
import { externalReader, runnableModel } from '../source/onnx';
import { show } from '../view/common';



export const modelLayers = defineNode({
  type: 'model.layers',
  title: 'Model layers',
  category: 'model',
  description: 'Every compressible layer of a model — MatMul, Gemm, Conv and ConvTranspose with a constant weight — with its weight as a matrix (rows × cols), params, its multiply–accumulates on one input (the model run once on zeros; symbolic input dims from param dims), the largest rank, and a summary of its spectrum: the stable rank ‖W‖²_F / σ₁² and the ranks keeping 90 % and 99 % of ‖W‖²_F. For one layer (param layer) it plots the energy curves: the relative weight error against the params kept by a truncated SVD, the largest DCT, WHT and wavelet coefficients (values and positions) and low-rank wavelet subbands — which representation compacts that layer, before compressing.',
  typeVersion: 1,
  inputs: [{ name: 'model', type: 'model', doc: 'an ONNX model' }],
  outputs: [
    { name: 'table', type: 'table', doc: 'one row per layer (labelled "name · op shape"): params, rows, cols, maxRank, stableRank, rank90, rank99, macs (per item of the input\'s first axis; NaN where the input shape is not known or the host runs no models)' },
    { name: 'curves', type: 'table', doc: 'the energy curves of the layer in param layer: one row per point (labelled by its representation: svd, dct, wht, dwt, lowrank-subbands), params kept, kept (params / the layer\'s), relError ‖W − Ŵ‖/‖W‖' },
  ],
  params: z.object({
    spectrum: z.boolean().default(true).describe('summarise each weight\'s spectrum (a Gram eigendecomposition per layer)'),
    dims: z.record(z.string(), z.number().int().min(1)).default({}).describe('sizes of the model input\'s symbolic dims (e.g. {"batch": 1, "width": 320}), for the MACs'),
    layer: z.string().min(1).optional().describe('the layer whose energy curves are plotted (default: the one with the most params)'),
    wavelet: z.enum(['haar', 'db2', 'db4', 'sym4']).default('db4').describe('the wavelet of the dwt and lowrank-subbands curves'),
    levels: z.number().int().min(1).max(8).default(1).describe('their levels'),
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
    // The energy curves of one layer.
    if (p.layer !== undefined && !layers.some((l) => l.name === p.layer)) throw new Error(`param 'layer': no compressible layer named '${p.layer}' (e.g. ${layers.slice(0, 4).map((l) => l.name).join(', ')})`);
    const chosen = layers.find((l) => l.name === p.layer) ?? layers.reduce<(typeof layers)[number] | undefined>((a, l) => (!a || l.rows * l.cols > a.rows * a.cols ? l : a), undefined);
    const curves: TableValue = { kind: 'table', columns: ['params', 'kept', 'relError'], rows: [], labels: [] };
    if (chosen) {
      ctx.progress(layers.length, layers.length, `energy curves of ${chosen.name}`);
      const size = chosen.rows * chosen.cols;
      for (const c of await energyCurves((await weightTensor(chosen.tensor, read)).data, chosen.rows, chosen.cols, { wavelet: p.wavelet, levels: p.levels })) {
        c.params.forEach((n, i) => {
          curves.rows.push([n, n / size, c.relError[i]!]);
          curves.labels!.push(c.method);
        });
      }
      // On a log scale: the points short of an exact fit.
      const drawn = curves.rows.map((r, i) => ({ x: r[1]!, y: r[2]!, series: curves.labels![i]! })).filter((d) => d.y > 1e-7);
      await show(ctx, { kind: 'plot', plot: 'curves', title: `${chosen.name} (${chosen.op} ${chosen.shape.join('×')}): weight error vs params kept`, x: drawn.map((d) => d.x), y: drawn.map((d) => d.y), series: drawn.map((d) => d.series), xLabel: `params kept / ${size.toLocaleString('en-US')}`, yLabel: '‖W − Ŵ‖ / ‖W‖', logY: true, note: `svd: rank r costs r·(rows + cols); dct, wht, dwt: a coefficient its value and its position (an index, or a bitmask once smaller); lowrank-subbands: each subband's factors; dwt and subbands ${p.wavelet}, ${p.levels} level${p.levels > 1 ? 's' : ''}` });
    }
    return { table, curves };
  },
});
