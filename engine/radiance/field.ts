// Radiance fields: an architecture and its parameters, evaluable at points x ∈ [−1, 1]³ to a density
// σ(x) ≥ 0 (per unit length) and a colour c(x) ∈ [0, 1]³ (view-independent). Grids are corner-aligned:
// index i of N sits at −1 + 2i/(N − 1); between nodes, linear (trilinear in 3-D); outside the box the
// field is empty (σ = 0, c = 0).
//   dense  N³ × 4 values: σ and RGB at every node, trilinear, σ ≥ 0 and RGB in [0, 1] as stored (the
//          tensor format [N, N, N, 4] of source.radiance and radiance.sample);
//   vm     TensoRF's vector–matrix factorisation: a density feature Σ_r P^xy_r(x, y)·L^z_r(z) + the
//          same over (xz, y) and (yz, x), rank Rσ each, σ = softplus(feature − 10) (TensoRF's shift);
//          appearance features, Rc per pair (3Rc in all), mapped by a 3Rc × 3 basis, colour = sigmoid;
//   cp     CP: density feature Σ_r v^x_r(x)·v^y_r(y)·v^z_r(z) (rank Rσ), the same activation; Rc
//          appearance components by an Rc × 3 basis, sigmoid.
//   hash, mlp  an MLP from Instant-NGP's hash encoding or NeRF's positional encoding (neural.ts).
// Every parameter is one float32 tensor, listed in `params` (their sizes are the field's `params`).
import { Tensor, formatShape } from '../tensor';
import { evaluateNeural, neuralShapes } from './neural';
import type { FieldEval, FieldGrad, NeuralSizes, RadianceArch, RadianceField } from './types';

export type { FieldEval, FieldGrad, RadianceArch, RadianceField } from './types';

export const GRID_ARCHS: readonly RadianceArch[] = ['dense', 'vm', 'cp'];


/** TensoRF's shift of the density feature before the softplus. */
export const DENSITY_SHIFT = -10;
/** The pairs of VM: a plane over two axes and a line along the third. */
export const VM_PAIRS: readonly { plane: [number, number]; line: number }[] = [
  { plane: [0, 1], line: 2 },
  { plane: [0, 2], line: 1 },
  { plane: [1, 2], line: 0 },
];

/** The shape of every parameter of an architecture. */
export function paramShapes(arch: RadianceArch, n: number, rs: number, rc: number, neural?: NeuralSizes): Record<string, number[]> {
  if (arch === 'hash' || arch === 'mlp') return neuralShapes(arch, neural!);
  if (arch === 'dense') return { grid: [n, n, n, 4] };
  if (arch === 'vm') {
    const out: Record<string, number[]> = {};
    VM_PAIRS.forEach((_, p) => {
      out[`densityPlane${p}`] = [rs, n, n];
      out[`densityLine${p}`] = [rs, n];
    });
    VM_PAIRS.forEach((_, p) => {
      out[`colorPlane${p}`] = [rc, n, n];
      out[`colorLine${p}`] = [rc, n];
    });
    out.basis = [3 * rc, 3];
    return out;
  }
  return { densityVectors: [3, rs, n], colorVectors: [3, rc, n], basis: [rc, 3] };
}

/** Numbers a field stores. */
export const paramCount = (f: RadianceField): number => Object.values(f.params).reduce((n, t) => n + t.size, 0);

/** A field with zero parameters of the given architecture and sizes (checked). */
export function emptyField(arch: RadianceArch, resolution: number, densityRank = 1, colorRank = 1, neural?: NeuralSizes): RadianceField {
  if (!Number.isInteger(resolution) || resolution < 2) throw new Error(`resolution ${resolution}: a grid needs at least 2 nodes per axis`);
  if ((arch === 'hash' || arch === 'mlp') && !neural) throw new Error(`a ${arch} field needs its encoding and MLP sizes`);
  const shapes = paramShapes(arch, resolution, densityRank, colorRank, neural);
  const params: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) params[name] = new Tensor(shape);
  return { kind: 'radiance', arch, resolution, densityRank, colorRank, ...(neural && (arch === 'hash' || arch === 'mlp') ? { neural } : {}), params };
}

