// A weight's energy curves: for each representation, the relative weight error ‖W − Ŵ‖/‖W‖ against
// the params Ŵ costs — a truncated SVD (rank r: r·(rows + cols)), the k largest DCT, WHT or wavelet
// coefficients (k values and their positions, coefficientParams) and low-rank wavelet subbands (their
// factors). Every transform is orthonormal, so each error is read off the sorted spectrum or
// coefficients (Parseval) without forming Ŵ: the curves say, before compressing, which representation
// compacts a layer.
import { singularValuesOf } from './layers';
import { tailShares } from './plan';
import { layerSubbands, subbandSteps } from './subbands';
import { coefficientParams, coefficientTails, forwardTransform, type TransformSpec } from './transform';
import type { Wavelet } from '../transforms';

export type CurveMethod = 'svd' | 'dct' | 'wht' | 'dwt' | 'lowrank-subbands';
export const CURVE_METHODS: readonly CurveMethod[] = ['svd', 'dct', 'wht', 'dwt', 'lowrank-subbands'];

export interface EnergyCurve {
  method: CurveMethod;
  /** Params kept at each point (ascending, the first point 0: nothing kept, error 1). */
  params: number[];
  relError: number[];
}

/** The curve through (params[i], √tails[i]) after a first point (0, 1), cut where it passes the
 * matrix's own size, thinned to about `points` points evenly in params (the last one kept). */
function curve(method: CurveMethod, params: ArrayLike<number>, tails: ArrayLike<number>, size: number, points: number): EnergyCurve {
  const out: EnergyCurve = { method, params: [0], relError: [1] };
  let next = size / points;
  for (let i = 0; i < params.length && params[i]! <= size; i++) {
    const last = i + 1 === params.length || params[i + 1]! > size;
    if (params[i]! < next && !last) continue;
    out.params.push(params[i]!);
    out.relError.push(Math.sqrt(Math.max(0, tails[i]!)));
    next = params[i]! + size / points;
  }
  return out;
}

/** The energy curves of a rows × cols matrix (row-major), each with at most about `points` points
 * (Infinity: every rank, coefficient count and subband step). */
export async function energyCurves(w: ArrayLike<number>, rows: number, cols: number, opts: { wavelet: Wavelet; levels: number; points?: number; methods?: readonly CurveMethod[] }): Promise<EnergyCurve[]> {
  const points = opts.points ?? 256;
  const size = rows * cols;
  const out: EnergyCurve[] = [];
  for (const method of opts.methods ?? CURVE_METHODS) {
    if (method === 'svd') {
      const tails = tailShares(singularValuesOf(w, rows, cols));
      out.push(curve(method, Array.from(tails, (_, r) => (r + 1) * (rows + cols)), tails, size, points));
    } else if (method === 'lowrank-subbands') {
      const ls = await layerSubbands(w, rows, cols, { kind: 'dwt', wavelet: opts.wavelet, levels: opts.levels });
      const steps = subbandSteps(ls);
      const params = new Float64Array(steps.length);
      const tails = new Float64Array(steps.length);
      let [p, kept] = [0, 0];
      steps.forEach((s, i) => {
        p += s.cost;
        kept += s.gain;
        params[i] = p;
        tails[i] = ls.energy > 0 ? 1 - kept / ls.energy : 0;
      });
      out.push(curve(method, params, tails, size, points));
    } else {
      const spec: TransformSpec = { kind: method, wavelet: opts.wavelet, levels: opts.levels };
      const c = await forwardTransform(w, rows, cols, spec);
      const tails = coefficientTails(c.data);
      out.push(curve(method, Array.from(tails, (_, k) => coefficientParams(k + 1, c.size)), tails, size, points));
    }
  }
  return out;
}
