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

/** Writes a point's grid cell along each axis into `cell` (lower node) and `frac` (the fraction past
 * it); false when the point is outside [−1, 1]³. A coordinate within rounding of a node snaps to it,
 * so sampling at the nodes is exact. */
function pointCell(points: Float32Array, p: number, n: number, cell: Int32Array, frac: Float64Array): boolean {
  for (let a = 0; a < 3; a++) {
    const x = points[3 * p + a]!;
    if (!(x >= -1 && x <= 1)) return false;
    let g = ((x + 1) / 2) * (n - 1);
    const near = Math.round(g);
    if (Math.abs(g - near) < 1e-5 * n) g = near;
    const i = Math.min(n - 2, Math.floor(g));
    cell[a] = i;
    frac[a] = g - i;
  }
  return true;
}

const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
/** A colour clamped to [0, 1] passes its gradient only strictly inside. */
const pass = (v: number, d: number) => (v > 0 && v < 1 ? d : 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Evaluates the field at P points (xyz, P × 3) and, given dL/dσ and dL/dRGB at them, accumulates
 * dL/dθ into `grads` (tensors shaped like the params). One code path for both, so the backward pass
 * uses exactly the forward's interpolation weights. Written for speed (the hot loop of rendering and
 * distillation): each point's cell once, then straight loops over the ranks with the interpolated
 * plane and line values kept for the backward pass.
 */
export function evaluateField(f: RadianceField, points: Float32Array, upstream?: FieldGrad, grads?: Record<string, Tensor>, known?: FieldEval): FieldEval {
  if (f.arch === 'hash' || f.arch === 'mlp') return evaluateNeural(f, points, upstream, grads);
  const count = points.length / 3;
  const back = upstream && grads ? { upstream, grads } : null;
  // A backward pass given this field's own values at the points (`known`, from a forward pass on the
  // same params) needs no forward: VM's activations' derivatives follow from σ and RGB themselves.
  if (back && known && f.arch === 'vm') {
    vmField(f, points, known, back, true);
    return known;
  }
  const out: FieldEval = { sigma: new Float32Array(count), rgb: new Float32Array(count * 3) };
  if (f.arch === 'dense') denseField(f, points, out, back);
  else if (f.arch === 'vm') vmField(f, points, out, back, false);
  else cpField(f, points, out, back);
  return out;
}

type Backward = { upstream: FieldGrad; grads: Record<string, Tensor> } | null;

function denseField(f: RadianceField, points: Float32Array, out: FieldEval, back: Backward): void {
  const n = f.resolution;
  const grid = f.params.grid!.data;
  const g = back?.grads.grid!.data;
  const cell = new Int32Array(3);
  const frac = new Float64Array(3);
  const w = new Float64Array(8);
  const at = new Int32Array(8);
  for (let p = 0; p < points.length / 3; p++) {
    if (!pointCell(points, p, n, cell, frac)) continue;
    const fx = frac[0]!, fy = frac[1]!, fz = frac[2]!;
    let s = 0, r = 0, gg = 0, b = 0;
    for (let c = 0; c < 8; c++) {
      const dx = c & 1, dy = (c >> 1) & 1, dz = (c >> 2) & 1;
      w[c] = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy) * (dz ? fz : 1 - fz);
      at[c] = (((cell[0]! + dx) * n + cell[1]! + dy) * n + cell[2]! + dz) * 4;
      const k = at[c]!;
      s += w[c]! * grid[k]!;
      r += w[c]! * grid[k + 1]!;
      gg += w[c]! * grid[k + 2]!;
      b += w[c]! * grid[k + 3]!;
    }
    // Interpolated values of a valid grid are valid; the clamps only matter to a student in training.
    out.sigma[p] = Math.max(0, s);
    out.rgb[3 * p] = Math.min(1, Math.max(0, r));
    out.rgb[3 * p + 1] = Math.min(1, Math.max(0, gg));
    out.rgb[3 * p + 2] = Math.min(1, Math.max(0, b));
    if (!back || !g) continue;
    const u = back.upstream;
    const d0 = s > 0 ? u.sigma[p]! : 0;
    const d1 = pass(r, u.rgb[3 * p]!), d2 = pass(gg, u.rgb[3 * p + 1]!), d3 = pass(b, u.rgb[3 * p + 2]!);
    for (let c = 0; c < 8; c++) {
      const k = at[c]!;
      g[k]! += w[c]! * d0;
      g[k + 1]! += w[c]! * d1;
      g[k + 2]! += w[c]! * d2;
      g[k + 3]! += w[c]! * d3;
    }
  }
}

