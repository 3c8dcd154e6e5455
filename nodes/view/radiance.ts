import { z } from 'zod';
import { Tensor, cameraRays, defineNode, orbitCamera, psnr, sampleField, type RadianceField, type RenderOptions } from '../../engine';
import { putImage, show } from './common';

export const viewRadiance = defineNode({
  type: 'view.radiance',
  title: 'Radiance views',
  category: 'view',
  description: 'Renders radiance fields with the engine\'s emission–absorption renderer from a few orbit cameras (distance 3.5, field of view 40°, z up, azimuths spread round the scene, elevations alternating ±0.35 rad): a row per view, teacher | student | the difference ×4, with each view\'s PSNR. Headless: a PNG under views/. In the editor the fields are also ray-marched live in three.js by the same rule (teacher | student | difference, cameras linked; drag to orbit, density scale and background to change), each sampled at its own nodes when it is a dense grid of at most 64 per axis (then exactly the engine\'s field), else at 64³ (trilinear between the samples).',
  typeVersion: 1,
  inputs: [
    { name: 'teacher', type: 'radiance', doc: 'a field (the reference)' },
    { name: 'student', type: 'radiance', doc: 'a field to compare with it', optional: true },
  ],
  outputs: [],
  params: z.object({
    views: z.number().int().min(1).max(8).default(3).describe('orbit views (rows)'),
    size: z.number().int().min(16).max(512).default(128).describe('pixels per side of each image'),
    samples: z.number().int().min(4).max(1024).default(96).describe('samples per ray'),
    background: z.enum(['white', 'black']).default('white').describe('what a ray that passes through shows'),
    densityScale: z.number().gt(0).max(1000).default(1).describe('display only: every density times this'),
  }),
  async run({ teacher, student }, p, ctx) {
    const bg: [number, number, number] = p.background === 'white' ? [1, 1, 1] : [0, 0, 0];
    const opts: RenderOptions = { samples: p.samples, background: bg, densityScale: p.densityScale };
    const cols = student ? 3 : 1;
    const [w, h] = [p.size * cols, p.size * p.views];
    const rgb = new Uint8Array(w * h * 3);
    const put = (img: Tensor, col: number, row: number, map?: (v: number, i: number) => number) => putImage(rgb, w, p.size, img.data, col, row, map);
    const scores: string[] = [];
    // Rendered by the run's backend (the engine's renderer on the CPU, its kernels on WebGPU).
    const ops = ctx.backend.radiance();
    const slots = [await ops.load(teacher), ...(student ? [await ops.load(student)] : [])];
    try {
      for (let v = 0; v < p.views; v++) {
        ctx.progress(v, p.views, `view ${v + 1} of ${p.views}`);
        const { origins, dirs } = cameraRays(orbitCamera((2 * Math.PI * v) / p.views + 0.4, v % 2 ? -0.35 : 0.35, p.size));
        // One at a time: the backend's calls each hold the device's error scopes.
        const images: Tensor[] = [];
        for (const s of slots) images.push(new Tensor([p.size, p.size, 3], (await ops.render(s, origins, dirs, opts)).colors));
        const [a, b] = images;
        put(a!, 0, v);
        if (b) {
          put(b, 1, v);
          put(b, 2, v, (x, i) => 4 * Math.abs(x - a!.data[i]!));
          const db = psnr(b.data, a!.data);
          scores.push(Number.isFinite(db) ? `${db.toFixed(1)} dB` : '∞ (identical)');
        }
      }
    } finally {
      for (const s of slots) ops.release(s);
    }
    // The live view's data, only where views are drawn live (the editor).
    const volume = ctx.views?.interactive ? liveVolume(teacher, student, p.samples, bg, p.densityScale) : undefined;
    return show(ctx, {
      kind: 'radiance',
      title: `${ctx.nodeId}: ${student ? 'teacher | student | difference ×4' : 'field'}`,
      width: w,
      height: h,
      rgb,
      note: student ? `PSNR per view (top to bottom): ${scores.join(', ')}` : `${p.views} orbit view${p.views > 1 ? 's' : ''}`,
      ...(volume ? { volume } : {}),
    });
  },
});

/** Nodes per axis of the live view's samples. */
const LIVE_NODES = 64;

/** The fields sampled for the live view: at their own nodes when all are dense grids of one size up to
 * LIVE_NODES (exact), else at LIVE_NODES³; the camera of the first row. */
function liveVolume(teacher: RadianceField, student: RadianceField | undefined, samples: number, background: [number, number, number], densityScale: number) {
  const fields = student ? [teacher, student] : [teacher];
  const exact = fields.every((f) => f.arch === 'dense' && f.resolution === teacher.resolution && f.resolution <= LIVE_NODES);
  const n = exact ? teacher.resolution : LIVE_NODES;
  const grid = (f: RadianceField) => (exact ? f.params.grid!.data : sampleField(f, n).data);
  return { n, teacher: grid(teacher), ...(student ? { student: grid(student) } : {}), samples, background, densityScale, azimuth: 0.4, elevation: 0.35 };
}
