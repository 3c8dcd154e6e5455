import { z } from 'zod';
import { allocateBudget, cloneModel, defineNode, factorizeConv, factorizeMatMul, layersOf, patternMatches, rankForEnergy, ranksForRatio, rewriteParams, singularValuesOf, tailShares, weightTensor, type Layer, type TableValue } from '../../engine';
import { externalReader } from '../source/onnx';

const rankSpec = z.union([z.number().int().min(1), z.tuple([z.number().int().min(1), z.number().int().min(1)])]);

/** A rank the user named, in the rewrite's modes: two for Tucker-2, one otherwise. */
const namedRank = (asked: number | [number, number], kind: 'matmul' | 'pointwise' | 'tucker2'): number[] =>
  typeof asked === 'number' ? (kind === 'tucker2' ? [asked, asked] : [asked]) : kind === 'tucker2' ? [...asked] : [Math.min(...asked)];

/** What the node does to a layer with a method, or why it leaves it. */
function eligibility(l: Layer, method: 'svd' | 'tucker2' | 'auto'): { kind: 'matmul' | 'pointwise' | 'tucker2' } | { skip: string } {
  if (l.op === 'Gemm' || l.op === 'ConvTranspose') return { skip: `${l.op} layers are not rewritten yet` };
  if (l.op === 'MatMul') return l.shape.length === 2 ? { kind: 'matmul' } : { skip: `a ${l.shape.length}-D MatMul weight` };
  const group = Number(l.node.attribute.find((a) => a.name === 'group')?.i ?? 1n);
  if (group !== 1) return { skip: `a grouped convolution (group ${group})` };
  if (l.shape.length !== 4) return { skip: `a ${l.shape.length - 2}-D convolution` };
  if (l.shape[2]! * l.shape[3]! === 1) return { kind: 'pointwise' };
  return method === 'svd' ? { skip: `a ${l.shape[2]}×${l.shape[3]} convolution: method svd takes MatMuls and 1×1 convs (use tucker2 or auto)` } : { kind: 'tucker2' };
}

