import { z } from 'zod';
import {
  allocateBudget, calibrationBytes, mat, mul, coefficientParams, forwardTransform, transformWeight, checkFinite, cloneModel, collectActivations, defineNode, factorizeConv, factorizeConvCp, factorizeMatrix, formatShape, isMatrixLayer, layerMacs, layerShapes, layersOf,
  modelInputShape, patternMatches, rankForEnergy, ranksForRatio, rewriteMacs, rewriteParams, singularValuesOf, tailShares, weightTensor, xSideMatrix,
  layerSubbands, layerFactors, ranksOfSteps, subbandParams, subbandSteps, subbandWeight, tensorEntry, Tensor,
  type Computed, type FactorRequest, type LayerFactors, type Layer, type LayerActivations, type LayerShapes, type LayerSubbands, type Metrics, type RewriteForm, type RewriteResult, type SafetensorsEntry, type Scaling, type SubbandStep, type TableValue, type WeightsValue,
} from '../../engine';
import { externalReader, runnableModel } from '../source/onnx';
import type { ExternalReader, ModelProto, TransformSpec } from '../../engine';

const rankSpec = z.union([z.number().int().min(1), z.tuple([z.number().int().min(1), z.number().int().min(1)])]);
/** compress.model's methods (compare.methods runs a list of them). */
export const METHODS = ['svd', 'asvd', 'svd-llm', 'tucker2', 'cp', 'auto', 'dct', 'wht', 'dwt', 'lowrank-subbands'] as const;
type Method = (typeof METHODS)[number];
const TRANSFORMS: readonly string[] = ['dct', 'wht', 'dwt', 'lowrank-subbands'];
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

/** What a transform-domain method keeps of one layer, counted in steps: its k largest coefficients,
 * or (lowrank-subbands) the first t ranks of its subbands in the order of σ² per param. */
interface Kept {
  size: number;
  /** The share of the layer's ‖W‖² each step adds, in the order they are taken. */
  shares: Float64Array;
  /** Params of the first `count` steps. */
  paramsAt(count: number): number;
  subbands?: LayerSubbands;
  steps?: SubbandStep[];
  coefficients?: Tensor;
}

async function keptOf(w: Tensor, l: Layer, spec: TransformSpec, subbands: boolean): Promise<Kept> {
  if (subbands) {
    const ls = await layerSubbands(w.data, l.rows, l.cols, spec);
    const steps = subbandSteps(ls);
    const cost = new Float64Array(steps.length + 1);
    steps.forEach((st, i) => (cost[i + 1] = cost[i]! + st.cost));
    return { size: steps.length, shares: Float64Array.from(steps, (st) => st.gain / (ls.energy || 1)), paramsAt: (t) => cost[t]!, subbands: ls, steps };
  }
  const c = await forwardTransform(w.data, l.rows, l.cols, spec);
  const e = Float64Array.from(c.data, (v) => v * v).sort().reverse();
  const norm = e.reduce((a, b) => a + b, 0) || 1;
  return { size: c.size, shares: e.map((v) => v / norm), paramsAt: (k) => coefficientParams(k, c.size), coefficients: c };
}

/** A position set as a bitmask of the grid (bit i of byte i >> 3, least significant first: numpy's
 * unpackbits(…, bitorder='little')). */
function bitmask(positions: Uint32Array, n: number): Uint8Array {
  const mask = new Uint8Array(Math.ceil(n / 8));
  for (const p of positions) mask[p >> 3]! |= 1 << (p & 7);
  return mask;
}

const intEntry = (name: string, values: Uint32Array): SafetensorsEntry => ({ name, dtype: 'I32', shape: [values.length], bytes: new Uint8Array(Int32Array.from(values).buffer) });

/**
 * The transform-domain methods: each included layer's weight kept as steps of its transform — its k
 * largest coefficients (dct, wht, dwt) or the ranks of its wavelet subbands (lowrank-subbands). The
 * count from 'ranks' (coefficients; for subbands the rank of every subband), 'ratio' (the most that
 * fit), 'energy' (the fewest holding that share of ‖W‖², Parseval) or 'budget': one global pick of the
 * steps with the largest share of their layer's ‖W‖² per param (each charged what it adds; every
 * layer keeps one; none past its own size), then with what is left, layers kept whole.
 */
