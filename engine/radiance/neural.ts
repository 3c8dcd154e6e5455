// The neural radiance architectures: a small MLP (ReLU hidden layers) from an encoding of the point to
// four outputs, σ = exp(o₀) (Instant-NGP's truncated exponential: o₀ clamped to [−15, 15], its gradient
// passed through) and colour = sigmoid(o₁…₃). Encodings:
//   hash  Instant-NGP's multiresolution hash encoding: `levels` corner-aligned grids from 16 nodes per
//         axis to `resolution` (a geometric series), each a table of 2^log2TableSize entries of
//         `features` values, indexed directly where the level's grid fits in the table and by the
//         spatial hash (i ⊕ j·2654435761 ⊕ k·805459861) mod 2^T where it does not; trilinear over the
//         8 corners, the levels' features concatenated;
//   mlp   NeRF's positional encoding: x and sin/cos(2^k π x) for k < frequencies, per axis.
// Parameters: table<l> [2^T, F] per level (hash), then w<i> [in, out] and b<i> [out] per layer.
import type { Tensor } from '../tensor';
import type { FieldEval, FieldGrad, NeuralSizes, RadianceField } from './types';

export type { NeuralSizes } from './types';


const HASH_PRIMES = [1, 2654435761, 805459861];
export const HASH_BASE = 16;

/** Nodes per axis of each hash level: 16 · b^l rounded down, b taking the last to `resolution`. */
export function hashLevels(resolution: number, levels: number): number[] {
  const base = Math.min(HASH_BASE, resolution);
  const b = levels > 1 ? Math.exp((Math.log(resolution) - Math.log(base)) / (levels - 1)) : 1;
  return Array.from({ length: levels }, (_, l) => (l === levels - 1 ? resolution : Math.max(2, Math.floor(base * b ** l))));
}

/** Input width of the MLP. */
export const encodingWidth = (arch: 'hash' | 'mlp', s: NeuralSizes): number => (arch === 'hash' ? s.levels * s.features : 3 + 6 * s.frequencies);

/** Shapes of every parameter. */
export function neuralShapes(arch: 'hash' | 'mlp', s: NeuralSizes): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (arch === 'hash') for (let l = 0; l < s.levels; l++) out[`table${l}`] = [2 ** s.log2TableSize, s.features];
  const widths = [encodingWidth(arch, s), ...Array.from({ length: s.layers }, () => s.hidden), 4];
  for (let i = 0; i + 1 < widths.length; i++) {
    out[`w${i}`] = [widths[i]!, widths[i + 1]!];
    out[`b${i}`] = [widths[i + 1]!];
  }
  return out;
}

/** He-normal weights, zero biases, hash tables uniform in ±1e-4 (Instant-NGP's init). */
export function initNeural(f: RadianceField, normal: () => number, uniform: () => number): void {
  for (const [name, t] of Object.entries(f.params)) {
    if (name.startsWith('table')) for (let i = 0; i < t.size; i++) t.data[i] = (2 * uniform() - 1) * 1e-4;
    else if (name.startsWith('w')) {
      const scale = Math.sqrt(2 / t.shape[0]!);
      for (let i = 0; i < t.size; i++) t.data[i] = normal() * scale;
    } else t.data.fill(0);
  }
}

