// Orthonormal fast Walsh–Hadamard transform, O(n log n) per line. Natural (Hadamard) order equals
// scipy.linalg.hadamard(n)/√n (Sylvester: H_2n = [[H, H], [H, −H]]); sequency order puts row
// perm[k] = bitreverse(gray(k)) at k, the row with k sign changes. Self-inverse in natural order.
import { checkFinite, formatShape, type Tensor } from '../tensor';
import { resolveAxes } from './lines';

export type WhtOrder = 'natural' | 'sequency';

export function sequencyPermutation(n: number): Uint32Array {
  const bits = Math.log2(n);
  const perm = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    let g = k ^ (k >> 1);
    let r = 0;
    for (let b = 0; b < bits; b++) {
      r = (r << 1) | (g & 1);
      g >>= 1;
    }
    perm[k] = r;
  }
  return perm;
}

function fwht(line: Float64Array): void {
  const n = line.length;
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = line[j]!;
        const b = line[j + h]!;
        line[j] = a + b;
        line[j + h] = a - b;
      }
    }
  }
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) line[i]! *= s;
}

/** The axes to transform, checked: finite input, power-of-two lengths (else the pad to use). */
export function whtAxes(x: Tensor, axesParam: readonly number[] | undefined): number[] {
  checkFinite(x);
  const axes = resolveAxes(axesParam, x.ndim);
  for (const a of axes) {
    const n = x.shape[a]!;
    if (n < 1 || (n & (n - 1)) !== 0) {
      const next = 2 ** Math.ceil(Math.log2(Math.max(1, n)));
      throw new Error(`the Walsh–Hadamard transform needs power-of-two lengths, but axis ${a} of ${formatShape(x.shape)} has ${n}; pad it to ${next} with a tensor.pad node first`);
    }
  }
  return axes;
}

/** One line's transform in place: natural order, or sequency order (the inverse first undoes the
 * permutation, then the self-inverse natural transform). */
export function whtLines(n: number, order: WhtOrder, inverse: boolean): (line: Float64Array) => void {
  const perm = order === 'sequency' ? sequencyPermutation(n) : null;
  const tmp = new Float64Array(n);
  return (line) => {
    if (perm && inverse) {
      // y_nat[perm[k]] = y_seq[k].
      for (let k = 0; k < n; k++) tmp[perm[k]!] = line[k]!;
      line.set(tmp);
    }
    fwht(line);
    if (perm && !inverse) {
      for (let k = 0; k < n; k++) tmp[k] = line[perm[k]!]!;
      line.set(tmp);
    }
  };
}