/** A point's grid cell and weights along one axis: the lower node and the fraction past it, or null
 * outside [−1, 1]. */
function axisCell(x: number, n: number): { i: number; f: number } | null {
  if (!(x >= -1 && x <= 1)) return null;
  let g = ((x + 1) / 2) * (n - 1);
  // A node's float32 coordinate lands within rounding of it: snap, so sampling at the nodes is exact.
  const near = Math.round(g);
  if (Math.abs(g - near) < 1e-5 * n) g = near;
  const i = Math.min(n - 2, Math.floor(g));
  return { i, f: g - i };
}

const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Evaluates the field at P points (xyz, P × 3) and, given dL/dσ and dL/dRGB at them, accumulates
 * dL/dθ into `grads` (tensors shaped like the params). One code path for both, so the backward pass
 * uses exactly the forward's interpolation weights.
 */
export function evaluateField(f: RadianceField, points: Float32Array, upstream?: FieldGrad, grads?: Record<string, Tensor>): FieldEval {
  if (f.arch === 'hash' || f.arch === 'mlp') return evaluateNeural(f, points, upstream, grads);
  const count = points.length / 3;
  const sigma = new Float32Array(count);
  const rgb = new Float32Array(count * 3);
  const n = f.resolution;
  const cells: ({ i: number; f: number } | null)[] = [null, null, null];
  // Linear interpolation along an axis of a [R, N] line, and bilinear over two axes of an [R, N, N] plane.
  const lin = (t: Float32Array, r: number, a: number) => t[r * n + cells[a]!.i]! * (1 - cells[a]!.f) + t[r * n + cells[a]!.i + 1]! * cells[a]!.f;
  const linGrad = (g: Float32Array, r: number, a: number, v: number) => {
    g[r * n + cells[a]!.i]! += v * (1 - cells[a]!.f);
    g[r * n + cells[a]!.i + 1]! += v * cells[a]!.f;
  };
  const bil = (t: Float32Array, r: number, a: number, b: number) => {
    const [u, v] = [cells[a]!, cells[b]!];
    const at = (r * n + u.i) * n + v.i;
    return t[at]! * (1 - u.f) * (1 - v.f) + t[at + 1]! * (1 - u.f) * v.f + t[at + n]! * u.f * (1 - v.f) + t[at + n + 1]! * u.f * v.f;
  };
  const bilGrad = (g: Float32Array, r: number, a: number, b: number, s: number) => {
    const [u, v] = [cells[a]!, cells[b]!];
    const at = (r * n + u.i) * n + v.i;
    g[at]! += s * (1 - u.f) * (1 - v.f);
    g[at + 1]! += s * (1 - u.f) * v.f;
    g[at + n]! += s * u.f * (1 - v.f);
    g[at + n + 1]! += s * u.f * v.f;
  };
  // CP's three vectors per axis, as views (made once, not per point).
  const cpViews = (t: Tensor | undefined, rank: number) => (t ? [0, 1, 2].map((a) => t.data.subarray(a * rank * n, (a + 1) * rank * n)) : []);
  const [dvs, cvs] = [cpViews(f.params.densityVectors, f.densityRank), cpViews(f.params.colorVectors, f.colorRank)];
  const [gdvs, gcvs] = [cpViews(grads?.densityVectors, f.densityRank), cpViews(grads?.colorVectors, f.colorRank)];
  // VM's planes and lines per pair, and their gradients.
  const vmParts = (src: Record<string, Tensor> | undefined) => VM_PAIRS.map((_, pi) => (src && f.arch === 'vm' ? [src[`densityPlane${pi}`]!.data, src[`densityLine${pi}`]!.data, src[`colorPlane${pi}`]!.data, src[`colorLine${pi}`]!.data] : []));
  const [vm, gvm] = [vmParts(f.params), vmParts(grads)];
  // Per-point scratch, made once: the appearance features and their gradient.
  const features = new Float64Array(f.arch === 'vm' ? 3 * f.colorRank : f.colorRank);
  const dFeatures = new Float64Array(features.length);
  for (let p = 0; p < count; p++) {
    let inside = true;
    for (let a = 0; a < 3; a++) {
      cells[a] = axisCell(points[3 * p + a]!, n);
      if (!cells[a]) inside = false;
    }
    if (!inside) continue;
    const [cx, cy, cz] = cells as { i: number; f: number }[];
    const gs = upstream ? upstream.sigma[p]! : 0;
    const gc = upstream ? [upstream.rgb[3 * p]!, upstream.rgb[3 * p + 1]!, upstream.rgb[3 * p + 2]!] : null;
    if (f.arch === 'dense') {
      const grid = f.params.grid!.data;
      const out = [0, 0, 0, 0];
      for (let c = 0; c < 8; c++) {
        const [dx, dy, dz] = [c & 1, (c >> 1) & 1, (c >> 2) & 1];
        const w = (dx ? cx!.f : 1 - cx!.f) * (dy ? cy!.f : 1 - cy!.f) * (dz ? cz!.f : 1 - cz!.f);
        const at = (((cx!.i + dx) * n + cy!.i + dy) * n + cz!.i + dz) * 4;
        for (let k = 0; k < 4; k++) out[k]! += w * grid[at + k]!;
      }
      // Interpolated values of a valid grid are valid; the clamps only matter to a student in training.
      sigma[p] = Math.max(0, out[0]!);
      for (let k = 0; k < 3; k++) rgb[3 * p + k] = Math.min(1, Math.max(0, out[k + 1]!));
      if (upstream && grads) {
        const g = grads.grid!.data;
        const d = [out[0]! > 0 ? gs : 0, ...[0, 1, 2].map((k) => (out[k + 1]! > 0 && out[k + 1]! < 1 ? gc![k]! : 0))];
        for (let c = 0; c < 8; c++) {
          const [dx, dy, dz] = [c & 1, (c >> 1) & 1, (c >> 2) & 1];
          const w = (dx ? cx!.f : 1 - cx!.f) * (dy ? cy!.f : 1 - cy!.f) * (dz ? cz!.f : 1 - cz!.f);
          const at = (((cx!.i + dx) * n + cy!.i + dy) * n + cz!.i + dz) * 4;
          for (let k = 0; k < 4; k++) g[at + k]! += w * d[k]!;
        }
      }
      continue;
    }
    const rs = f.densityRank;
    const rc = f.colorRank;
    // The density feature, and the appearance features (vm: 3Rc, cp: Rc).
    let feature = 0;
    features.fill(0);
    if (f.arch === 'vm') {
      VM_PAIRS.forEach(({ plane: [a, b], line }, pi) => {
        const [dp, dl, cp, cl] = vm[pi]! as Float32Array[];
        for (let r = 0; r < rs; r++) feature += bil(dp!, r, a, b) * lin(dl!, r, line);
        for (let r = 0; r < rc; r++) features[pi * rc + r] = bil(cp!, r, a, b) * lin(cl!, r, line);
      });
    } else {
      for (let r = 0; r < rs; r++) feature += lin(dvs[0]!, r, 0) * lin(dvs[1]!, r, 1) * lin(dvs[2]!, r, 2);
      for (let r = 0; r < rc; r++) features[r] = lin(cvs[0]!, r, 0) * lin(cvs[1]!, r, 1) * lin(cvs[2]!, r, 2);
    }
    sigma[p] = softplus(feature + DENSITY_SHIFT);
    const basis = f.params.basis!.data;
    const logits = [0, 0, 0];
    for (let j = 0; j < features.length; j++) for (let k = 0; k < 3; k++) logits[k]! += features[j]! * basis[j * 3 + k]!;
    for (let k = 0; k < 3; k++) rgb[3 * p + k] = sigmoid(logits[k]!);
    if (!upstream || !grads) continue;
    // Backward: dσ/dfeature = sigmoid(feature + shift); dc/dlogit = c(1 − c).
    const dFeature = gs * sigmoid(feature + DENSITY_SHIFT);
    const dLogits = [0, 1, 2].map((k) => gc![k]! * rgb[3 * p + k]! * (1 - rgb[3 * p + k]!));
    const gb = grads.basis!.data;
    dFeatures.fill(0);
    for (let j = 0; j < features.length; j++)
      for (let k = 0; k < 3; k++) {
        gb[j * 3 + k]! += features[j]! * dLogits[k]!;
        dFeatures[j]! += basis[j * 3 + k]! * dLogits[k]!;
      }
    if (f.arch === 'vm') {
      VM_PAIRS.forEach(({ plane: [a, b], line }, pi) => {
        const [dp, dl, cp, cl] = vm[pi]! as Float32Array[];
        const [gdp, gdl, gcp, gcl] = gvm[pi]! as Float32Array[];
        for (let r = 0; r < rs; r++) {
          const [pv, lv] = [bil(dp, r, a, b), lin(dl, r, line)];
          bilGrad(gdp, r, a, b, dFeature * lv);
          linGrad(gdl, r, line, dFeature * pv);
        }
        for (let r = 0; r < rc; r++) {
          const [pv, lv] = [bil(cp, r, a, b), lin(cl, r, line)];
          const d = dFeatures[pi * rc + r]!;
          bilGrad(gcp, r, a, b, d * lv);
          linGrad(gcl, r, line, d * pv);
        }
      });
    } else {
      const cpGrad = (v: Float32Array[], g: Float32Array[], r: number, d: number) => {
        const [v0, v1, v2] = [lin(v[0]!, r, 0), lin(v[1]!, r, 1), lin(v[2]!, r, 2)];
        linGrad(g[0]!, r, 0, d * v1 * v2);
        linGrad(g[1]!, r, 1, d * v0 * v2);
        linGrad(g[2]!, r, 2, d * v0 * v1);
      };
      for (let r = 0; r < rs; r++) cpGrad(dvs, gdvs, r, dFeature);
      for (let r = 0; r < rc; r++) cpGrad(cvs, gcvs, r, dFeatures[r]!);
    }
  }
  return { sigma, rgb };
}