/** Evaluates a hash or MLP field at points, with its backward pass into `grads` when given. */
export function evaluateNeural(f: RadianceField, points: Float32Array, upstream?: FieldGrad, grads?: Record<string, Tensor>): FieldEval {
  const s = f.neural!;
  const arch = f.arch as 'hash' | 'mlp';
  const count = points.length / 3;
  const sigma = new Float32Array(count);
  const rgb = new Float32Array(count * 3);
  const width = encodingWidth(arch, s);
  const levels = arch === 'hash' ? hashLevels(f.resolution, s.levels) : [];
  const tableSize = 2 ** s.log2TableSize;
  const tables = levels.map((_, l) => f.params[`table${l}`]!.data);
  const gTables = grads ? levels.map((_, l) => grads[`table${l}`]!.data) : [];
  const nLayers = s.layers + 1;
  const W = Array.from({ length: nLayers }, (_, i) => f.params[`w${i}`]!);
  const B = Array.from({ length: nLayers }, (_, i) => f.params[`b${i}`]!.data);
  // Per point: the encoding, each layer's activations (post-ReLU), the corners used.
  const acts = [new Float64Array(width), ...W.map((w) => new Float64Array(w.shape[1]!))];
  const corner = new Int32Array(levels.length * 8);
  const cw = new Float64Array(levels.length * 8);
  for (let p = 0; p < count; p++) {
    const x = [points[3 * p]!, points[3 * p + 1]!, points[3 * p + 2]!];
    if (!x.every((v) => v >= -1 && v <= 1)) continue;
    const enc = acts[0]!;
    if (arch === 'hash') {
      levels.forEach((n, l) => {
        const c = x.map((v) => {
          const g = ((v + 1) / 2) * (n - 1);
          const i = Math.min(n - 2, Math.floor(g));
          return { i, f: g - i };
        });
        const direct = n ** 3 <= tableSize;
        for (let k = 0; k < s.features; k++) enc[l * s.features + k] = 0;
        for (let m = 0; m < 8; m++) {
          const d = [m & 1, (m >> 1) & 1, (m >> 2) & 1];
          const [i, j, k] = [c[0]!.i + d[0]!, c[1]!.i + d[1]!, c[2]!.i + d[2]!];
          const idx = direct ? (i * n + j) * n + k : ((i ^ Math.imul(j, HASH_PRIMES[1]! | 0) ^ Math.imul(k, HASH_PRIMES[2]! | 0)) >>> 0) & (tableSize - 1);
          const w = (d[0] ? c[0]!.f : 1 - c[0]!.f) * (d[1] ? c[1]!.f : 1 - c[1]!.f) * (d[2] ? c[2]!.f : 1 - c[2]!.f);
          corner[l * 8 + m] = idx;
          cw[l * 8 + m] = w;
          for (let q = 0; q < s.features; q++) enc[l * s.features + q]! += w * tables[l]![idx * s.features + q]!;
        }
      });
    } else {
      for (let a = 0; a < 3; a++) {
        enc[a] = x[a]!;
        for (let k = 0; k < s.frequencies; k++) {
          const arg = 2 ** k * Math.PI * x[a]!;
          enc[3 + 6 * k + 2 * a] = Math.sin(arg);
          enc[3 + 6 * k + 2 * a + 1] = Math.cos(arg);
        }
      }
    }
    // Forward through the layers (ReLU on the hidden ones).
    for (let i = 0; i < nLayers; i++) {
      const [inA, outA, w, b] = [acts[i]!, acts[i + 1]!, W[i]!, B[i]!];
      const [fin, fout] = [w.shape[0]!, w.shape[1]!];
      for (let o = 0; o < fout; o++) {
        let v = b[o]!;
        for (let q = 0; q < fin; q++) v += inA[q]! * w.data[q * fout + o]!;
        outA[o] = i < nLayers - 1 ? Math.max(0, v) : v;
      }
    }
    const out = acts[nLayers]!;
    const o0 = Math.min(15, Math.max(-15, out[0]!));
    sigma[p] = Math.exp(o0);
    for (let k = 0; k < 3; k++) rgb[3 * p + k] = 1 / (1 + Math.exp(-out[k + 1]!));
    if (!upstream || !grads) continue;
    // Backward.
    let delta = Float64Array.from([upstream.sigma[p]! * sigma[p]!, ...[0, 1, 2].map((k) => upstream.rgb[3 * p + k]! * rgb[3 * p + k]! * (1 - rgb[3 * p + k]!))]);
    for (let i = nLayers - 1; i >= 0; i--) {
      const [inA, w] = [acts[i]!, W[i]!];
      const [fin, fout] = [w.shape[0]!, w.shape[1]!];
      const gw = grads[`w${i}`]!.data;
      const gb = grads[`b${i}`]!.data;
      const back = new Float64Array(fin);
      for (let o = 0; o < fout; o++) {
        const d = delta[o]!;
        if (d === 0) continue;
        gb[o]! += d;
        for (let q = 0; q < fin; q++) {
          gw[q * fout + o]! += inA[q]! * d;
          back[q]! += w.data[q * fout + o]! * d;
        }
      }
      // Through the ReLU of the layer below (the encoding has none).
      if (i > 0) for (let q = 0; q < fin; q++) if (inA[q]! <= 0) back[q] = 0;
      delta = back;
    }
    if (arch === 'hash')
      levels.forEach((_, l) => {
        for (let m = 0; m < 8; m++) {
          const [idx, w] = [corner[l * 8 + m]!, cw[l * 8 + m]!];
          for (let q = 0; q < s.features; q++) gTables[l]![idx * s.features + q]! += w * delta[l * s.features + q]!;
        }
      });
  }
  return { sigma, rgb };
}
