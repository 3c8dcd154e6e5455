// Radiance fields on the CPU: exact parameter counts; VM (and CP) at a point is its activation of the
// trilinear interpolation of its reconstructed feature grids; emission–absorption gives T = e^−2
// through a σ = 2 chord of length 1 whatever the sample count; every architecture's gradient through
// the renderer matches central differences; the grid format is checked by name.
import { describe, expect, it } from 'vitest';
import { RandomSource } from '../random';
import { Tensor } from '../tensor';
import { DENSITY_SHIFT, VM_PAIRS, denseFromGrid, emptyField, evaluateField, paramCount, sampleField, zerosLike, type RadianceArch, type RadianceField } from './field';
import { renderRays, type RenderOptions } from './render';
import { SCENES, sceneField } from './scenes';
import { hashLevels, initNeural, type NeuralSizes } from './neural';

const softplus = (x: number) => Math.log1p(Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A field of the architecture with random params: densities well inside softplus's active range. */
const NEURAL: NeuralSizes = { levels: 3, log2TableSize: 6, features: 2, hidden: 8, layers: 2, frequencies: 3 };

function randomField(arch: RadianceArch, n: number, rs: number, rc: number, seed: number): RadianceField {
  const f = emptyField(arch, n, rs, rc, NEURAL);
  const r = new RandomSource(seed);
  if (arch === 'hash' || arch === 'mlp') {
    initNeural(f, () => r.normal(), () => r.uniform());
    // Features big enough to matter; biases off zero, so no ReLU sits exactly at its kink (a layer
    // whose inputs are all dead would otherwise see exactly its zero bias, where no difference quotient is fair).
    for (const [name, t] of Object.entries(f.params)) if (name.startsWith('table') || name.startsWith('b')) for (let i = 0; i < t.size; i++) t.data[i] = (name.startsWith('b') ? 0.3 : 1) * r.normal();
    return f;
  }
  for (const [name, t] of Object.entries(f.params)) {
    for (let i = 0; i < t.size; i++) {
      if (arch === 'dense') t.data[i] = i % 4 === 0 ? 0.5 + 2.5 * r.uniform() : 0.1 + 0.8 * r.uniform();
      else if (name.startsWith('density')) t.data[i] = (arch === 'vm' ? 1.5 : 2) + 0.4 * r.normal();
      else t.data[i] = r.normal();
    }
  }
  return f;
}

/** Trilinear interpolation of a node grid g(i, j, k) at a point of [−1, 1]³. */
function trilinear(g: (i: number, j: number, k: number) => number, n: number, x: number[]): number {
  const c = x.map((v) => {
    const t = ((v + 1) / 2) * (n - 1);
    const i = Math.min(n - 2, Math.floor(t));
    return { i, f: t - i };
  });
  let s = 0;
  for (let m = 0; m < 8; m++) {
    const d = [m & 1, (m >> 1) & 1, (m >> 2) & 1];
    s += d.reduce((p, dk, a) => p * (dk ? c[a]!.f : 1 - c[a]!.f), 1) * g(c[0]!.i + d[0]!, c[1]!.i + d[1]!, c[2]!.i + d[2]!);
  }
  return s;
}

describe('radiance fields', () => {
  it('count their params exactly', () => {
    expect(paramCount(emptyField('dense', 16))).toBe(4 * 16 ** 3);
    expect(paramCount(emptyField('vm', 16, 2, 3))).toBe(3 * 2 * (16 * 16 + 16) + 3 * 3 * (16 * 16 + 16) + 3 * 3 * 3);
    expect(paramCount(emptyField('cp', 16, 2, 3))).toBe(3 * 16 * 2 + 3 * 16 * 3 + 3 * 3);
    expect(() => emptyField('vm', 1)).toThrow('resolution 1: a grid needs at least 2 nodes per axis');
    // hash: 3 tables of 2^6 × 2, then 6 → 8 → 8 → 4; mlp: 3 + 6·3 = 21 inputs.
    expect(paramCount(emptyField('hash', 32, 1, 1, NEURAL))).toBe(3 * 64 * 2 + (6 * 8 + 8) + (8 * 8 + 8) + (8 * 4 + 4));
    expect(paramCount(emptyField('mlp', 32, 1, 1, NEURAL))).toBe(21 * 8 + 8 + (8 * 8 + 8) + (8 * 4 + 4));
    expect(hashLevels(128, 4)).toEqual([16, 32, 64, 128]);
    expect(hashLevels(64, 1)).toEqual([64]);
  });

  it('VM at a point is the activation of the trilinear interpolation of its reconstructed grids', () => {
    const n = 7;
    const f = randomField('vm', n, 2, 3, 1);
    const P = (name: string, r: number, a: number, b: number) => f.params[name]!.data[(r * n + a) * n + b]!;
    const L = (name: string, r: number, a: number) => f.params[name]!.data[r * n + a]!;
    // The reconstructed density feature grid, and the 3Rc appearance feature grids.
    const density = (i: number, j: number, k: number) => {
      const idx = [i, j, k];
      let s = 0;
      VM_PAIRS.forEach(({ plane: [a, b], line }, p) => {
        for (let r = 0; r < 2; r++) s += P(`densityPlane${p}`, r, idx[a]!, idx[b]!) * L(`densityLine${p}`, r, idx[line]!);
      });
      return s;
    };
    const feature = (q: number) => (i: number, j: number, k: number) => {
      const [p, r] = [Math.floor(q / 3), q % 3];
      const idx = [i, j, k];
      const { plane: [a, b], line } = VM_PAIRS[p]!;
      return P(`colorPlane${p}`, r, idx[a]!, idx[b]!) * L(`colorLine${p}`, r, idx[line]!);
    };
    const rand = new RandomSource(2);
    const pts = Float32Array.from({ length: 3 * 50 }, () => 2 * rand.uniform() - 1);
    const got = evaluateField(f, pts);
    for (let p = 0; p < 50; p++) {
      const x = [pts[3 * p]!, pts[3 * p + 1]!, pts[3 * p + 2]!];
      expect(got.sigma[p]!).toBeCloseTo(softplus(trilinear(density, n, x) + DENSITY_SHIFT), 4);
      const feats = Array.from({ length: 9 }, (_, q) => trilinear(feature(q), n, x));
      for (let k = 0; k < 3; k++) {
        const logit = feats.reduce((s, v, q) => s + v * f.params.basis!.data[q * 3 + k]!, 0);
        expect(Math.abs(got.rgb[3 * p + k]! - sigmoid(logit))).toBeLessThan(1e-5);
      }
    }
  });

  it('a chord of length 1 through σ = 2 leaves T = e^−2 for any number of samples; outside the box nothing', () => {
    const f = emptyField('dense', 2);
    for (let i = 0; i < 8; i++) f.params.grid!.data.set([2, 0.2, 0.4, 0.6], 4 * i);
    // The line y = x + c in the xy square has a chord of √2 (2 − |c|) = 1.
    const c = 2 - Math.SQRT1_2;
    const origins = Float32Array.from([-3, -3 + c, 0, 0, 5, 0]);
    const dirs = Float32Array.from([Math.SQRT1_2, Math.SQRT1_2, 0, 1, 0, 0]);
    for (const samples of [1, 2, 7, 64]) {
      const out = renderRays(f, origins, dirs, { samples, background: [0, 0, 0] });
      expect(out.transmittance[0]!).toBeCloseTo(Math.exp(-2), 6);
      // The colour is the medium's, times what it absorbed.
      expect(out.colors[1]!).toBeCloseTo(0.4 * (1 - Math.exp(-2)), 6);
      expect([out.transmittance[1], out.colors[3]]).toEqual([1, 0]);
    }
  });

  it.each([
    ['dense', 4, 0, 0],
    ['vm', 5, 2, 2],
    ['cp', 5, 2, 3],
    ['hash', 9, 0, 0],
    ['mlp', 2, 0, 0],
  ] as const)('%s: the gradient through the renderer matches central differences', (arch, n, rs, rc) => {
    const f = randomField(arch, n, rs, rc, 3);
    const r = new RandomSource(4);
    const rays = 8;
    const origins = new Float32Array(rays * 3);
    const dirs = new Float32Array(rays * 3);
    for (let i = 0; i < rays; i++) {
      const target = [0, 1, 2].map(() => (r.uniform() - 0.5) * 0.8);
      const eye = [0, 1, 2].map(() => r.normal());
      const len = Math.hypot(...eye);
      const o = eye.map((v) => (3 * v) / len);
      const d = target.map((t, a) => t - o[a]!);
      const dl = Math.hypot(...d);
      origins.set(o, 3 * i);
      dirs.set(d.map((v) => v / dl), 3 * i);
    }
    const opts: RenderOptions = { samples: 24, background: [0.3, 0.6, 0.9] };
    const weights = Float32Array.from({ length: rays * 3 }, () => r.normal());
    const loss = () => renderRays(f, origins, dirs, opts).colors.reduce((s, v, i) => s + v * weights[i]!, 0);
    const grads = zerosLike(f);
    renderRays(f, origins, dirs, opts, weights, grads);
    let checked = 0;
    for (const [name, t] of Object.entries(f.params)) {
      // The entries with the largest gradients, and some others.
      const g = grads[name]!.data;
      const order = [...g.keys()].sort((a, b) => Math.abs(g[b]!) - Math.abs(g[a]!));
      for (const i of [...order.slice(0, 6), ...order.slice(6).filter((_, k) => k % 37 === 0).slice(0, 4)]) {
        const v = t.data[i]!;
        // Smaller steps for the ReLU networks: a step across a unit's kink at some sample is no fair quotient.
        const h = (arch === 'hash' || arch === 'mlp' ? 2e-4 : 1e-2) * Math.max(1, Math.abs(v));
        t.data[i] = v + h;
        const up = loss();
        t.data[i] = v - h;
        const down = loss();
        t.data[i] = v;
        const fd = (up - down) / (Math.fround(v + h) - Math.fround(v - h));
        expect([name, i, Math.abs(fd - g[i]!) <= 2e-3 + 2e-2 * Math.abs(fd)]).toEqual([name, i, true]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(Math.max(...Object.values(grads).map((t) => Math.max(...t.data.map(Math.abs))))).toBeGreaterThan(1e-3);
  });

  it('the grid format round-trips, and a bad grid is refused by what is wrong', () => {
    const f = sceneField('spheres', 12, 5);
    const t = sampleField(f, 12);
    expect(Array.from(t.data)).toEqual(Array.from(f.params.grid!.data));
    expect(() => denseFromGrid(new Tensor([4, 4, 5, 4]), "input 'grid'")).toThrow("input 'grid' is [4×4×5×4]; a radiance grid is [N, N, N, 4]");
    const neg = new Tensor([3, 3, 3, 4]);
    neg.data[4 * 5] = -1;
    expect(() => denseFromGrid(neg, "input 'grid'")).toThrow("input 'grid': density (channel 0) at node [0, 1, 2] is -1; densities are finite and ≥ 0");
    const bright = new Tensor([3, 3, 3, 4]);
    bright.data[4 * 26 + 2] = 1.5;
    expect(() => denseFromGrid(bright, "input 'grid'")).toThrow("input 'grid': colour channel 2 at node [2, 2, 2] is 1.5; RGB lies in [0, 1]");
  });

  it.each(SCENES)('scene %s: a valid grid, with something in it, that its seed moves', (name) => {
    const a = sceneField(name, 20, 1).params.grid!;
    const b = sceneField(name, 20, 2).params.grid!;
    expect(a.data.some((v, i) => i % 4 === 0 && v > 1)).toBe(true);
    expect(a.data.some((v, i) => i % 4 === 0 && v === 0)).toBe(true);
    expect(Array.from(a.data).join() === Array.from(b.data).join()).toBe(name === 'box');
  });
});
