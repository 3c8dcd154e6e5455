import { z } from 'zod';
import { Tensor, checkFinite, defineNode, formatShape, kleinResidual, pluckerInto, pluckerSize, sourceSizeProblem } from '../../engine';

/** Rows and length of an input [n, k] or [k]. */
const rowsOf = (shape: readonly number[]): [number, number] => (shape.length === 1 ? [1, shape[0]!] : [shape[0]!, shape[1]!]);

export const embedPlucker = defineNode({
  type: 'embed.plucker',
  title: 'Plücker coordinates',
  category: 'embed',
  description: 'The Plücker coordinates of the planes spanned by pairs of vectors: p_ij = u_i v_j − u_j v_i for i < j in lexicographic order (0,1), (0,2), …, (1,2), … — the point of the Grassmannian G(2, k) each pair spans. Computed in float64; for k = 4 the Klein-quadric residual checks them.',
  typeVersion: 1,
  inputs: [
    { name: 'u', type: 'tensor', doc: 'first vectors, [n, k] (one per row) or one vector [k]' },
    { name: 'v', type: 'tensor', doc: 'second vectors, the same shape as u' },
  ],
  outputs: [
    { name: 'tensor', type: 'tensor', doc: '[n, k(k−1)/2] coordinates, one row per pair' },
    { name: 'info', type: 'metrics', doc: 'degeneratePairs (p = 0), kleinResidual (k = 4)' },
  ],
  params: z.object({
    normalize: z.boolean().default(false).describe('divide each row by max(‖p‖, 1e-8): points on the unit sphere, as the Grassmann-flow features'),
  }),
  shapes({ u, v }) {
    if (!u) return {};
    if (u.length !== 1 && u.length !== 2) return { problems: [{ input: 'u', message: `is ${formatShape(u)}; give vectors as [n, k] or [k]` }] };
    if (rowsOf(u)[1] < 2) return { problems: [{ input: 'u', message: `has vectors of length ${rowsOf(u)[1]}; Plücker coordinates need k ≥ 2` }] };
    const [n, k] = rowsOf(u);
    const out = u.length === 1 ? [pluckerSize(k)] : [n, pluckerSize(k)];
    const big = sourceSizeProblem(out);
    if (big) return { problems: [{ input: 'u', message: `its coordinates would be ${big}` }] };
    if (v && formatShape(v) !== formatShape(u)) return { problems: [{ input: 'v', message: `is ${formatShape(v)} and 'u' is ${formatShape(u)}; pair vectors of the same shape` }] };
    return { outputs: { tensor: out } };
  },
  run({ u, v }, p) {
    if (u.ndim !== 1 && u.ndim !== 2) throw new Error(`input 'u' is ${formatShape(u.shape)}; give vectors as [n, k] (one per row) or one vector [k]`);
    if (formatShape(u.shape) !== formatShape(v.shape)) throw new Error(`inputs 'u' ${formatShape(u.shape)} and 'v' ${formatShape(v.shape)} differ in shape; pair vectors of the same length`);
    const [n, k] = rowsOf(u.shape);
    if (k < 2) throw new Error(`input 'u' has vectors of length ${k}; Plücker coordinates need k ≥ 2 (a plane in k dimensions)`);
    const width = pluckerSize(k);
    const shape = u.ndim === 1 ? [width] : [n, width];
    const big = sourceSizeProblem(shape);
    if (big) throw new Error(`the coordinates of ${formatShape(u.shape)} would be ${big}`);
    checkFinite(u, "input 'u'");
    checkFinite(v, "input 'v'");
    const row = new Float64Array(width);
    const out = new Tensor(shape);
    let degenerate = 0;
    let klein = 0;
    for (let r = 0; r < n; r++) {
      const norm = pluckerInto(u.data.subarray(r * k, (r + 1) * k), v.data.subarray(r * k, (r + 1) * k), k, row);
      if (norm === 0) degenerate++;
      if (k === 4) klein = Math.max(klein, kleinResidual(row));
      const scale = p.normalize ? 1 / Math.max(norm, 1e-8) : 1;
      for (let j = 0; j < width; j++) out.data[r * width + j] = row[j]! * scale;
    }
    return {
      tensor: out,
      info: {
        degeneratePairs: { value: degenerate, unit: 'pairs', doc: 'pairs with p = 0 (parallel or zero vectors: they span no plane; their row is 0)' },
        ...(k === 4 ? { kleinResidual: { value: klein, unit: '', doc: 'max |p01·p23 − p02·p13 + p03·p12| / ‖p‖² over the pairs (0 up to rounding)' } } : {}),
      },
    };
  },
});
