// Progressive Volume Distillation (Fang et al., AAAI 2023) between radiance-field architectures, with
// PVD-AL's active learning (arXiv 2304.04012), written once over a backend's RadianceOps (ops.ts):
//   1. alignment (grid students; a hash or MLP student has no grid to align and starts He-initialised):
//      a grid student (dense, vm, cp) starts from the teacher sampled at its own N³ nodes —
//      dense copies it; cp is the CP decomposition (engine/decomp) of the teacher's pre-activation
//      density (softplus⁻¹(σ) + 10, σ clamped to ALIGN_SIGMA) and of its colour logits (an N × N × N × 3 tensor, the basis its
//      last factor); vm fits its three plane–line pairs by block coordinate descent (fitVm) to the
//      pre-activation density and to each of the colour logits' three voxel × channel components;
//   2. points: density on a clamped log scale, (log(1 + min(σ_s, 1e3)) − log(1 + min(σ_t, 1e3)))², so
//      empty space and dense cores weigh alike, and colour squared error weighted by the teacher's
//      opacity over 0.1 units (1 − e^{−0.1σ_t}), at points uniform in the box;
//   3. rays: the squared error of the student's renders against the teacher's, on rays from random
//      orbit cameras (eye at distance 3.5, aimed at a random point of [−0.8, 0.8]³), the point loss
//      kept at a tenth of its weight.
// The first steps train points (a tenth for an aligned grid student, a third for a network:
// DEFAULT_POINT_SHARE), the rest rays. Active learning keeps the quarter of each
// batch the student got most wrong and puts jittered copies of them in the next batch (half a cell for
// points, 0.02 rad for rays). Adam (β 0.9, 0.99) with a cosine schedule; deterministic for a seed.
import { cp } from '../decomp';
import { mat, svd } from '../linalg';
import { RandomSource } from '../random';
import { Tensor } from '../tensor';
import { DENSITY_SHIFT, VM_PAIRS, emptyField, sampleField, type RadianceArch, type RadianceField } from './field';
import { cpuRadianceOps, type FieldSlot, type GradSource, type RadianceOps } from './ops';
import { cameraRays, orbitCamera, psnr, type RenderOptions } from './render';
import { initNeural, type NeuralSizes } from './neural';

export interface DistillOptions {
  student: RadianceArch;
  resolution: number;
  densityRank: number;
  colorRank: number;
  /** hash, mlp: the encoding's and the MLP's sizes. */
  neural?: NeuralSizes;
  steps: number;
  seed: number;
  activeLearning: boolean;
  /** Rays per step (ray stage) and points per step (point stage). */
  rays: number;
  points: number;
  samples: number;
  /** Adam's rate (default per architecture: DEFAULT_LR). */
  lr?: number;
  /** Held-out views for PSNR, and their size. */
  views: number;
  viewSize: number;
  /** Measure PSNR every this many steps (0: only at the end). */
  psnrEvery: number;
  /** The share of the steps that train on points alone before rays join (default DEFAULT_POINT_SHARE). */
  pointShare?: number;
  /** Every `every` steps, the teacher's and the student's render of the first held-out view (RGB,
   * viewSize² × 3) while training goes on: for watching the student sharpen. */
  preview?: { every: number; show: (step: number, teacher: Float32Array, student: Float32Array) => Promise<void> | void };
  /** Called each step (it may throw to cancel). */
  progress?: (step: number, steps: number, loss: number, psnr?: number) => void;
}

export const DISTILL_DEFAULTS = { rays: 256, points: 2048, samples: 48, views: 6, viewSize: 40, psnrEvery: 0 } as const;

/** Adam's default rate per student: an aligned VM starts close and keeps its fit at 0.01 (on spheres
 * 64³ → VM (8, 16), 300 steps: 0.02 40.6 dB, 0.01 42.4, 0.005 41.3); CP's three-vector products move
 * faster than planes (on spheres 32³ → CP (24, 48), 0.005 beat 0.02 at every one of 60 steps); the
 * networks want the rates Instant-NGP and NeRF use. */