/** Zero tensors shaped like a field's params (for gradients). */
export const zerosLike = (f: RadianceField): Record<string, Tensor> => Object.fromEntries(Object.entries(f.params).map(([k, t]) => [k, new Tensor(t.shape)]));

/** A dense field from the grid tensor format [N, N, N, 4] (σ ≥ 0, RGB in [0, 1]), checked. */
export function denseFromGrid(t: Tensor, what = 'the grid'): RadianceField {
  const [n, n1, n2, c] = t.shape;
  if (t.ndim !== 4 || n !== n1 || n !== n2 || c !== 4 || n! < 2) throw new Error(`${what} is ${formatShape(t.shape)}; a radiance grid is [N, N, N, 4] (N ≥ 2: σ, then RGB, at N³ corner-aligned nodes of [−1, 1]³)`);
  for (let i = 0; i < t.size; i += 4) {
    const s = t.data[i]!;
    if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`${what}: density (channel 0) at node ${nodeAt(i / 4, n!)} is ${s}; densities are finite and ≥ 0`);
    for (let k = 1; k < 4; k++) {
      const v = t.data[i + k]!;
      if (!(v >= 0 && v <= 1)) throw new Error(`${what}: colour channel ${k} at node ${nodeAt(i / 4, n!)} is ${v}; RGB lies in [0, 1]`);
    }
  }
  return { kind: 'radiance', arch: 'dense', resolution: n!, densityRank: 0, colorRank: 0, params: { grid: t } };
}

const nodeAt = (i: number, n: number) => `[${Math.floor(i / (n * n))}, ${Math.floor(i / n) % n}, ${i % n}]`;

/** The field sampled at an N³ corner-aligned grid: the tensor format [N, N, N, 4]. */
export function sampleField(f: RadianceField, n: number): Tensor {
  const pts = new Float32Array(n * n * n * 3);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++) {
        const at = ((i * n + j) * n + k) * 3;
        pts[at] = -1 + (2 * i) / (n - 1);
        pts[at + 1] = -1 + (2 * j) / (n - 1);
        pts[at + 2] = -1 + (2 * k) / (n - 1);
      }
  const e = evaluateField(f, pts);
  const out = new Tensor([n, n, n, 4]);
  for (let p = 0; p < n * n * n; p++) {
    out.data[4 * p] = e.sigma[p]!;
    for (let k = 0; k < 3; k++) out.data[4 * p + 1 + k] = e.rgb[3 * p + k]!;
  }
  return out;
}
