import { z } from 'zod';
import {
  allocateBudget, calibrationBytes, mat, mul, coefficientParams, coefficientTails, forwardTransform, transformWeight, checkFinite, cloneModel, collectActivations, defineNode, factorizeConv, factorizeConvCp, factorizeMatrix, formatShape, isMatrixLayer, layerMacs, layerShapes, layersOf,
  modelInputShape, patternMatches, rankForEnergy, ranksForRatio, rewriteMacs, rewriteParams, singularValuesOf, tailShares, weightTensor, xSideMatrix,
  type Layer, type LayerActivations, type LayerShapes, type Metrics, type RewriteForm, type RewriteResult, type Scaling, type TableValue,
} from '../../engine';
import { externalReader, runnableModel } from '../source/onnx';
import type { ExternalReader, ModelProto, Tensor, TransformSpec } from '../../engine';

const rankSpec = z.union([z.number().int().min(1), z.tuple([z.number().int().min(1), z.number().int().min(1)])]);
type Method = 'svd' | 'asvd' | 'svd-llm' | 'tucker2' | 'cp' | 'auto' | 'dct' | 'wht' | 'dwt';
const TRANSFORMS: readonly string[] = ['dct', 'wht', 'dwt'];
type Plan = { form: RewriteForm; aware: 'asvd' | 'svd-llm' | null };

/** A rank the user named, in the rewrite's modes: two for Tucker-2, one otherwise. */
const namedRank = (asked: number | [number, number], form: RewriteForm): number[] =>
  typeof asked === 'number' ? (form === 'tucker2' ? [asked, asked] : [asked]) : form === 'tucker2' ? [...asked] : [Math.min(...asked)];

/** How the node rewrites a layer under a method, or why it leaves it. */
function planFor(l: Layer, method: Method): Plan | { skip: string } {
  if (l.op === 'ConvTranspose') return { skip: 'ConvTranspose layers are not rewritten yet' };
  const attr = (name: string) => Number(l.node.attribute.find((a) => a.name === name)?.i ?? (name === 'group' ? 1n : 0n));
  const aware = method === 'asvd' || method === 'svd-llm' ? method : null;
  if (l.op === 'MatMul') return l.shape.length === 2 ? { form: 'matrix', aware } : { skip: `a ${l.shape.length}-D MatMul weight` };
  if (l.op === 'Gemm') return attr('transA') ? { skip: 'a Gemm with transA (its input transposed)' } : { form: 'matrix', aware };
  if (attr('group') !== 1) return { skip: `a grouped convolution (group ${attr('group')})` };
  if (l.shape.length !== 4) return { skip: `a ${l.shape.length - 2}-D convolution` };
  if (isMatrixLayer(l)) return { form: 'matrix', aware };
  if (method === 'svd') return { skip: `a ${l.shape[2]}×${l.shape[3]} convolution: method svd takes MatMul, Gemm and 1×1 convs (use tucker2, cp or auto)` };
  return { form: method === 'cp' ? 'cp' : 'tucker2', aware: null };
}

/** What one run learns about a model that the next run on the same model and calibration reuses (a
 * sweep reruns this node on the same input objects): calibration statistics and shapes, activation-
 * aware scalings, spectra. Held weakly by those objects, so it goes when they do. */
interface Memo {
  calibrated: Map<string, { stats: Map<string, LayerActivations>; shapes: LayerShapes; items: number }>;
  scalings: Map<string, Scaling>;
  spectra: Map<string, Float64Array[]>;
}
const memos = new WeakMap<object, WeakMap<object, Memo>>();
const UNCALIBRATED = {};
function memoFor(model: object, calibration: object | undefined): Memo {
  const byModel = memos.get(model) ?? memos.set(model, new WeakMap()).get(model)!;
  const key = calibration ?? UNCALIBRATED;
  return byModel.get(key) ?? byModel.set(key, { calibrated: new Map(), scalings: new Map(), spectra: new Map() }).get(key)!;
}

