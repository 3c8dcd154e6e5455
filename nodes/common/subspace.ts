// Bases of subspaces as the Grassmann nodes take them: a tensor [m, p] (its columns span the
// subspace; any basis), an SVD's U, or a Tucker factor of a chosen mode. Checked by name.
import { checkFinite, formatShape, mat, type Mat, type SvdValue, type Tensor, type TuckerValue } from '../../engine';

/** The types a subspace input accepts. */
export const SUBSPACE_TYPES = ['tensor', 'svd', 'tucker'] as const;

/** The basis on input `port`: a matrix [m, p] (a vector [m] is a 1-D subspace), U of an SVD, or
 * factor `mode` of a Tucker decomposition. */
export function basisOf(value: Tensor | SvdValue | TuckerValue, port: string, mode: number): Mat {
  let t: Tensor;
  let what: string;
  if (value.kind === 'svd') [t, what] = [value.u, `input '${port}' (the SVD's U)`];
  else if (value.kind === 'tucker') {
    if (mode >= value.factors.length) throw new Error(`param 'mode' is ${mode}, but the Tucker decomposition on input '${port}' has ${value.factors.length} modes (0 … ${value.factors.length - 1})`);
    [t, what] = [value.factors[mode]!, `input '${port}' (the Tucker factor of mode ${mode})`];
  } else [t, what] = [value, `input '${port}'`];
  if (t.ndim !== 1 && t.ndim !== 2) throw new Error(`${what} is ${formatShape(t.shape)}; a subspace is given by a matrix [m, p] whose columns span it (or a vector [m])`);
  checkFinite(t, what);
  const [m, p] = t.ndim === 2 ? [t.shape[0]!, t.shape[1]!] : [t.shape[0]!, 1];
  return mat(m, p, Float64Array.from(t.data));
}

/** The bases on inputs 'a' and 'b', which must live in the same space (the same m). */
export function twoBases(a: Tensor | SvdValue | TuckerValue, b: Tensor | SvdValue | TuckerValue, mode: number): [Mat, Mat] {
  const A = basisOf(a, 'a', mode);
  const B = basisOf(b, 'b', mode);
  if (A.rows !== B.rows) throw new Error(`inputs 'a' (${A.rows} × ${A.cols}) and 'b' (${B.rows} × ${B.cols}) live in different spaces: both need the same number of rows m`);
  return [A, B];
}

/** The port specs of the two subspaces a comparison takes. */
export const SUBSPACE_PAIR = [
  { name: 'a', type: SUBSPACE_TYPES, doc: 'first subspace: a matrix [m, p] whose columns span it, an SVD (its U) or a Tucker decomposition (factor `mode`)' },
  { name: 'b', type: SUBSPACE_TYPES, doc: 'second subspace, in the same space (m rows)' },
] as const;