/**
 * VM, point by point: each point's cell and its per-pair weights held in locals, then straight
 * loops over the ranks (plane and line offsets stepped, no per-rank arithmetic on indices). With
 * `outKnown`, `out` already holds this field's values at the points (a forward pass on the same
 * params) and only the backward runs: its activations' derivatives follow from σ and RGB.
 */
function vmField(f: RadianceField, points: Float32Array, out: FieldEval, back: Backward, outKnown: boolean): void {
  const n = f.resolution;
  const nn = n * n;
  const rs = f.densityRank, rc = f.colorRank;
  const part = (src: Record<string, Tensor>, name: string) => VM_PAIRS.map((_, q) => src[`${name}${q}`]!.data);
  const names = ['densityPlane', 'densityLine', 'colorPlane', 'colorLine'];
  const [dP, dL, cP, cL] = names.map((k) => part(f.params, k)) as Float32Array[][];
  const [gdP, gdL, gcP, gcL] = back ? (names.map((k) => part(back.grads, k)) as Float32Array[][]) : [[], [], [], []];
  const basis = f.params.basis!.data;
  const gb = back?.grads.basis!.data;
  const cell = new Int32Array(3);
  const frac = new Float64Array(3);
  const PA = [0, 0, 1], PB = [1, 2, 2], PL = [2, 1, 0]; // VM_PAIRS: plane axes and line axis per pair
  for (let p = 0; p < points.length / 3; p++) {
    if (!pointCell(points, p, n, cell, frac)) continue;
    let sigma: number, c0: number, c1: number, c2: number, feature = 0;
    if (!outKnown) {
      let l0 = 0, l1 = 0, l2 = 0;
      for (let q = 0; q < 3; q++) {
        const fa = frac[PA[q]!]!, fb = frac[PB[q]!]!, fl = frac[PL[q]!]!;
        const w00 = (1 - fa) * (1 - fb), w01 = (1 - fa) * fb, w10 = fa * (1 - fb), w11 = fa * fb, v0 = 1 - fl, v1 = fl;
        const pa = cell[PA[q]!]! * n + cell[PB[q]!]!, la = cell[PL[q]!]!;
        const dp = dP[q]!, dl = dL[q]!, cp = cP[q]!, cl = cL[q]!;
        for (let r = 0, k = pa, m = la; r < rs; r++, k += nn, m += n) feature += (dp[k]! * w00 + dp[k + 1]! * w01 + dp[k + n]! * w10 + dp[k + n + 1]! * w11) * (dl[m]! * v0 + dl[m + 1]! * v1);
        for (let r = 0, k = pa, m = la, j = 3 * q * rc; r < rc; r++, k += nn, m += n, j += 3) {
          const fj = (cp[k]! * w00 + cp[k + 1]! * w01 + cp[k + n]! * w10 + cp[k + n + 1]! * w11) * (cl[m]! * v0 + cl[m + 1]! * v1);
          l0 += fj * basis[j]!;
          l1 += fj * basis[j + 1]!;
          l2 += fj * basis[j + 2]!;
        }
      }
      sigma = softplus(feature + DENSITY_SHIFT);
      c0 = sigmoid(l0);
      c1 = sigmoid(l1);
      c2 = sigmoid(l2);
      out.sigma[p] = sigma;
      out.rgb[3 * p] = c0;
      out.rgb[3 * p + 1] = c1;
      out.rgb[3 * p + 2] = c2;
    } else {
      sigma = out.sigma[p]!;
      c0 = out.rgb[3 * p]!;
      c1 = out.rgb[3 * p + 1]!;
      c2 = out.rgb[3 * p + 2]!;
    }
    if (!back || !gb) continue;
    // Backward: dσ/dfeature = sigmoid(feature + shift) = 1 − e^{−σ} (σ = softplus(feature + shift));
    // dc/dlogit = c(1 − c).
    const u = back.upstream;
    const dFeature = u.sigma[p]! * (outKnown ? -Math.expm1(-sigma) : sigmoid(feature + DENSITY_SHIFT));
    const g0 = u.rgb[3 * p]! * c0 * (1 - c0), g1 = u.rgb[3 * p + 1]! * c1 * (1 - c1), g2 = u.rgb[3 * p + 2]! * c2 * (1 - c2);
    for (let q = 0; q < 3; q++) {
      const fa = frac[PA[q]!]!, fb = frac[PB[q]!]!, fl = frac[PL[q]!]!;
      const w00 = (1 - fa) * (1 - fb), w01 = (1 - fa) * fb, w10 = fa * (1 - fb), w11 = fa * fb, v0 = 1 - fl, v1 = fl;
      const pa = cell[PA[q]!]! * n + cell[PB[q]!]!, la = cell[PL[q]!]!;
      if (dFeature !== 0) {
        const dp = dP[q]!, dl = dL[q]!, gp = gdP[q]!, gl = gdL[q]!;
        for (let r = 0, k = pa, m = la; r < rs; r++, k += nn, m += n) {
          const pv = dp[k]! * w00 + dp[k + 1]! * w01 + dp[k + n]! * w10 + dp[k + n + 1]! * w11;
          const lv = dl[m]! * v0 + dl[m + 1]! * v1;
          const sp = dFeature * lv, sl = dFeature * pv;
          gp[k]! += sp * w00;
          gp[k + 1]! += sp * w01;
          gp[k + n]! += sp * w10;
          gp[k + n + 1]! += sp * w11;
          gl[m]! += sl * v0;
          gl[m + 1]! += sl * v1;
        }
      }
      const cp = cP[q]!, cl = cL[q]!, gp = gcP[q]!, gl = gcL[q]!;
      for (let r = 0, k = pa, m = la, j = 3 * q * rc; r < rc; r++, k += nn, m += n, j += 3) {
        const pv = cp[k]! * w00 + cp[k + 1]! * w01 + cp[k + n]! * w10 + cp[k + n + 1]! * w11;
        const lv = cl[m]! * v0 + cl[m + 1]! * v1;
        const fj = pv * lv;
        gb[j]! += fj * g0;
        gb[j + 1]! += fj * g1;
        gb[j + 2]! += fj * g2;
        const d = basis[j]! * g0 + basis[j + 1]! * g1 + basis[j + 2]! * g2;
        if (d === 0) continue;
        const sp = d * lv, sl = d * pv;
        gp[k]! += sp * w00;
        gp[k + 1]! += sp * w01;
        gp[k + n]! += sp * w10;
        gp[k + n + 1]! += sp * w11;
        gl[m]! += sl * v0;
        gl[m + 1]! += sl * v1;
      }
    }
  }
}