/**
 * The transform-domain methods: each included layer's weight as its k largest coefficients. k from
 * 'ranks' (a count), 'ratio' (the largest k whose values and positions fit), 'energy' (the smallest k
 * holding that share of Σc², Parseval's ‖W‖²), or 'budget': one global pick of the coefficients with
 * the largest c²/‖W_l‖² (each charged what it adds: its value, and its index until the layer's bitmask is cheaper; every layer keeps at least one).
 */
async function transformLayers(
  proto: ModelProto,
  layers: readonly Layer[],
  included: (l: Layer) => boolean,
  spec: TransformSpec,
  p: { ranks: Record<string, number | [number, number]>; ratio?: number; energy?: number; budget?: number; onlyIfSmaller: boolean },
  read: ExternalReader,
  progress: (v: number, max: number, message?: string) => void,
): Promise<{ table: TableValue; info: Metrics }> {
  const chosen = layers.filter(included);
  const coefficients = new Map<string, Tensor>();
  for (const [i, l] of chosen.entries()) {
    progress(i, chosen.length, `${spec.kind} of ${l.name}`);
    coefficients.set(l.name, await forwardTransform((await weightTensor(l.tensor, read)).data, l.rows, l.cols, spec));
  }
  const counts = new Map<string, number>();
  if (p.budget !== undefined) {
    const total = layers.reduce((n, l) => n + l.rows * l.cols, 0);
    let available = p.budget * total - layers.filter((l) => !included(l)).reduce((n, l) => n + l.rows * l.cols, 0) - 2 * chosen.length;
    if (available < 0) throw new Error(`param 'budget' ${p.budget} cannot be met: one coefficient in every included layer already passes it; raise the budget or exclude fewer layers`);
    // Every coefficient past each layer's first, by its share of its layer's energy.
    const entries: { layer: number; share: number }[] = [];
    chosen.forEach((l, li) => {
      const c = coefficients.get(l.name)!.data;
      const e = Float64Array.from(c, (v) => v * v).sort().reverse();
      const norm = e.reduce((a, b) => a + b, 0) || 1;
      for (let k = 1; k < e.length; k++) entries.push({ layer: li, share: e[k]! / norm });
      counts.set(l.name, 1);
    });
    entries.sort((a, b) => b.share - a.share);
    // Each is charged what it adds to its layer's coefficientParams: 2 (value and index) until the
    // layer's bitmask is the cheaper position store, 1 (its value) after.
    for (const e of entries) {
      if (available < 1) break;
      const l = chosen[e.layer]!;
      const k = counts.get(l.name)!;
      const size = coefficients.get(l.name)!.size;
      const cost = coefficientParams(k + 1, size) - coefficientParams(k, size);
      if (cost > available || coefficientParams(k + 1, size) >= l.rows * l.cols) continue; // never more than the layer whole
      counts.set(l.name, k + 1);
      available -= cost;
    }
  }
  const rows: number[][] = [];
  const labels: string[] = [];
  let [before, after] = [0, 0];
  for (const l of layers) {
    const params = l.rows * l.cols;
    before += params;
    const leave = (why: string) => {
      after += params;
      rows.push([params, params, 0, 0, 0, NaN, NaN, NaN]);
      labels.push(`${l.name} · left: ${why}`);
    };
    if (!included(l)) {
      leave('not included');
      continue;
    }
    const c = coefficients.get(l.name)!;
    const asked = p.ranks[l.name];
    if (Array.isArray(asked)) throw new Error(`param 'ranks': layer '${l.name}' takes a count of ${spec.kind} coefficients (one number), not ${JSON.stringify(asked)}`);
    let k: number;
    if (asked !== undefined) k = asked;
    else if (p.budget !== undefined) k = counts.get(l.name)!;
    else if (p.energy !== undefined) {
      const tails = coefficientTails(c.data);
      const at = tails.findIndex((t) => t <= 1 - p.energy! + 1e-12);
      k = at < 0 ? c.size : at + 1;
    } else {
      k = 1;
      const target = (p.ratio ?? 0.5) * params;
      let [lo, hi] = [1, c.size];
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (coefficientParams(mid, c.size) <= target) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
    }
    if (p.onlyIfSmaller && asked === undefined && coefficientParams(k, c.size) >= params) {
      leave(`${k} coefficients with their positions would store ${coefficientParams(k, c.size)} ≥ ${params} params`);
      continue;
    }
    let r;
    try {
      r = await transformWeight(proto, l, k, spec, read);
    } catch (e) {
      throw new Error(`param 'ranks': ${(e as Error).message}`);
    }
    after += r.paramsAfter;
    rows.push([r.paramsBefore, r.paramsAfter, r.relError, k, k, NaN, NaN, NaN]);
    labels.push(`${l.name} · ${spec.kind.toUpperCase()} ${k} coefficients (dense in the .onnx)`);
  }
  return {
    table: { kind: 'table', columns: ['params', 'paramsAfter', 'relError', 'rankOut', 'rankIn', 'macs', 'macsAfter', 'outputError'], rows, labels },
    info: {
      paramsBefore: { value: before, unit: 'values', doc: 'params of the compressible layers before' },
      paramsAfter: { value: after, unit: 'values', doc: 'and after, counting each kept coefficient\'s value and position' },
      kept: { value: before === 0 ? 1 : after / before, unit: '', doc: 'paramsAfter / paramsBefore' },
    },
  };
}

