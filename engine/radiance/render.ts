// Emission–absorption volume rendering of a radiance field, the one definition every user of it shares
// (distillation, PSNR, headless PNGs; the viewer's shader matches it). A ray crosses the box [−1, 1]³
// between its entry and exit; `samples` points at the midpoints of equal steps δ between them give
// α_i = 1 − exp(−σ_i δ), T_i = Π_{j<i} (1 − α_j), C = Σ T_i α_i c_i + T_final · background. For a
// piecewise-constant σ this transmittance is exact for any number of samples. The backward pass
// gives dL/dσ_i = δ (T_{i+1} c_i − Σ_{j>i} T_j α_j c_j − T_final · bg) · dL/dC and dL/dc_i = T_i α_i dL/dC,
// then the field's own backward turns them into parameter gradients.
import { Tensor } from '../tensor';
import { evaluateField, type FieldEval, type RadianceField } from './field';

export type Vec3 = [number, number, number];

export interface Camera {
  eye: Vec3;
  target: Vec3;
  up: Vec3;
  /** Vertical field of view, radians. */
  fovY: number;
  width: number;
  height: number;
}

export interface RenderOptions {
  samples: number;
  background: Vec3;
  /** Display only: every density times this (1 when absent). */
  densityScale?: number;
}

export const DEFAULT_RENDER: RenderOptions = { samples: 96, background: [1, 1, 1] };

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => {
  const l = Math.hypot(...a) || 1;
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** A camera on a sphere around the origin looking at it: azimuth about the z axis and elevation from
 * the xy plane (radians), at `distance`, z up. */
export function orbitCamera(azimuth: number, elevation: number, size: number, distance = 3.5, fovY = (40 * Math.PI) / 180): Camera {
  const eye: Vec3 = [distance * Math.cos(elevation) * Math.cos(azimuth), distance * Math.cos(elevation) * Math.sin(azimuth), distance * Math.sin(elevation)];
  return { eye, target: [0, 0, 0], up: [0, 0, 1], fovY, width: size, height: size };
}

/** One ray through the centre of every pixel (row-major from the top left): origins and unit directions. */
export function cameraRays(cam: Camera): { origins: Float32Array; dirs: Float32Array } {
  const forward = unit(sub(cam.target, cam.eye));
  const right = unit(cross(forward, cam.up));
  const up = cross(right, forward);
  const h = Math.tan(cam.fovY / 2);
  const aspect = cam.width / cam.height;
  const count = cam.width * cam.height;
  const origins = new Float32Array(count * 3);
  const dirs = new Float32Array(count * 3);
  for (let y = 0; y < cam.height; y++)
    for (let x = 0; x < cam.width; x++) {
      const px = ((2 * (x + 0.5)) / cam.width - 1) * h * aspect;
      const py = (1 - (2 * (y + 0.5)) / cam.height) * h;
      const d = unit([forward[0] + px * right[0] + py * up[0], forward[1] + px * right[1] + py * up[1], forward[2] + px * right[2] + py * up[2]]);
      const r = y * cam.width + x;
      origins.set(cam.eye, 3 * r);
      dirs.set(d, 3 * r);
    }
  return { origins, dirs };
}

/** Where a ray enters and leaves [−1, 1]³ (slab method), or null when it misses. */
export function rayBox(o: ArrayLike<number>, d: ArrayLike<number>, at = 0): [number, number] | null {
  let [lo, hi] = [0, Infinity];
  for (let a = 0; a < 3; a++) {
    const oa = o[at + a]!;
    const da = d[at + a]!;
    if (Math.abs(da) < 1e-12) {
      if (oa < -1 || oa > 1) return null;
      continue;
    }
    let t0 = (-1 - oa) / da;
    let t1 = (1 - oa) / da;
    if (t0 > t1) [t0, t1] = [t1, t0];
    lo = Math.max(lo, t0);
    hi = Math.min(hi, t1);
  }
  return hi > lo ? [lo, hi] : null;
}

/** The sample points of a batch of rays (R × samples × 3; rays that miss the box get points outside
 * it, which evaluate empty) and each ray's step δ (0 for a miss). */
export function samplePoints(origins: Float32Array, dirs: Float32Array, samples: number): { points: Float32Array; deltas: Float32Array } {
  const rays = origins.length / 3;
  const points = new Float32Array(rays * samples * 3).fill(2);
  const deltas = new Float32Array(rays);
  for (let r = 0; r < rays; r++) {
    const hit = rayBox(origins, dirs, 3 * r);
    if (!hit) continue;
    const delta = (hit[1] - hit[0]) / samples;
    deltas[r] = delta;
    for (let s = 0; s < samples; s++) {
      const t = hit[0] + (s + 0.5) * delta;
      for (let a = 0; a < 3; a++) points[(r * samples + s) * 3 + a] = Math.min(1, Math.max(-1, origins[3 * r + a]! + t * dirs[3 * r + a]!));
    }
  }
  return { points, deltas };
}

export interface RenderResult {
  /** R × 3 colours. */
  colors: Float32Array;
  /** Each ray's final transmittance. */
  transmittance: Float32Array;
  /** σ and RGB at the samples (R × samples), when the renderer kept them. */
  samples?: FieldEval;
}

/**
 * Renders rays through a field; with `dColors` (dL/dC, R × 3) and `grads`, accumulates dL/dθ of the
 * field's params into `grads`.
 */
export function renderRays(field: RadianceField, origins: Float32Array, dirs: Float32Array, opts: RenderOptions, dColors?: Float32Array, grads?: Record<string, Tensor>, known?: RenderResult): RenderResult {
  const S = opts.samples;
  const rays = origins.length / 3;
  const { points, deltas } = samplePoints(origins, dirs, S);
  // `known`: this field's render of these rays with these options (its sample values), for a backward
  // pass without a second forward.
  const values = known?.samples ?? evaluateField(field, points);
  const { sigma, rgb } = values;
  const colors = new Float32Array(rays * 3);
  const transmittance = new Float32Array(rays);
  const bg = opts.background;
  const scale = opts.densityScale ?? 1;
  const dSigma = dColors ? new Float32Array(rays * S) : null;
  const dRgb = dColors ? new Float32Array(rays * S * 3) : null;
  const T = new Float64Array(S + 1);
  const w = new Float64Array(S);
  for (let r = 0; r < rays; r++) {
    const delta = deltas[r]!;
    T[0] = 1;
    const c = [0, 0, 0];
    for (let s = 0; s < S; s++) {
      const i = r * S + s;
      const a = 1 - Math.exp(-scale * sigma[i]! * delta);
      w[s] = T[s]! * a;
      T[s + 1] = T[s]! * (1 - a);
      for (let k = 0; k < 3; k++) c[k]! += w[s]! * rgb[3 * i + k]!;
    }
    const tf = T[S]!;
    transmittance[r] = tf;
    for (let k = 0; k < 3; k++) colors[3 * r + k] = c[k]! + tf * bg[k];
    if (!dColors) continue;
    // Backward, from the far end: `after` = Σ_{j>i} w_j c_j + T_final · bg, per channel.
    const g = [dColors[3 * r]!, dColors[3 * r + 1]!, dColors[3 * r + 2]!];
    const after = [tf * bg[0], tf * bg[1], tf * bg[2]];
    for (let s = S - 1; s >= 0; s--) {
      const i = r * S + s;
      let ds = 0;
      for (let k = 0; k < 3; k++) {
        const ck = rgb[3 * i + k]!;
        ds += g[k]! * (T[s + 1]! * ck - after[k]!);
        dRgb![3 * i + k] = g[k]! * w[s]!;
        after[k]! += w[s]! * ck;
      }
      dSigma![i] = scale * delta * ds;
    }
  }
  if (dColors && grads) evaluateField(field, points, { sigma: dSigma!, rgb: dRgb! }, grads, values);
  return { colors, transmittance, samples: values };
}

/** The field's image from a camera: [height, width, 3]. */
export function renderImage(field: RadianceField, cam: Camera, opts: RenderOptions = DEFAULT_RENDER): Tensor {
  const { origins, dirs } = cameraRays(cam);
  return new Tensor([cam.height, cam.width, 3], renderRays(field, origins, dirs, opts).colors);
}

/** PSNR in dB of an image against a reference, both in [0, 1] (Infinity when equal). */
export function psnr(image: ArrayLike<number>, reference: ArrayLike<number>): number {
  let se = 0;
  for (let i = 0; i < image.length; i++) se += (image[i]! - reference[i]!) ** 2;
  const mse = se / image.length;
  return mse === 0 ? Infinity : 10 * Math.log10(1 / mse);
}
