// Block-mean downsampling for display: each axis longer than its cap is cut into `cap` near-equal
// blocks (numpy.array_split boundaries) and every output entry is the mean of its block. Views use it
// to keep what they draw bounded (a 512³ tensor shown as 64³ means), never for numerics.
import { Tensor, sizeOf } from './tensor';

export function blockMean(t: Tensor, caps: readonly number[]): Tensor {
  const d = t.ndim;
  const out = t.shape.map((n, a) => Math.min(n, Math.max(1, caps[a] ?? n)));
  if (out.every((n, a) => n === t.shape[a])) return t;
  // Per axis: the output index of each input index.
  const bucket = t.shape.map((n, a) => Int32Array.from({ length: n }, (_, i) => Math.floor((i * out[a]!) / n)));
  const sums = new Float64Array(sizeOf(out));
  const counts = new Float64Array(sums.length);
  const idx = new Array<number>(d).fill(0);
  for (let flat = 0; flat < t.size; flat++) {
    let o = 0;
    for (let a = 0; a < d; a++) o = o * out[a]! + bucket[a]![idx[a]!]!;
    sums[o]! += t.data[flat]!;
    counts[o]! += 1;
    for (let a = d - 1; a >= 0; a--) {
      if (++idx[a]! < t.shape[a]!) break;
      idx[a] = 0;
    }
  }
  return new Tensor(out, Float32Array.from(sums, (s, i) => s / counts[i]!));
}