export const DEFAULT_LR: Record<RadianceArch, number> = { dense: 0.02, vm: 0.01, cp: 0.005, hash: 0.01, mlp: 0.005 };

/** Stage 2's share of the steps: a tenth for an aligned grid student (on spheres 64³, 300 steps:
 * VM (8, 16) 42.4 dB against 41.5 with a third, CP (48, 96) 35.3 against 35.2), a third for a network,
 * which starts from nothing and learns the field's layout there. */
export const DEFAULT_POINT_SHARE: Record<RadianceArch, number> = { dense: 0.1, vm: 0.1, cp: 0.1, hash: 1 / 3, mlp: 1 / 3 };

/** The camera, size and background of the PSNR views: said in the node's doc. */
export const PSNR_RENDER: RenderOptions = { samples: 96, background: [1, 1, 1] };
export const psnrCameras = (views: number, size: number) => Array.from({ length: views }, (_, k) => orbitCamera((2 * Math.PI * (k + 0.5)) / views, k % 2 ? -0.35 : 0.35, size));

export interface DistillResult {
  field: RadianceField;
  trace: Float32Array;
  psnr: number;
  seconds: number;
  /** What stage 1 did. */
  alignment: string;
  /** The PSNR measured along the way: step, seconds of training until then (PSNR time left out), dB. */
  psnrTrace: { step: number; seconds: number; psnr: number }[];
  /** Seconds spent measuring PSNR (and rendering previews). */
  psnrSeconds: number;
  /** Seconds of stage 1 (alignment, on the host). */
  alignSeconds: number;
}

const softplusInverse = (y: number) => (y > 20 ? y : Math.log(Math.expm1(y)));

/** The teacher's density as stage 1 fits it: clamped to [1e−3, 12] before softplus⁻¹, so the
 * factorisation spends its rank on the cloud and the edges rather than on empty space far below
 * visibility (1e−3 over the box's diagonal absorbs 0.3 %) or on cores that are opaque either way (12
 * through a sphere of radius 0.2 lets 0.8 % through). On spheres 64³ → VM (8, 16) the aligned
 * student's PSNR rose from 31.3 to 33.0 dB (unclamped: [1e−4, ∞)). */
export const ALIGN_SIGMA = [1e-3, 12] as const;
const logit = (c: number) => Math.log(c / (1 - c));