async function transformLayers(
  proto: ModelProto,
  layers: readonly Layer[],
  included: (l: Layer) => boolean,
  spec: TransformSpec,
  subbands: boolean,
  p: { ranks: Record<string, number | [number, number]>; ratio?: number; energy?: number; budget?: number; onlyIfSmaller: boolean },
  read: ExternalReader,
  stats: Map<string, LayerActivations>,
  progress: (v: number, max: number, message?: string) => void,
): Promise<{ table: TableValue; info: Metrics; weights: WeightsValue }> {
  const method = subbands ? 'lowrank-subbands' : spec.kind;
  const chosen = layers.filter(included);
  const kept = new Map<string, Kept>();
  for (const [i, l] of chosen.entries()) {
    progress(i, chosen.length, `${method} of ${l.name}`);
    kept.set(l.name, await keptOf(await weightTensor(l.tensor, read), l, spec, subbands));
  }
  const counts = new Map<string, number>();
  const whole = new Set<string>();
  if (p.budget !== undefined) {
    const total = layers.reduce((n, l) => n + l.rows * l.cols, 0);
    let available = p.budget * total - layers.filter((l) => !included(l)).reduce((n, l) => n + l.rows * l.cols, 0) - chosen.reduce((n, l) => n + kept.get(l.name)!.paramsAt(1), 0);
    if (available < 0) throw new Error(`param 'budget' ${p.budget} cannot be met: one ${subbands ? 'rank' : 'coefficient'} in every included layer already passes it; raise the budget or exclude fewer layers`);
    // Every step past each layer's first, by its share of its layer's energy per param it costs.
    const entries: { layer: number; key: number }[] = [];
    chosen.forEach((l, li) => {
      const k = kept.get(l.name)!;
      for (let t = 1; t < k.size; t++) entries.push({ layer: li, key: k.shares[t]! / (k.steps ? k.steps[t]!.cost : 1) });
      counts.set(l.name, 1);
    });
    entries.sort((a, b) => b.key - a.key);
    for (const e of entries) {
      if (available < 1) break;
      const l = chosen[e.layer]!;
      const k = kept.get(l.name)!;
      const t = counts.get(l.name)!;
      const cost = k.paramsAt(t + 1) - k.paramsAt(t);
      if (cost > available || k.paramsAt(t + 1) >= l.rows * l.cols) continue; // never more than the layer whole
      counts.set(l.name, t + 1);
      available -= cost;
    }
    // What is left keeps layers whole (exact), those with the most error left first.
    const left = (l: Layer) => kept.get(l.name)!.shares.subarray(counts.get(l.name)!).reduce((a, b) => a + b, 0);
    for (const l of [...chosen].sort((a, b) => left(b) - left(a))) {
      const extra = l.rows * l.cols - kept.get(l.name)!.paramsAt(counts.get(l.name)!);
      if (left(l) > 0 && extra <= available) {
        whole.add(l.name);
        available -= extra;
      }
    }
  }
  const rows: number[][] = [];
  const labels: string[] = [];
  const entries: SafetensorsEntry[] = [];
  const header: Record<string, object> = {};
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
    const k = kept.get(l.name)!;
    const asked = p.ranks[l.name];
    if (whole.has(l.name) && asked === undefined) {
      leave('kept whole by the budget');
      continue;
    }
    if (Array.isArray(asked)) throw new Error(`param 'ranks': layer '${l.name}' takes ${subbands ? 'a rank for every subband' : `a count of ${spec.kind} coefficients`} (one number), not ${JSON.stringify(asked)}`);
    let count: number;
    let ranks: number[] | null = null;
    if (asked !== undefined && subbands) {
      ranks = k.subbands!.blocks.map((b) => Math.min(asked, b.svd.s.length));
      count = NaN;
    } else if (asked !== undefined) count = asked;
    else if (p.budget !== undefined) count = counts.get(l.name)!;
    else if (p.energy !== undefined) {
      let [t, e] = [0, 0];
      while (t < k.size && e < p.energy - 1e-12) e += k.shares[t++]!;
      count = Math.max(1, t);
    } else {
      const target = (p.ratio ?? 0.5) * params;
      let [lo, hi] = [1, k.size];
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (k.paramsAt(mid) <= target) lo = mid;
        else hi = mid - 1;
      }
      count = lo;
    }
    if (subbands && !ranks) ranks = ranksOfSteps(k.subbands!, k.steps!, count);
    const newParams = ranks ? subbandParams(k.subbands!, ranks) : k.paramsAt(count);
    const what = ranks ? `subband ranks (${ranks.join(', ')})` : `${count} coefficients with their positions`;
    if (p.onlyIfSmaller && asked === undefined && newParams >= params) {
      leave(`${what} would store ${newParams} ≥ ${params} params`);
      continue;
    }
    let r: RewriteResult;
    try {
      if (ranks) {
        const out = await subbandWeight(proto, l, k.subbands!, ranks, read, stats.get(l.name));
        r = out;
        for (const f of out.factors) entries.push(tensorEntry(`${l.name}.${f.name}.left`, f.left), tensorEntry(`${l.name}.${f.name}.right`, f.right));
        header[l.name] = { weight: l.weight, shape: l.shape, rows: l.rows, cols: l.cols, grid: k.subbands!.grid, subbands: k.subbands!.blocks.map((b, i) => ({ name: b.name, rows: b.rows, cols: b.cols, rank: ranks![i] })) };
      } else {
        const out = await transformWeight(proto, l, count, spec, read, stats.get(l.name), k.coefficients);
        r = out;
        const n = k.coefficients!.size;
        const byMask = Math.ceil(n / 32) < count;
        entries.push(tensorEntry(`${l.name}.values`, new Tensor([count], out.values)));
        entries.push(byMask ? { name: `${l.name}.mask`, dtype: 'U8', shape: [Math.ceil(n / 8)], bytes: bitmask(out.positions, n) } : intEntry(`${l.name}.indices`, out.positions));
        header[l.name] = { weight: l.weight, shape: l.shape, rows: l.rows, cols: l.cols, grid: k.coefficients!.shape, positions: byMask ? 'mask' : 'indices' };
      }
    } catch (e) {
      throw new Error(`param 'ranks': ${(e as Error).message}`);
    }
    after += r.paramsAfter;
    rows.push([r.paramsBefore, r.paramsAfter, r.relError, ranks ? Math.max(...ranks) : count, ranks ? ranks.reduce((a, b) => a + b, 0) : count, NaN, NaN, r.outputError ?? NaN]);
    labels.push(`${l.name} · ${ranks ? `${spec.wavelet} subbands at ranks ${ranks.join('/')}` : `${spec.kind.toUpperCase()} ${count} coefficients`} (dense in the .onnx)`);
  }
  const transform = subbands || spec.kind === 'dwt' ? { transform: 'dwt2', wavelet: spec.wavelet, levels: spec.levels, mode: 'periodization', layout: 'pywt.coeffs_to_array(pywt.wavedec2(W, wavelet, mode, level))' } : spec.kind === 'dct' ? { transform: 'dct2', type: 2, norm: 'ortho' } : { transform: 'wht2', order: 'natural (Sylvester: scipy.linalg.hadamard)', norm: 'ortho (H / sqrt(n))' };
  const weights: WeightsValue = {
    kind: 'weights',
    name: `${method}.safetensors`,
    file: { entries, metadata: { format: 'pt', corespace: JSON.stringify({ method, ...transform, positions: 'row-major in the padded grid (rows × cols, the weight as O × I·kh·kw for a conv, zero-padded at the end of each side)', layers: header }) } },
  };
  return {
    weights,
    table: { kind: 'table', columns: ['params', 'paramsAfter', 'relError', 'rankOut', 'rankIn', 'macs', 'macsAfter', 'outputError'], rows, labels },
    info: {
      paramsBefore: { value: before, unit: 'values', doc: 'params of the compressible layers before' },
      paramsAfter: { value: after, unit: 'values', doc: subbands ? 'and after, counting each subband\'s factors' : 'and after, counting each kept coefficient\'s value and position' },
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
    { name: 'calibration', type: 'tensor', doc: 'a batch for the model\'s first input (axis 0: items): each layer\'s input is captured on it for asvd and svd-llm, the output error column and (low-rank methods) the MACs', optional: true },
  ],
  outputs: [
    { name: 'model', type: 'model', doc: 'the compressed model' },
    { name: 'table', type: 'table', doc: 'one row per compressible layer: params and paramsAfter, relError (weight), rankOut, rankIn (0 where it was left, with the reason in its label), macs and macsAfter (per input item; NaN where the shapes are not known), outputError ‖X(W − Ŵ)‖/‖XW‖ on the calibration (NaN without it)' },
    { name: 'info', type: 'metrics', doc: 'params (and MACs) of the compressible layers before and after, and their ratio' },
    { name: 'weights', type: 'weights', doc: 'the compressed layers in their compact form, for export.safetensors: dct, wht and dwt each layer\'s kept values (<layer>.values) and positions (<layer>.indices, or <layer>.mask where a bitmask is smaller), lowrank-subbands each subband\'s factors (<layer>.<band>.left/right), the low-rank methods the factors the graph now holds; the header\'s "corespace" entry says the method, the transform and its normalisation, and each layer\'s grid (the README expands it in a few lines of Python)' },
  ],
  params: z.object({
    method: z.enum(METHODS).default('auto').describe('auto: SVD for MatMul, Gemm and 1×1 convs, Tucker-2 for larger convs; svd: the matrix layers only; asvd, svd-llm: activation-aware SVD of the matrix layers (needs calibration), Tucker-2 for larger convs; tucker2: as auto; cp: CP for larger convs (ranks or ratio only); dct, wht, dwt: every layer\'s weight (a conv\'s as O × I/g·kh·kw) kept as its largest coefficients in that 2-D orthonormal transform (WHT pads each side to a power of two, DWT to a multiple of 2^levels), a coefficient costing its value and its position (a 32-bit index, or one bit of a mask of the grid once that is cheaper); lowrank-subbands (WaRA): each subband of the weight\'s DWT at its own rank, a rank costing its factors (rows + cols of the subband); for these four the .onnx keeps dense weights (a runtime needs a custom op to use the compact form: output weights holds it), ranks name coefficient counts (lowrank-subbands: the rank of every subband), and calibration only fills the outputError column'),
    wavelet: z.enum(['haar', 'db2', 'db4', 'sym4']).default('db4').describe('dwt, lowrank-subbands: the orthogonal wavelet (PyWavelets\' taps, periodization)'),
    levels: z.number().int().min(1).max(8).default(1).describe('dwt, lowrank-subbands: levels of the 2-D transform'),
    ranks: z.record(z.string(), rankSpec).default({}).describe('a rank per layer name (a conv\'s Tucker-2: [out, in]; dct, wht, dwt: a count of coefficients; lowrank-subbands: the rank of every subband); these layers take no other policy'),
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
    const transform = TRANSFORMS.includes(p.method);
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
    } else if (ctx.models && working.length && !transform) {
      const input = modelInputShape(model.proto, p.dims);
      if (input.missing.length === 0) {
        shapes = await layerShapes(ctx.models, await runnableModel(ctx, model), layers, input.shape, `input 'model' (${model.name})`);
        items = input.shape[0] ?? 1;
      }
      else if (Object.keys(p.dims).length) throw new Error(`param 'dims': give the model input's symbolic dims ${input.missing.map((d) => `'${d}'`).join(', ')} too (its input '${input.name}' is ${input.shape.map((d, k) => (Number.isNaN(d) ? input.missing[k] ?? '?' : d)).join(' × ')})`);
    }
    if (transform) {
      const spec: TransformSpec = { kind: p.method === 'lowrank-subbands' ? 'dwt' : (p.method as TransformSpec['kind']), wavelet: p.wavelet, levels: p.levels };
      const out = await transformLayers(proto, layers, included, spec, p.method === 'lowrank-subbands', p, read, stats, ctx.progress);
      return { model: { kind: 'model' as const, name: model.name, proto }, ...out };
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
    const factorEntries: SafetensorsEntry[] = [];
    const factorHeader: Record<string, object> = {};
    // First what each layer gets: left as it is (and why), or a rewrite at ranks.
    type Decision = { l: Layer; params: number; macs: number; leave?: string; plan?: Plan; rank?: number[]; newMacs?: number };
    const decisions: Decision[] = [];
    for (const [i, l] of layers.entries()) {
      ctx.progress(i, layers.length, l.name);
      const params = l.rows * l.cols;
      const shape = shapes?.get(l.name);
      const macs = shape ? layerMacs(l, shape.x, shape.y) / items : NaN;
      const d: Decision = { l, params, macs };
      decisions.push(d);
      const asked = p.ranks[l.name];
      if (!included(l)) {
        d.leave = 'not included';
        continue;
      }
      const plan = plans.get(l.name)!;
      if ('skip' in plan) {
        if (asked !== undefined) throw new Error(`param 'ranks' names layer '${l.name}', which cannot be rewritten: ${plan.skip}`);
        d.leave = plan.skip;
        continue;
      }
      let rank: number[];
      if (asked !== undefined) rank = namedRank(asked, plan.form);
      else if (p.budget !== undefined) {
        const given = allocated.get(l.name);
        if (given === null || given === undefined) {
          d.leave = 'kept whole by the budget';
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
        d.leave = newParams >= params ? `ranks (${rank.join(', ')}) would store ${newParams} ≥ ${params} params` : `ranks (${rank.join(', ')}) would take ${newMacs} ≥ ${macs} MACs`;
        continue;
      }
      Object.assign(d, { plan, rank, newMacs });
    }
    // Each rewritten layer's factors are the costly part: a job per layer where the graph runs on a
    // job queue, a window of them ahead of the rewrite (each layer's weight is read once, and only
    // the window's weights are held), else one after the other here. The graph is rewritten layer by
    // layer in order as their factors come.
    const work = decisions.filter((d) => d.plan);
    const ahead = new Map<Decision, Promise<Computed>>();
    let next = 0;
    let rewritten = 0;
    const factorsOf = async ({ l, plan, rank }: Decision): Promise<Computed> => {
      const weight = await weightTensor(l.tensor, read);
      const scaling = plan!.form === 'matrix' ? scalingOf(l) : undefined;
      const request: FactorRequest = { form: plan!.form, weight: plan!.form === 'matrix' ? xSideMatrix(l, weight) : weight, rank: rank!, layer: l.name, ...(scaling ? { scaling: { s: scaling.s, inverse: scaling.inverse } } : {}) };
      const factors = ctx.task ? ((await ctx.task('model.factors', { request })).factors as LayerFactors) : await layerFactors(request, ctx.backend);
      return { weight, factors };
    };
    for (const d of decisions) {
      const { l, params, macs, leave, plan, rank, newMacs } = d;
      sums.before += params;
      sums.macs += macs;
      if (leave !== undefined || !plan || !rank || 'skip' in plan) {
        sums.after += params;
        sums.macsAfter += macs;
        rows.push([params, params, 0, 0, 0, macs, macs, NaN]);
        labels.push(`${l.name} · left: ${leave}`);
        continue;
      }
      while (next < work.length && ahead.size < Math.max(1, ctx.taskSlots ?? 1)) {
        const p = factorsOf(work[next]!);
        // A failure while an earlier layer is awaited is reported in its turn, not as unhandled.
        p.catch(() => {});
        ahead.set(work[next++]!, p);
      }
      ctx.progress(rewritten++, work.length, `factors of ${l.name}`);
      let computed: Computed;
      try {
        computed = await ahead.get(d)!;
      } catch (e) {
        throw new Error(`param 'ranks': ${(e as Error).message}`);
      }
      ahead.delete(d);
      const layerStats = stats.get(l.name);
      const known = new Set(proto.graph!.initializer.map((t) => t.name));
      let r: RewriteResult;
      try {
        if (plan.form === 'matrix') r = await factorizeMatrix(proto, l, rank[0]!, ctx.backend, read, scalingOf(l), layerStats, computed);
        else if (plan.form === 'cp') r = await factorizeConvCp(proto, l, rank[0]!, ctx.backend, read, layerStats, computed);
        else r = await factorizeConv(proto, l, rank as [number, number], ctx.backend, read, layerStats, computed);
      } catch (e) {
        throw new Error(`param 'ranks': ${(e as Error).message}`);
      }
      // The factors the rewrite added, under their names in the graph.
      const added = proto.graph!.initializer.filter((t) => !known.has(t.name));
      for (const t of added) factorEntries.push(tensorEntry(t.name, await weightTensor(t)));
      factorHeader[l.name] = { weight: l.weight, shape: l.shape, form: plan.form, rank: r.rank, factors: added.map((t) => t.name) };
      sums.after += r.paramsAfter;
      sums.macsAfter += newMacs!;
      rows.push([r.paramsBefore, r.paramsAfter, r.relError, r.rank[0]!, r.rank[1] ?? r.rank[0]!, macs, newMacs!, r.outputError ?? NaN]);
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
    const weights: WeightsValue = { kind: 'weights', name: `${p.method}.safetensors`, file: { entries: factorEntries, metadata: { format: 'pt', corespace: JSON.stringify({ method: p.method, layers: factorHeader }) } } };
    return { model: { kind: 'model' as const, name: model.name, proto }, table, info, weights };
  },
});