export const compressModel = defineNode({
  type: 'compress.model',
  title: 'Compress model',
  category: 'compress',
  description: 'Low-rank factorisation of a model\'s layers, rewritten into its graph so any ONNX runtime runs the result: a MatMul W (K × N) becomes two MatMuls of rank r (truncated SVD), a convolution becomes Tucker-2 — a 1×1 conv in, the kh×kw core with the layer\'s strides, pads and dilations, a 1×1 conv out with the bias (a 1×1 conv: its SVD as two convs). Ranks per layer by name, or for all by a ratio of params kept or an energy threshold; layers by name pattern in or out; by default only where the layer gets smaller.',
  typeVersion: 1,
  inputs: [{ name: 'model', type: 'model', doc: 'the ONNX model to compress' }],
  outputs: [
    { name: 'model', type: 'model', doc: 'the compressed model' },
    { name: 'table', type: 'table', doc: 'one row per compressible layer: params before and after, relative weight error, ranks (0 where it was left, with the reason in its label)' },
    { name: 'info', type: 'metrics', doc: 'params of the compressible layers before and after, and their ratio' },
  ],
  params: z.object({
    method: z.enum(['svd', 'tucker2', 'auto']).default('auto').describe('auto: SVD for MatMul and 1×1 convs, Tucker-2 for larger convs; svd: MatMuls and 1×1 convs only; tucker2: convolutions'),
    ranks: z.record(z.string(), rankSpec).default({}).describe('a rank per layer name (a conv\'s Tucker-2: [out, in]); these layers take no other policy'),
    ratio: z.number().gt(0).max(1).optional().describe('keep about this fraction of each layer\'s params (default 0.5 when energy is not given)'),
    energy: z.number().gt(0).max(1).optional().describe('the smallest ranks whose singular values hold this fraction of ‖W‖² (per channel mode for a conv)'),
    budget: z.number().gt(0).max(1).optional().describe('keep this fraction of all compressible params, allocated across the layers greedily by the drop in relative weight error per param (a layer may stay whole)'),
    include: z.array(z.string().min(1)).default(['*']).describe('layer-name patterns to compress (* matches any run of characters)'),
    exclude: z.array(z.string().min(1)).default([]).describe('layer-name patterns to leave as they are'),
    onlyIfSmaller: z.boolean().default(true).describe('leave a layer whose rewrite would not have fewer params'),
  }),
  async run({ model }, p, ctx) {
    if ([p.ratio, p.energy, p.budget].filter((x) => x !== undefined).length > 1) throw new Error(`more than one of params 'ratio', 'energy' and 'budget' is set; give one policy for the layers not named in 'ranks'`);
    const proto = cloneModel(model.proto);
    const read = externalReader(ctx, model.name);
    const layers = layersOf(proto);
    const names = new Set(layers.map((l) => l.name));
    for (const name of Object.keys(p.ranks)) {
      if (!names.has(name)) throw new Error(`param 'ranks': no compressible layer named '${name}' (model.layers lists them, e.g. ${layers.slice(0, 3).map((l) => l.name).join(', ')})`);
    }
    for (const pattern of p.include) {
      if (!layers.some((l) => patternMatches(pattern, l.name))) throw new Error(`param 'include': the pattern '${pattern}' matches no layer (model.layers lists them)`);
    }
    const included = (l: Layer) => p.ranks[l.name] !== undefined || (p.include.some((q) => patternMatches(q, l.name)) && !p.exclude.some((q) => patternMatches(q, l.name)));
    /** Each rank mode's singular values: the matrix's, or for Tucker-2 the two channel unfoldings'. */
    const spectra = async (l: Layer, kind: 'matmul' | 'pointwise' | 'tucker2'): Promise<Float64Array[]> => {
      const w = await weightTensor(l.tensor, read);
      if (kind !== 'tucker2') return [singularValuesOf(w.data, l.rows, l.cols)];
      const [o, ci, kh, kw] = l.shape as [number, number, number, number];
      const mode1 = new Float32Array(w.size); // I × (O·kh·kw)
      for (let a = 0; a < o; a++) for (let b = 0; b < ci; b++) for (let s = 0; s < kh * kw; s++) mode1[b * o * kh * kw + a * kh * kw + s] = w.data[(a * ci + b) * kh * kw + s]!;
      return [singularValuesOf(w.data, o, ci * kh * kw), singularValuesOf(mode1, ci, o * kh * kw)];
    };
    // A budget: the ranks of every layer the policy decides, allocated together before any rewrite.
    const allocated = new Map<string, number[] | null>();
    if (p.budget !== undefined) {
      let fixed = 0;
      let total = 0;
      const pool: { l: Layer; kind: 'matmul' | 'pointwise' | 'tucker2' }[] = [];
      for (const l of layers) {
        total += l.rows * l.cols;
        const how = eligibility(l, p.method);
        const asked = p.ranks[l.name];
        if (asked !== undefined && !('skip' in how)) fixed += rewriteParams(l, namedRank(asked, how.kind));
        else if ('skip' in how || !included(l)) fixed += l.rows * l.cols;
        else pool.push({ l, kind: how.kind });
      }
      const budgetLayers = await Promise.all(
        pool.map(async ({ l, kind }) => {
          const tails = (await spectra(l, kind)).map(tailShares);
          const paramsAt = (r: readonly number[]) => rewriteParams(l, kind === 'tucker2' ? r : [r[0]!]);
          return { params: l.rows * l.cols, tails: kind === 'tucker2' ? tails : [tails[0]!], paramsAt };
        }),
      );
      let ranksOut;
      try {
        ranksOut = allocateBudget(budgetLayers, p.budget * total - fixed);
      } catch (e) {
        throw new Error(`param 'budget' ${p.budget} (${Math.round(p.budget * total)} of ${total} params, ${fixed} of them taken by the layers left or named in 'ranks') cannot be met: ${(e as Error).message}; raise the budget or exclude fewer layers`);
      }
      pool.forEach(({ l }, k) => allocated.set(l.name, ranksOut[k]!));
    }
    const rows: number[][] = [];
    const labels: string[] = [];
    let before = 0;
    let after = 0;
    for (const [i, l] of layers.entries()) {
      ctx.progress(i, layers.length, l.name);
      const params = l.rows * l.cols;
      before += params;
      const leave = (why: string) => {
        after += params;
        rows.push([params, params, 0, 0, 0]);
        labels.push(`${l.name} · left: ${why}`);
      };
      const asked = p.ranks[l.name];
      if (!included(l)) {
        leave('not included');
        continue;
      }
      const how = eligibility(l, p.method);
      if ('skip' in how) {
        if (asked !== undefined) throw new Error(`param 'ranks' names layer '${l.name}', which cannot be rewritten: ${how.skip}`);
        leave(how.skip);
        continue;
      }
      let rank: number[];
      if (asked !== undefined) rank = namedRank(asked, how.kind);
      else if (p.budget !== undefined) {
        const given = allocated.get(l.name);
        if (given === null || given === undefined) {
          leave('kept whole by the budget');
          continue;
        }
        rank = given;
      } else if (p.energy !== undefined) {
        const energy = p.energy;
        rank = (await spectra(l, how.kind)).map((s) => rankForEnergy(s, energy));
      } else rank = ranksForRatio(l, p.ratio ?? 0.5);
      const newParams = rewriteParams(l, rank);
      if (p.onlyIfSmaller && newParams >= params && asked === undefined) {
        leave(`ranks (${rank.join(', ')}) would store ${newParams} ≥ ${params} params`);
        continue;
      }
      let r;
      try {
        r = how.kind === 'matmul' ? await factorizeMatMul(proto, l, rank[0]!, ctx.backend, read) : await factorizeConv(proto, l, how.kind === 'pointwise' ? [rank[0]!, rank[0]!] : (rank as [number, number]), ctx.backend, read);
      } catch (e) {
        throw new Error(`param 'ranks': ${(e as Error).message}`);
      }
      after += r.paramsAfter;
      rows.push([r.paramsBefore, r.paramsAfter, r.relError, r.rank[0]!, r.rank[1] ?? r.rank[0]!]);
      labels.push(`${l.name} · ${how.kind === 'tucker2' ? 'Tucker-2' : 'SVD'}`);
    }
    const table: TableValue = { kind: 'table', columns: ['params', 'paramsAfter', 'relError', 'rankOut', 'rankIn'], rows, labels };
    return {
      model: { kind: 'model' as const, name: model.name, proto },
      table,
      info: {
        paramsBefore: { value: before, unit: 'values', doc: 'params of the compressible layers before' },
        paramsAfter: { value: after, unit: 'values', doc: 'and after' },
        kept: { value: before === 0 ? 1 : after / before, unit: '', doc: 'paramsAfter / paramsBefore' },
      },
    };
  },
});