/** Stage 1: the student from the teacher sampled at its nodes. */
async function align(teacher: RadianceField, s: RadianceField, random: RandomSource): Promise<string> {
  const n = s.resolution;
  const g = sampleField(teacher, n);
  if (s.arch === 'dense') {
    s.params.grid!.data.set(g.data);
    return `dense ${n}³: the teacher sampled at its nodes`;
  }
  const voxels = n * n * n;
  const raw = new Tensor([n, n, n]);
  const logits = new Tensor([n, n, n, 3]);
  for (let v = 0; v < voxels; v++) {
    raw.data[v] = softplusInverse(Math.min(ALIGN_SIGMA[1], Math.max(g.data[4 * v]!, ALIGN_SIGMA[0]))) - DENSITY_SHIFT;
    for (let k = 0; k < 3; k++) logits.data[3 * v + k] = logit(Math.min(1 - 1e-3, Math.max(1e-3, g.data[4 * v + 1 + k]!)));
  }
  const [rs, rc] = [s.densityRank, s.colorRank];
  if (s.arch === 'cp') {
    // 20 sweeps: on spheres 64³ → CP (48, 96) the student after 600 steps is as good as from 60
    // (36.7 dB either way) and the alignment a third of the time.
    const d = await cp(raw, { rank: rs, init: 'svd', maxIter: 20, tol: 1e-9, normalize: false, random });
    const c = await cp(logits, { rank: rc, init: 'svd', maxIter: 20, tol: 1e-9, normalize: false, random });
    const [dv, cv, basis] = [s.params.densityVectors!.data, s.params.colorVectors!.data, s.params.basis!.data];
    for (let a = 0; a < 3; a++)
      for (let r = 0; r < rs; r++) for (let i = 0; i < n; i++) dv[(a * rs + r) * n + i] = d.factors[a]!.data[i * rs + r]! * (a === 0 ? d.weights.data[r]! : 1);
    for (let a = 0; a < 3; a++)
      for (let r = 0; r < rc; r++) for (let i = 0; i < n; i++) cv[(a * rc + r) * n + i] = c.factors[a]!.data[i * rc + r]!;
    for (let r = 0; r < rc; r++) for (let k = 0; k < 3; k++) basis[r * 3 + k] = c.factors[3]!.data[k * rc + r]! * c.weights.data[r]!;
    return `cp: CP-ALS of the teacher's pre-activation density at rank ${rs} (relative error ${d.relError.toPrecision(3)}) and of its colour logits at rank ${rc} (${c.relError.toPrecision(3)})`;
  }
  // vm: all three plane–line pairs fitted to the raw density (rank Rσ each) and to each of the colour
  // logits' three voxel × channel components (its share of Rc each), by block coordinate descent.
  const sweeps = 3;
  const d = fitVm(Float64Array.from(raw.data), n, rs, sweeps);
  VM_PAIRS.forEach((_, p) => {
    s.params[`densityPlane${p}`]!.data.set(d.planes[p]!);
    s.params[`densityLine${p}`]!.data.set(d.lines[p]!);
  });
  const vc = svd(mat(voxels, 3, Float64Array.from(logits.data)));
  const per = [0, 1, 2].map((m) => Math.floor(rc / 3) + (m < rc % 3 ? 1 : 0));
  const basis = s.params.basis!.data;
  basis.fill(0);
  let at = 0;
  const colorErrors: string[] = [];
  for (let m = 0; m < 3; m++) {
    if (per[m] === 0) continue;
    const a = Float64Array.from({ length: voxels }, (_, v) => vc.u.data[v * vc.u.cols + m]! * vc.s[m]!);
    const c = fitVm(a, n, per[m]!, sweeps);
    colorErrors.push(c.relError.toPrecision(3));
    VM_PAIRS.forEach((_, p) => {
      s.params[`colorPlane${p}`]!.data.set(c.planes[p]!, at * n * n);
      s.params[`colorLine${p}`]!.data.set(c.lines[p]!, at * n);
      for (let r = 0; r < per[m]!; r++) for (let k = 0; k < 3; k++) basis[(p * rc + at + r) * 3 + k] = vc.v.data[k * vc.v.cols + m]!;
    });
    at += per[m]!;
  }
  return `vm: its three plane–line pairs fitted by ${sweeps} sweeps of block coordinate descent (a truncated SVD of each pair's unfolding of what the others leave) to the teacher's pre-activation density at rank ${rs} (relative error ${d.relError.toPrecision(3)}) and to its colour logits' components (${colorErrors.join(', ')})`;
}

/**
 * The three VM pairs' terms of a grid g (N³, C order), k per pair: each pair in turn takes the best
 * rank-k fit (the truncated SVD of its plane × line unfolding) of what the other two leave, for
 * `sweeps` rounds (each step optimal for its block, so the error never grows). Planes [k, N, N] with
 * their two axes in order, lines [k, N], √σ on both sides.
 */
