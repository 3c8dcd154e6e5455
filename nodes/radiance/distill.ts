import { z } from 'zod';
import { DISTILL_DEFAULTS, Tensor, defineNode, distill, paramCount, paramShapes, psnr } from '../../engine';
import { putImage, show } from '../view/common';

/** The most params a student may have: 64 M (with Adam's moments and a gradient, 1 GiB). */
const MAX_STUDENT_PARAMS = 64 * 2 ** 20;

export const radianceDistill = defineNode({
  type: 'radiance.distill',
  title: 'Distill radiance field',
  category: 'radiance',
  description:
    'Progressive Volume Distillation (PVD, Fang et al. 2023) of a radiance field into another architecture (any to any), with PVD-AL\'s active learning. Stage 1 aligns a grid student with the teacher sampled at its nodes (dense: a copy; cp: CP decompositions of the pre-activation density and the colour logits; vm: its three plane–line pairs fitted by block coordinate descent, a truncated SVD per pair; a hash or MLP student has no grid to align, and starts He-initialised); stage 2 (the first tenth of the steps for a grid student, a third for a network; param pointShare) fits density on a clamped log scale and opacity-weighted colour at points in the box; stage 3 fits renders on rays from random orbit cameras (the point loss at a tenth). Active learning keeps each batch\'s hardest quarter, jittered, in the next. Adam with a cosine schedule. Runs on the run\'s backend (on WebGPU every architecture\'s passes are kernels; deterministic for a seed on either). PSNR: the student\'s renders against the teacher\'s over `views` held-out orbit views (distance 3.5, field of view 40°, elevations ±0.35 rad, viewSize² pixels, 96 samples a ray, white background).',
  typeVersion: 1,
  inputs: [{ name: 'teacher', type: 'radiance', doc: 'the field to convert' }],
  outputs: [
    { name: 'field', type: 'radiance', doc: 'the student' },
    { name: 'trace', type: 'tensor', doc: 'the loss at each step' },
    { name: 'info', type: 'metrics', doc: 'params, psnr (dB, held-out views), steps, seconds' },
  ],
  params: z.object({
    student: z.enum(['dense', 'vm', 'cp', 'hash', 'mlp']).default('vm').describe('the architecture to distill into: dense (N³ × 4 grid), vm (TensoRF vector–matrix), cp, hash (Instant-NGP multiresolution hash grid + MLP), mlp (NeRF positional encoding + MLP)'),
    resolution: z.number().int().min(2).max(1024).default(64).describe('the student grid\'s nodes per axis (hash: its finest level)'),
    densityRank: z.number().int().min(1).max(512).default(8).describe('vm, cp: rank of the density factors'),
    colorRank: z.number().int().min(1).max(512).default(16).describe('vm, cp: rank of the appearance factors'),
    levels: z.number().int().min(1).max(16).default(8).describe('hash: levels, 16 nodes per axis to resolution'),
    log2TableSize: z.number().int().min(4).max(22).default(14).describe('hash: log2 of each level\'s table entries'),
    features: z.number().int().min(1).max(8).default(2).describe('hash: features per entry'),
    hidden: z.number().int().min(2).max(256).default(32).describe('hash, mlp: width of the MLP\'s hidden layers'),
    layers: z.number().int().min(0).max(8).default(2).describe('hash, mlp: hidden layers (ReLU)'),
    frequencies: z.number().int().min(1).max(12).default(6).describe('mlp: positional-encoding frequencies per axis'),
    steps: z.number().int().min(0).max(100_000).default(600).describe('optimisation steps after the alignment (600: on a 64³ procedural scene VM (8, 16) reaches 45.9 dB, CP (48, 96) above 35 dB)'),
    seed: z.number().int().min(0).default(0).describe('the batches\' random stream'),
    activeLearning: z.boolean().default(true).describe('PVD-AL: keep the hardest rays and points of each batch in the next'),
    rays: z.number().int().min(1).max(65_536).default(DISTILL_DEFAULTS.rays).describe('rays per step (ray stage)'),
    points: z.number().int().min(1).max(1_000_000).default(DISTILL_DEFAULTS.points).describe('points per step'),
    samples: z.number().int().min(1).max(1024).default(DISTILL_DEFAULTS.samples).describe('samples per training ray'),
    lr: z.number().gt(0).max(1).optional().describe('Adam\'s learning rate (the colour basis a tenth), cosine-annealed to 5 %; default per student: dense 0.02, vm 0.01, cp 0.005, hash 0.01, mlp 0.005'),
    pointShare: z.number().min(0).max(1).optional().describe('the share of the steps that fit points alone before rendered rays join (stage 2); default 0.1 for dense, vm and cp (aligned in stage 1), 1/3 for hash and mlp'),
    views: z.number().int().min(1).max(64).default(DISTILL_DEFAULTS.views).describe('held-out views for the PSNR'),
    viewSize: z.number().int().min(8).max(512).default(DISTILL_DEFAULTS.viewSize).describe('their width and height in pixels'),
    psnrEvery: z.number().int().min(0).default(0).describe('also measure the PSNR every this many steps (0: at the end only)'),
    previewEvery: z.number().int().min(0).default(25).describe('in the editor, show the first held-out view (teacher | student | difference ×4) every this many steps while training (0: none)'),
  }),
  async run({ teacher }, p, ctx) {
    const neural = { levels: p.levels, log2TableSize: p.log2TableSize, features: p.features, hidden: p.hidden, layers: p.layers, frequencies: p.frequencies };
    // Sizes checked before anything is allocated.
    const shapes = paramShapes(p.student, p.resolution, p.densityRank, p.colorRank, neural);
    const count = Object.values(shapes).reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
    if (count > MAX_STUDENT_PARAMS) {
      const fix = p.student === 'hash' ? 'lower levels, log2TableSize or features' : p.student === 'mlp' ? 'lower hidden or layers' : 'lower resolution or the ranks';
      throw new Error(`a ${p.student} student of these sizes holds ${count.toLocaleString('en-US')} params, over the ${MAX_STUDENT_PARAMS.toLocaleString('en-US')} this node trains (with Adam's two moments, ${((count * 12) / 2 ** 30).toFixed(1)} GiB): ${fix}`);
    }
    // In the editor: the student's render of the first held-out view as it trains.
    const size = p.viewSize;
    const preview = ctx.views?.interactive && p.previewEvery > 0
      ? {
          every: p.previewEvery,
          show: async (step: number, t: Float32Array, s: Float32Array) => {
            const rgb = new Uint8Array(3 * size * size * 3);
            putImage(rgb, 3 * size, size, t, 0, 0);
            putImage(rgb, 3 * size, size, s, 1, 0);
            putImage(rgb, 3 * size, size, s, 2, 0, (v, i) => 4 * Math.abs(v - t[i]!));
            await show(ctx, { kind: 'radiance', title: `${ctx.nodeId}: training — teacher | student | difference ×4`, width: 3 * size, height: size, rgb, note: `step ${step} of ${p.steps}: ${psnr(s, t).toFixed(2)} dB on this view` });
          },
        }
      : undefined;
    const r = await distill(teacher, { ...p, neural, ...(preview ? { preview } : {}), progress: (step, steps, loss, psnr) => ctx.progress(step, steps, `step ${step}: loss ${loss.toExponential(3)}${psnr !== undefined ? `, PSNR ${psnr.toFixed(2)} dB` : ''}`) }, ctx.backend.radiance());
    return {
      field: r.field,
      trace: new Tensor([r.trace.length], r.trace),
      info: {
        params: { value: paramCount(r.field), unit: 'values', doc: `numbers the student stores (${r.alignment})` },
        psnr: { value: r.psnr, unit: 'dB', doc: `the student's renders against the teacher's over ${p.views} held-out ${p.viewSize}² views` },
        steps: { value: p.steps, unit: '', doc: 'optimisation steps' },
        seconds: { value: r.seconds, unit: 's', doc: 'time of the distillation, alignment and PSNR included' },
      },
    };
  },
});