function cpField(f: RadianceField, points: Float32Array, out: FieldEval, back: Backward): void {
  const n = f.resolution;
  const rs = f.densityRank, rc = f.colorRank;
  const dv = f.params.densityVectors!.data;
  const cv = f.params.colorVectors!.data;
  const basis = f.params.basis!.data;
  const gdv = back?.grads.densityVectors!.data;
  const gcv = back?.grads.colorVectors!.data;
  const gb = back?.grads.basis!.data;
  const cell = new Int32Array(3);
  const frac = new Float64Array(3);
  // Per point: each rank's three interpolated vector values (density, then appearance).
  const dvals = new Float64Array(3 * rs);
  const cvals = new Float64Array(3 * rc);
  for (let p = 0; p < points.length / 3; p++) {
    if (!pointCell(points, p, n, cell, frac)) continue;
    // Vector r of axis a starts at (a·R + r)·N; its value at the point is a lerp at the axis's cell.
    for (let a = 0; a < 3; a++) {
      const i = cell[a]!, fr = frac[a]!, fr0 = 1 - fr;
      for (let r = 0, k = a * rs * n + i; r < rs; r++, k += n) dvals[3 * r + a] = dv[k]! * fr0 + dv[k + 1]! * fr;
      for (let r = 0, k = a * rc * n + i; r < rc; r++, k += n) cvals[3 * r + a] = cv[k]! * fr0 + cv[k + 1]! * fr;
    }
    let feature = 0;
    for (let r = 0; r < rs; r++) feature += dvals[3 * r]! * dvals[3 * r + 1]! * dvals[3 * r + 2]!;
    let l0 = 0, l1 = 0, l2 = 0;
    for (let r = 0; r < rc; r++) {
      const fr = cvals[3 * r]! * cvals[3 * r + 1]! * cvals[3 * r + 2]!;
      l0 += fr * basis[3 * r]!;
      l1 += fr * basis[3 * r + 1]!;
      l2 += fr * basis[3 * r + 2]!;
    }
    const c0 = sigmoid(l0), c1 = sigmoid(l1), c2 = sigmoid(l2);
    out.sigma[p] = softplus(feature + DENSITY_SHIFT);
    out.rgb[3 * p] = c0;
    out.rgb[3 * p + 1] = c1;
    out.rgb[3 * p + 2] = c2;
    if (!back || !gb || !gdv || !gcv) continue;
    const u = back.upstream;
    const dFeature = u.sigma[p]! * sigmoid(feature + DENSITY_SHIFT);
    const g0 = u.rgb[3 * p]! * c0 * (1 - c0), g1 = u.rgb[3 * p + 1]! * c1 * (1 - c1), g2 = u.rgb[3 * p + 2]! * c2 * (1 - c2);
    const i0 = cell[0]!, i1 = cell[1]!, i2 = cell[2]!;
    const f0 = frac[0]!, f1 = frac[1]!, f2 = frac[2]!;
    // d(feature)/d(vector of axis a) = the other two axes' values; each spread over the two nodes.
    // Written out for density and again for colour: a shared helper measured 15 % slower here.
    if (dFeature !== 0)
      for (let r = 0; r < rs; r++) {
        const x = dvals[3 * r]!, y = dvals[3 * r + 1]!, z = dvals[3 * r + 2]!;
        const s0 = dFeature * y * z, s1 = dFeature * x * z, s2 = dFeature * x * y;
        const k0 = r * n + i0, k1 = (rs + r) * n + i1, k2 = (2 * rs + r) * n + i2;
        gdv[k0]! += s0 * (1 - f0);
        gdv[k0 + 1]! += s0 * f0;
        gdv[k1]! += s1 * (1 - f1);
        gdv[k1 + 1]! += s1 * f1;
        gdv[k2]! += s2 * (1 - f2);
        gdv[k2 + 1]! += s2 * f2;
      }
    for (let r = 0; r < rc; r++) {
      const x = cvals[3 * r]!, y = cvals[3 * r + 1]!, z = cvals[3 * r + 2]!;
      const fr = x * y * z;
      gb[3 * r]! += fr * g0;
      gb[3 * r + 1]! += fr * g1;
      gb[3 * r + 2]! += fr * g2;
      const d = basis[3 * r]! * g0 + basis[3 * r + 1]! * g1 + basis[3 * r + 2]! * g2;
      if (d === 0) continue;
      const s0 = d * y * z, s1 = d * x * z, s2 = d * x * y;
      const k0 = r * n + i0, k1 = (rc + r) * n + i1, k2 = (2 * rc + r) * n + i2;
      gcv[k0]! += s0 * (1 - f0);
      gcv[k0 + 1]! += s0 * f0;
      gcv[k1]! += s1 * (1 - f1);
      gcv[k1 + 1]! += s1 * f1;
      gcv[k2]! += s2 * (1 - f2);
      gcv[k2 + 1]! += s2 * f2;
    }
  }
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
