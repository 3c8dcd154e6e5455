import { z } from 'zod';
import { DISTILL_DEFAULTS, Tensor, defineNode, distill, paramCount } from '../../engine';

export const radianceDistill = defineNode({
  type: 'radiance.distill',
  title: 'Distill radiance field',
  category: 'radiance',
  description:
    'Progressive Volume Distillation (PVD, Fang et al. 2023) of a radiance field into another architecture, with PVD-AL\'s active learning. Stage 1 aligns a grid student with the teacher sampled at its nodes (dense: a copy; cp: CP decompositions of the pre-activation density and the colour logits; vm: truncated SVDs for its first plane–line pair); stage 2 (the first third of the steps) fits density on a clamped log scale and opacity-weighted colour at points in the box; stage 3 fits renders on rays from random orbit cameras (the point loss at a tenth). Active learning keeps each batch\'s hardest quarter, jittered, in the next. Adam with a cosine schedule. PSNR: the student\'s renders against the teacher\'s over `views` held-out orbit views (distance 3.5, field of view 40°, elevations ±0.35 rad, viewSize² pixels, 96 samples a ray, white background).',
  typeVersion: 1,
  inputs: [{ name: 'teacher', type: 'radiance', doc: 'the field to convert' }],
  outputs: [
    { name: 'field', type: 'radiance', doc: 'the student' },
    { name: 'trace', type: 'tensor', doc: 'the loss at each step' },
    { name: 'info', type: 'metrics', doc: 'params, psnr (dB, held-out views), steps, seconds' },
  ],
  params: z.object({
    student: z.enum(['dense', 'vm', 'cp']).default('vm').describe('the architecture to distill into: dense (N³ × 4 grid), vm (TensoRF vector–matrix), cp'),
    resolution: z.number().int().min(2).max(256).default(64).describe('the student grid\'s nodes per axis'),
    densityRank: z.number().int().min(1).max(512).default(8).describe('vm, cp: rank of the density factors'),
    colorRank: z.number().int().min(1).max(512).default(16).describe('vm, cp: rank of the appearance factors'),
    steps: z.number().int().min(0).max(100_000).default(300).describe('optimisation steps after the alignment'),
    seed: z.number().int().min(0).default(0).describe('the batches\' random stream'),
    activeLearning: z.boolean().default(true).describe('PVD-AL: keep the hardest rays and points of each batch in the next'),
    rays: z.number().int().min(1).max(65_536).default(DISTILL_DEFAULTS.rays).describe('rays per step (ray stage)'),
    points: z.number().int().min(1).max(1_000_000).default(DISTILL_DEFAULTS.points).describe('points per step'),
    samples: z.number().int().min(1).max(1024).default(DISTILL_DEFAULTS.samples).describe('samples per training ray'),
    lr: z.number().gt(0).max(1).default(DISTILL_DEFAULTS.lr).describe('Adam\'s learning rate (the colour basis a tenth), cosine-annealed to 5 %'),
    views: z.number().int().min(1).max(64).default(DISTILL_DEFAULTS.views).describe('held-out views for the PSNR'),
    viewSize: z.number().int().min(8).max(512).default(DISTILL_DEFAULTS.viewSize).describe('their width and height in pixels'),
    psnrEvery: z.number().int().min(0).default(0).describe('also measure the PSNR every this many steps (0: at the end only)'),
  }),
  async run({ teacher }, p, ctx) {
    const r = await distill(teacher, { ...p, progress: (step, steps, loss, psnr) => ctx.progress(step, steps, `step ${step}: loss ${loss.toExponential(3)}${psnr !== undefined ? `, PSNR ${psnr.toFixed(2)} dB` : ''}`) });
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