export const compressModel = defineNode({
  type: 'compress.model',
  title: 'Compress model',
  category: 'compress',
  description:
    'Low-rank factorisation of a model\'s layers, rewritten into its graph so any ONNX runtime runs the result. MatMul, Gemm and 1×1 convs become two of their kind at rank r: truncated SVD, or activation-aware with calibration inputs — ASVD (the SVD of diag(mean |x|^½)·W) or SVD-LLM (of R·W, R the Cholesky factor of the activations\' Gram XᵀX, so the rank-r cut is the best for ‖X·(W − Ŵ)‖). Larger convs become Tucker-2 (a 1×1 conv in, the kh×kw core with the layer\'s strides, pads and dilations, a 1×1 conv out with the bias) or CP as four convs (Lebedev et al. 2015). Ranks per layer by name, or for the rest a ratio of params kept, an energy threshold, or a budget of all params allocated across layers; layers by name pattern in or out; by default only where params (and MACs, when the shapes are known) drop.',
  typeVersion: 1,
  inputs: [
    { name: 'model', type: 'model', doc: 'the ONNX model to compress' },
    { name: 'calibration', type: 'tensor', doc: 'a batch for the model\'s first input (axis 0: items): each layer\'s input is captured on it for asvd and svd-llm, the output error column and the MACs', optional: true },
  ],
  outputs: [
    { name: 'model', type: 'model', doc: 'the compressed model' },
    { name: 'table', type: 'table', doc: 'one row per compressible layer: params and paramsAfter, relError (weight), rankOut, rankIn (0 where it was left, with the reason in its label), macs and macsAfter (per input item; NaN where the shapes are not known), outputError ‖X(W − Ŵ)‖/‖XW‖ on the calibration (NaN without it)' },
    { name: 'info', type: 'metrics', doc: 'params (and MACs) of the compressible layers before and after, and their ratio' },
  ],
  params: z.object({
    method: z.enum(['svd', 'asvd', 'svd-llm', 'tucker2', 'cp', 'auto', 'dct', 'wht', 'dwt']).default('auto').describe('auto: SVD for MatMul, Gemm and 1×1 convs, Tucker-2 for larger convs; svd: the matrix layers only; asvd, svd-llm: activation-aware SVD of the matrix layers (needs calibration), Tucker-2 for larger convs; tucker2: as auto; cp: CP for larger convs (ranks or ratio only); dct, wht, dwt: every layer\'s weight (a conv\'s as O × I/g·kh·kw) kept as its largest coefficients in that 2-D orthonormal transform, a coefficient costing its value and its position (an index, or a bitmask once cheaper); the .onnx keeps dense weights, and ranks name coefficient counts'),
    wavelet: z.enum(['haar', 'db2', 'db4', 'sym4']).default('db4').describe('dwt: the orthogonal wavelet'),
    levels: z.number().int().min(1).max(8).default(1).describe('dwt: levels of the 2-D transform'),
    ranks: z.record(z.string(), rankSpec).default({}).describe('a rank per layer name (a conv\'s Tucker-2: [out, in]); these layers take no other policy'),
    ratio: z.number().gt(0).max(1).optional().describe('keep about this fraction of each layer\'s params (default 0.5 when neither energy nor budget is given)'),
    energy: z.number().gt(0).max(1).optional().describe('the smallest ranks whose singular values hold this fraction of ‖W‖² (of ‖S·W‖² for asvd and svd-llm; per channel mode for Tucker-2)'),
    budget: z.number().gt(0).max(1).optional().describe('keep this fraction of all compressible params, allocated across the layers greedily by the drop in relative error per param (weight error; for svd-llm the output error on the calibration); a layer may stay whole'),
    include: z.array(z.string().min(1)).default(['*']).describe('layer-name patterns to compress (* matches any run of characters)'),
    exclude: z.array(z.string().min(1)).default([]).describe('layer-name patterns to leave as they are'),
    onlyIfSmaller: z.boolean().default(true).describe('leave a layer whose rewrite would not have fewer params, or (shapes known) not fewer MACs'),
    dims: z.record(z.string(), z.number().int().min(1)).default({}).describe('sizes of the model input\'s symbolic dims (e.g. {"batch": 1, "width": 320}) for MACs without calibration'),
    chunk: z.number().int().min(1).max(1024).default(8).describe('calibration items run through the model at a time'),
  }),
  async run({ model, calibration }, p, ctx) {
    if ([p.ratio, p.energy, p.budget].filter((x) => x !== undefined).length > 1) throw new Error(`more than one of params 'ratio', 'energy' and 'budget' is set; give one policy for the layers not named in 'ranks'`);
    if (p.method === 'cp' && (p.energy !== undefined || p.budget !== undefined)) throw new Error(`method 'cp' takes 'ranks' or 'ratio': 'energy' and 'budget' read a spectrum, which a CP rank does not have (use method tucker2 for those)`);
    if ((p.method === 'asvd' || p.method === 'svd-llm') && !calibration) throw new Error(`method '${p.method}' is activation-aware: wire a batch of the model's inputs into input 'calibration' (or use method svd)`);
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
    if (TRANSFORMS.includes(p.method)) {
      if (calibration) throw new Error(`input 'calibration': method '${p.method}' keeps transform coefficients by their magnitude and reads no activations; unwire it (or use svd-llm)`);
      const spec: TransformSpec = { kind: p.method as TransformSpec['kind'], wavelet: p.wavelet, levels: p.levels };
      const out = await transformLayers(proto, layers, included, spec, p, read, ctx.progress);
      return { model: { kind: 'model' as const, name: model.name, proto }, ...out };
    }
    const plans = new Map(layers.map((l) => [l.name, planFor(l, p.method)]));
    const working = layers.filter((l) => included(l) && !('skip' in plans.get(l.name)!));

    // Calibration: each working layer's input on the batch (and the shapes of one item).
    let stats = new Map<string, LayerActivations>();
    let shapes: LayerShapes | null = null;
    let items = 1; // MACs are per item of the input's first axis
    const memo = memoFor(model.proto, calibration);
    const calKey = `${p.chunk}|${working.map((l) => l.name).join(',')}`;
    const known = memo.calibrated.get(calKey);
    if (calibration && known) ({ stats, shapes, items } = known);
    else if (calibration) {
      checkFinite(calibration, "input 'calibration'");
      if (!ctx.models) throw new Error("input 'calibration' is run through the model, and this host runs no ONNX models; run the graph in the editor or headless: corespace run GRAPH.json");
      const bytes = calibrationBytes(working);
      if (bytes > 2 ** 31) throw new Error(`input 'calibration': the activation statistics of ${working.length} layers would take ${(bytes / 2 ** 30).toFixed(1)} GiB; compress fewer layers at a time (param 'include')`);
      const got = await collectActivations(ctx.models, await runnableModel(ctx, model), working, calibration, { chunk: p.chunk, what: `input 'model' (${model.name})`, progress: (d, of) => ctx.progress(d, of, 'running the calibration'), shapesOf: layers });
      stats = got.stats;
      shapes = got.shapes;
      items = got.items;
      memo.calibrated.set(calKey, got);
    } else if (ctx.models && working.length) {
      const input = modelInputShape(model.proto, p.dims);
      if (input.missing.length === 0) {
        shapes = await layerShapes(ctx.models, await runnableModel(ctx, model), layers, input.shape, `input 'model' (${model.name})`);
        items = input.shape[0] ?? 1;
      }
      else if (Object.keys(p.dims).length) throw new Error(`param 'dims': give the model input's symbolic dims ${input.missing.map((d) => `'${d}'`).join(', ')} too (its input '${input.name}' is ${input.shape.map((d, k) => (Number.isNaN(d) ? input.missing[k] ?? '?' : d)).join(' × ')})`);
    }
    const scalingOf = (l: Layer): Scaling | undefined => {
      const plan = plans.get(l.name)!;
      if ('skip' in plan || !plan.aware) return undefined;
      const key = `${calKey}|${plan.aware}|${l.name}`;
      if (!memo.scalings.has(key)) memo.scalings.set(key, plan.aware === 'asvd' ? stats.get(l.name)!.asvdScaling() : stats.get(l.name)!.whitening());
      return memo.scalings.get(key);
    };

    /** Each rank mode's singular values: the matrix's (scaled when activation-aware), or Tucker-2's two channel unfoldings'. */
    const spectra = async (l: Layer, form: RewriteForm): Promise<Float64Array[]> => {
      const plan = plans.get(l.name)!;
      const key = `${calKey}|${'skip' in plan ? '' : plan.aware}|${form}|${l.name}`;
      if (!memo.spectra.has(key)) memo.spectra.set(key, await spectraOf(l, form));
      return memo.spectra.get(key)!;
    };
    const spectraOf = async (l: Layer, form: RewriteForm): Promise<Float64Array[]> => {
      const w = await weightTensor(l.tensor, read);
      if (form === 'matrix') {
        const m = xSideMatrix(l, w);
        const s = scalingOf(l);
        const [k, n] = m.shape as [number, number];
        const data: ArrayLike<number> = s ? mul(s.s, mat(k, n, Float64Array.from(m.data))).data : m.data;
        return [singularValuesOf(data, k, n)];
      }
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
      const pool: { l: Layer; form: RewriteForm }[] = [];
      for (const l of layers) {
        total += l.rows * l.cols;
        const plan = plans.get(l.name)!;
        const asked = p.ranks[l.name];
        if (asked !== undefined && !('skip' in plan)) fixed += rewriteParams(l, namedRank(asked, plan.form), plan.form);
        else if ('skip' in plan || !included(l)) fixed += l.rows * l.cols;
        else pool.push({ l, form: plan.form });
      }
      const budgetLayers = [];
      for (const [i, { l, form }] of pool.entries()) {
        ctx.progress(i, pool.length, `spectrum of ${l.name} (budget)`);
        const tails = (await spectra(l, form)).map(tailShares);
        const paramsAt = (r: readonly number[]) => rewriteParams(l, form === 'tucker2' ? r : [r[0]!], form);
        budgetLayers.push({ params: l.rows * l.cols, tails: form === 'tucker2' ? tails : [tails[0]!], paramsAt });
      }
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
    const sums = { before: 0, after: 0, macs: 0, macsAfter: 0 };
    for (const [i, l] of layers.entries()) {
      ctx.progress(i, layers.length, l.name);
      const params = l.rows * l.cols;
      const shape = shapes?.get(l.name);
      const macs = shape ? layerMacs(l, shape.x, shape.y) / items : NaN;
      sums.before += params;
      sums.macs += macs;
      const leave = (why: string) => {
        sums.after += params;
        sums.macsAfter += macs;
        rows.push([params, params, 0, 0, 0, macs, macs, NaN]);
        labels.push(`${l.name} · left: ${why}`);
      };
      const asked = p.ranks[l.name];
      if (!included(l)) {
        leave('not included');
        continue;
      }
      const plan = plans.get(l.name)!;
      if ('skip' in plan) {
        if (asked !== undefined) throw new Error(`param 'ranks' names layer '${l.name}', which cannot be rewritten: ${plan.skip}`);
        leave(plan.skip);
        continue;
      }
      let rank: number[];
      if (asked !== undefined) rank = namedRank(asked, plan.form);
      else if (p.budget !== undefined) {
        const given = allocated.get(l.name);
        if (given === null || given === undefined) {
          leave('kept whole by the budget');
          continue;
        }
        rank = given;
      } else if (p.energy !== undefined) {
        const energy = p.energy;
        rank = (await spectra(l, plan.form)).map((s) => rankForEnergy(s, energy));
      } else rank = ranksForRatio(l, p.ratio ?? 0.5, plan.form);
      const newParams = rewriteParams(l, rank, plan.form);
      const newMacs = shape ? rewriteMacs(l, plan.form, rank, shape.x, shape.y) / items : NaN;
      if (p.onlyIfSmaller && asked === undefined && (newParams >= params || newMacs >= macs)) {
        leave(newParams >= params ? `ranks (${rank.join(', ')}) would store ${newParams} ≥ ${params} params` : `ranks (${rank.join(', ')}) would take ${newMacs} ≥ ${macs} MACs`);
        continue;
      }
      const layerStats = stats.get(l.name);
      let r: RewriteResult;
      try {
        if (plan.form === 'matrix') r = await factorizeMatrix(proto, l, rank[0]!, ctx.backend, read, scalingOf(l), layerStats);
        else if (plan.form === 'cp') r = await factorizeConvCp(proto, l, rank[0]!, ctx.backend, read, layerStats);
        else r = await factorizeConv(proto, l, rank as [number, number], ctx.backend, read, layerStats);
      } catch (e) {
        throw new Error(`param 'ranks': ${(e as Error).message}`);
      }
      sums.after += r.paramsAfter;
      sums.macsAfter += newMacs;
      rows.push([r.paramsBefore, r.paramsAfter, r.relError, r.rank[0]!, r.rank[1] ?? r.rank[0]!, macs, newMacs, r.outputError ?? NaN]);
      labels.push(`${l.name} · ${plan.form === 'tucker2' ? 'Tucker-2' : plan.form === 'cp' ? 'CP' : plan.aware === 'asvd' ? 'ASVD' : plan.aware === 'svd-llm' ? 'SVD-LLM' : 'SVD'}`);
    }
    const table: TableValue = { kind: 'table', columns: ['params', 'paramsAfter', 'relError', 'rankOut', 'rankIn', 'macs', 'macsAfter', 'outputError'], rows, labels };
    const info: Metrics = {
      paramsBefore: { value: sums.before, unit: 'values', doc: 'params of the compressible layers before' },
      paramsAfter: { value: sums.after, unit: 'values', doc: 'and after' },
      kept: { value: sums.before === 0 ? 1 : sums.after / sums.before, unit: '', doc: 'paramsAfter / paramsBefore' },
    };
    if (shapes) {
      info.macsBefore = { value: sums.macs, unit: 'MACs', doc: `multiply–accumulates of the compressible layers per item of the input's first axis${calibration ? ` (of ${formatShape([1, ...calibration.shape.slice(1)])})` : ''}` };
      info.macsAfter = { value: sums.macsAfter, unit: 'MACs', doc: 'and after' };
    }
    return { model: { kind: 'model' as const, name: model.name, proto }, table, info };
  },
});
