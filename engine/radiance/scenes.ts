// Procedural radiance scenes, sampled at the N³ nodes of a dense field (source.radiance):
//   spheres  four coloured spheres (density 25 per unit length, edges softened over ~1.5 grid cells)
//            in a value-noise cloud (density up to 3, a grey-blue), placed and coloured by the seed;
//   sdf      signed-distance primitives: a box, a torus and a capsule, each its own colour (density 20
//            inside, the same soft edge);
//   box      a constant-density box (σ = 2 in [−0.5, 0.5]³, orange), the closed-form check.
import { RandomSource } from '../random';
import { Tensor } from '../tensor';
import { denseFromGrid, type RadianceField } from './field';

export const SCENES = ['spheres', 'sdf', 'box'] as const;
export type SceneName = (typeof SCENES)[number];

type Sample = (x: number, y: number, z: number) => [number, number, number, number];

/** A smooth lattice noise in [0, 1]: trilinear with smoothstep weights over an 8³ lattice of random
 * values, two octaves. */
function valueNoise(random: RandomSource): (x: number, y: number, z: number) => number {
  const L = 9;
  const octaves = [0, 1].map(() => Float64Array.from({ length: L * L * L }, () => random.uniform()));
  const smooth = (t: number) => t * t * (3 - 2 * t);
  const at = (lat: Float64Array, scale: number, x: number, y: number, z: number) => {
    const g = [x, y, z].map((v) => Math.min(L - 1.000001, ((v + 1) / 2) * scale));
    const i = g.map(Math.floor);
    const f = g.map((v, k) => smooth(v - i[k]!));
    let s = 0;
    for (let c = 0; c < 8; c++) {
      const d = [c & 1, (c >> 1) & 1, (c >> 2) & 1];
      const w = d.reduce((p, dk, k) => p * (dk ? f[k]! : 1 - f[k]!), 1);
      s += w * lat[((i[0]! + d[0]!) * L + i[1]! + d[1]!) * L + i[2]! + d[2]!]!;
    }
    return s;
  };
  return (x, y, z) => (2 * at(octaves[0]!, 4, x, y, z) + at(octaves[1]!, 8, x, y, z)) / 3;
}

function sceneSampler(name: SceneName, seed: number, edge: number): Sample {
  const soft = (d: number) => Math.min(1, Math.max(0, 0.5 - d / edge)); // d: signed distance
  if (name === 'box') return (x, y, z) => (Math.max(Math.abs(x), Math.abs(y), Math.abs(z)) <= 0.5 ? [2, 0.95, 0.55, 0.15] : [0, 0, 0, 0]);
  const random = new RandomSource(seed);
  if (name === 'spheres') {
    const spheres = Array.from({ length: 4 }, () => ({
      c: [0, 1, 2].map(() => (random.uniform() - 0.5) * 1.1),
      r: 0.18 + 0.12 * random.uniform(),
      rgb: [0, 1, 2].map(() => 0.15 + 0.8 * random.uniform()),
    }));
    const noise = valueNoise(random);
    return (x, y, z) => {
      let best: [number, number, number, number] = [0, 0, 0, 0];
      for (const s of spheres) {
        const w = soft(Math.hypot(x - s.c[0]!, y - s.c[1]!, z - s.c[2]!) - s.r);
        if (25 * w > best[0]) best = [25 * w, s.rgb[0]!, s.rgb[1]!, s.rgb[2]!];
      }
      if (best[0] > 0) return best;
      const cloud = Math.max(0, noise(x, y, z) - 0.55) * 3 / 0.45;
      return cloud > 0 ? [cloud, 0.55, 0.62, 0.8] : [0, 0, 0, 0];
    };
  }
  // sdf: a box, a torus and a capsule, moved by the seed.
  const o = [0, 1, 2].map(() => (random.uniform() - 0.5) * 0.2);
  const box = (x: number, y: number, z: number) => {
    const q = [Math.abs(x + 0.4 + o[0]!) - 0.25, Math.abs(y - 0.3) - 0.25, Math.abs(z) - 0.25];
    return Math.hypot(...q.map((v) => Math.max(v, 0))) + Math.min(Math.max(...q), 0);
  };
  const torus = (x: number, y: number, z: number) => Math.hypot(Math.hypot(x - 0.3, y + 0.3 + o[1]!) - 0.35, z - 0.1) - 0.1;
  const capsule = (x: number, y: number, z: number) => {
    const t = Math.min(1, Math.max(0, (z + 0.6) / 1.2));
    return Math.hypot(x - 0.35 - o[2]!, y - 0.45, z - (-0.6 + 1.2 * t)) - 0.12;
  };
  return (x, y, z) => {
    const parts: [number, [number, number, number]][] = [[box(x, y, z), [0.85, 0.2, 0.2]], [torus(x, y, z), [0.2, 0.75, 0.3]], [capsule(x, y, z), [0.2, 0.35, 0.9]]];
    let best: [number, number, number, number] = [0, 0, 0, 0];
    for (const [d, rgb] of parts) {
      const w = soft(d);
      if (20 * w > best[0]) best = [20 * w, ...rgb];
    }
    return best;
  };
}

/** A procedural scene as a dense field of N³ nodes. */
export function sceneField(name: SceneName, resolution: number, seed: number): RadianceField {
  if (!Number.isInteger(resolution) || resolution < 2) throw new Error(`resolution ${resolution}: a grid needs at least 2 nodes per axis`);
  const sample = sceneSampler(name, seed, (1.5 * 2) / (resolution - 1));
  const n = resolution;
  const t = new Tensor([n, n, n, 4]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++) t.data.set(sample(-1 + (2 * i) / (n - 1), -1 + (2 * j) / (n - 1), -1 + (2 * k) / (n - 1)), ((i * n + j) * n + k) * 4);
  return denseFromGrid(t, `scene '${name}'`);
}