export function fitVm(g: Float64Array, n: number, k: number, sweeps: number): { planes: Float64Array[]; lines: Float64Array[]; relError: number } {
  const voxels = n * n * n;
  const approx = VM_PAIRS.map(() => new Float64Array(voxels));
  const planes = VM_PAIRS.map(() => new Float64Array(k * n * n));
  const lines = VM_PAIRS.map(() => new Float64Array(k * n));
  // Voxel (i0, i1, i2) → (plane index ia·n + ib, line index ic) for each pair.
  const place = VM_PAIRS.map(({ plane: [a, b], line }) => {
    const rows = new Int32Array(voxels);
    const cols = new Int32Array(voxels);
    for (let v = 0; v < voxels; v++) {
      const idx = [Math.floor(v / (n * n)), Math.floor(v / n) % n, v % n];
      rows[v] = idx[a]! * n + idx[b]!;
      cols[v] = idx[line]!;
    }
    return { rows, cols };
  });
  for (let sweep = 0; sweep < sweeps; sweep++) {
    VM_PAIRS.forEach((_, p) => {
      const m = mat(n * n, n);
      const { rows, cols } = place[p]!;
      for (let v = 0; v < voxels; v++) {
        let r = g[v]!;
        for (let q = 0; q < 3; q++) if (q !== p) r -= approx[q]![v]!;
        m.data[rows[v]! * n + cols[v]!] = r;
      }
      const d = svd(m);
      planes[p]!.fill(0);
      lines[p]!.fill(0);
      for (let r = 0; r < k && r < d.s.length; r++) {
        const sq = Math.sqrt(d.s[r]!);
        for (let i = 0; i < n * n; i++) planes[p]![r * n * n + i] = d.u.data[i * d.u.cols + r]! * sq;
        for (let z = 0; z < n; z++) lines[p]![r * n + z] = d.v.data[z * d.v.cols + r]! * sq;
      }
      const ap = approx[p]!;
      for (let v = 0; v < voxels; v++) {
        let s = 0;
        for (let r = 0; r < k; r++) s += planes[p]![r * n * n + rows[v]!]! * lines[p]![r * n + cols[v]!]!;
        ap[v] = s;
      }
    });
  }
  let [err, norm] = [0, 0];
  for (let v = 0; v < voxels; v++) {
    err += (g[v]! - approx[0]![v]! - approx[1]![v]! - approx[2]![v]!) ** 2;
    norm += g[v]! ** 2;
  }
  return { planes, lines, relError: norm > 0 ? Math.sqrt(err / norm) : 0 };
}

/** The student's PSNR against the teacher over the held-out views (rendered by `ops`; the teacher's
 * images are made once and passed back in). */
export async function viewsPsnr(teacher: FieldSlot, student: FieldSlot, views: number, size: number, teacherImages?: Float32Array[], ops: RadianceOps = cpuRadianceOps): Promise<{ psnr: number; teacherImages: Float32Array[] }> {
  const cams = psnrCameras(views, size);
  const rays = cams.map((c) => cameraRays(c));
  const ref = teacherImages ?? (await Promise.all(rays.map(async (r) => (await ops.render(teacher, r.origins, r.dirs, PSNR_RENDER)).colors)));
  const a = new Float32Array(ref.reduce((n, r) => n + r.length, 0));
  const b = new Float32Array(a.length);
  let at = 0;
  for (const [k, r] of rays.entries()) {
    const img = (await ops.render(student, r.origins, r.dirs, PSNR_RENDER)).colors;
    a.set(img, at);
    b.set(ref[k]!, at);
    at += img.length;
  }
  return { psnr: psnr(a, b), teacherImages: ref };
}

/** Distils `teacher` into a new student of `o.student`, the passes run by `ops` (a backend's). */
export async function distill(teacher: RadianceField, o: DistillOptions, ops: RadianceOps = cpuRadianceOps): Promise<DistillResult> {
  const t0 = performance.now();
  const random = new RandomSource(o.seed);
  const student = emptyField(o.student, o.resolution, o.densityRank, o.colorRank, o.neural);
  let alignment: string;
  if (o.student === 'hash' || o.student === 'mlp') {
    const init = random.fork(2);
    initNeural(student, () => init.normal(), () => init.uniform());
    alignment = `${o.student}: stage 1 skipped (a network exposes no grid to align with the teacher's); He-initialised`;
  } else alignment = await align(teacher, student, random.fork(1));
  const alignSeconds = (performance.now() - t0) / 1000;
  const lr = o.lr ?? DEFAULT_LR[o.student];
  const [tSlot, sSlot] = [await ops.load(teacher), await ops.load(student, true)];
  try {
    const trace = new Float32Array(o.steps);
    const cell = 2 / (o.resolution - 1);
    const pointSteps = Math.ceil(o.steps * (o.pointShare ?? DEFAULT_POINT_SHARE[o.student]));
    let hardPoints = new Float32Array(0);
    let hardRays = { origins: new Float32Array(0), dirs: new Float32Array(0) };
    let teacherImages: Float32Array[] | undefined;
    // The preview's view: its rays and the teacher's render, made at the first preview.
    let previewRays: ReturnType<typeof cameraRays> | undefined;
    let previewTeacher: Float32Array | undefined;
    const psnrTrace: DistillResult['psnrTrace'] = [];
    let psnrSeconds = 0;
    const opts: RenderOptions = { samples: o.samples, background: [1, 1, 1] };
    for (let step = 0; step < o.steps; step++) {
      // Points (every step; a tenth of the weight once rays train).
      const pts = new Float32Array(o.points * 3);
      const keep = o.activeLearning ? Math.min(hardPoints.length / 3, Math.floor(o.points / 4)) : 0;
      for (let p = 0; p < o.points; p++)
        for (let a = 0; a < 3; a++) pts[3 * p + a] = p < keep ? Math.min(1, Math.max(-1, hardPoints[3 * p + a]! + (random.uniform() - 0.5) * cell)) : 2 * random.uniform() - 1;
      const want = await ops.evaluate(tSlot, pts);
      const got = await ops.evaluate(sSlot, pts);
      const pointWeight = step < pointSteps ? 1 : 0.1;
      const dSigma = new Float32Array(o.points);
      const dRgb = new Float32Array(o.points * 3);
      const errors = new Float64Array(o.points);
      let loss = 0;
      for (let p = 0; p < o.points; p++) {
        const [ss, st] = [Math.min(got.sigma[p]!, 1e3), Math.min(want.sigma[p]!, 1e3)];
        const e = Math.log1p(ss) - Math.log1p(st);
        const w = 1 - Math.exp(-0.1 * want.sigma[p]!);
        let err = e * e;
        dSigma[p] = got.sigma[p]! < 1e3 ? (pointWeight * 2 * e) / (1 + ss) / o.points : 0;
        for (let k = 0; k < 3; k++) {
          const d = got.rgb[3 * p + k]! - want.rgb[3 * p + k]!;
          err += w * d * d;
          dRgb[3 * p + k] = (pointWeight * 2 * w * d) / o.points;
        }
        errors[p] = err;
        loss += (pointWeight * err) / o.points;
      }
      const sources: GradSource[] = [{ kind: 'points', points: pts, upstream: { sigma: dSigma, rgb: dRgb } }];
      if (o.activeLearning) hardPoints = hardest(errors, pts, 3, Math.floor(o.points / 4));
      if (step >= pointSteps) {
        // Rays from random orbit cameras, rendered by both.
        const origins = new Float32Array(o.rays * 3);
        const dirs = new Float32Array(o.rays * 3);
        const keepRays = o.activeLearning ? Math.min(hardRays.origins.length / 3, Math.floor(o.rays / 4)) : 0;
        for (let r = 0; r < o.rays; r++) {
          let d: number[];
          if (r < keepRays) {
            origins.set(hardRays.origins.subarray(3 * r, 3 * r + 3), 3 * r);
            d = [0, 1, 2].map((a) => hardRays.dirs[3 * r + a]! + (random.uniform() - 0.5) * 0.04);
          } else {
            const [az, el] = [2 * Math.PI * random.uniform(), (random.uniform() - 0.5) * 1.2];
            const eye = [3.5 * Math.cos(el) * Math.cos(az), 3.5 * Math.cos(el) * Math.sin(az), 3.5 * Math.sin(el)];
            origins.set(eye, 3 * r);
            d = [0, 1, 2].map((a) => (random.uniform() - 0.5) * 1.6 - eye[a]!);
          }
          const len = Math.hypot(...d);
          dirs.set(d.map((v) => v / len), 3 * r);
        }
        const target = (await ops.render(tSlot, origins, dirs, opts)).colors;
        const out = (await ops.render(sSlot, origins, dirs, opts)).colors;
        const dColors = new Float32Array(o.rays * 3);
        const rayErr = new Float64Array(o.rays);
        for (let i = 0; i < dColors.length; i++) {
          const d = out[i]! - target[i]!;
          dColors[i] = (2 * d) / dColors.length;
          rayErr[Math.floor(i / 3)]! += d * d;
          loss += (d * d) / dColors.length;
        }
        sources.push({ kind: 'rays', origins, dirs, render: opts, dColors });
        if (o.activeLearning) {
          const idx = topIndices(rayErr, Math.floor(o.rays / 4));
          hardRays = { origins: gather(origins, idx, 3), dirs: gather(dirs, idx, 3) };
        }
      }
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at step ${step + 1}; lower 'lr' or check the teacher for extreme densities`);
      trace[step] = loss;
      await ops.train(sSlot, sources, lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / o.steps))));
      let measured: number | undefined;
      if (o.psnrEvery > 0 && (step + 1) % o.psnrEvery === 0 && step + 1 < o.steps) {
        const p0 = performance.now();
        const r = await viewsPsnr(tSlot, sSlot, o.views, o.viewSize, teacherImages, ops);
        psnrTrace.push({ step: step + 1, seconds: (p0 - t0) / 1000 - psnrSeconds, psnr: r.psnr });
        psnrSeconds += (performance.now() - p0) / 1000;
        teacherImages = r.teacherImages;
        measured = r.psnr;
      }
      if (o.preview && o.preview.every > 0 && (step + 1) % o.preview.every === 0 && step + 1 < o.steps) {
        const p0 = performance.now();
        const rays = (previewRays ??= cameraRays(psnrCameras(o.views, o.viewSize)[0]!));
        previewTeacher ??= (await ops.render(tSlot, rays.origins, rays.dirs, PSNR_RENDER)).colors;
        await o.preview.show(step + 1, previewTeacher, (await ops.render(sSlot, rays.origins, rays.dirs, PSNR_RENDER)).colors);
        psnrSeconds += (performance.now() - p0) / 1000;
      }
      o.progress?.(step + 1, o.steps, loss, measured);
    }
    const p0 = performance.now();
    const final = await viewsPsnr(tSlot, sSlot, o.views, o.viewSize, teacherImages, ops);
    psnrTrace.push({ step: o.steps, seconds: (p0 - t0) / 1000 - psnrSeconds, psnr: final.psnr });
    psnrSeconds += (performance.now() - p0) / 1000;
    const field = await ops.read(sSlot);
    return { field, trace, psnr: final.psnr, seconds: (performance.now() - t0) / 1000, alignment, psnrTrace, psnrSeconds, alignSeconds };
  } finally {
    ops.release(tSlot);
    ops.release(sSlot);
  }
}

/** Indices of the k largest values. */
function topIndices(values: Float64Array, k: number): number[] {
  return [...values.keys()].sort((a, b) => values[b]! - values[a]! || a - b).slice(0, k);
}

const gather = (data: Float32Array, idx: number[], width: number) => {
  const out = new Float32Array(idx.length * width);
  idx.forEach((i, j) => out.set(data.subarray(i * width, (i + 1) * width), j * width));
  return out;
};

/** The points with the k largest errors. */
const hardest = (errors: Float64Array, pts: Float32Array, width: number, k: number) => gather(pts, topIndices(errors, k), width);
