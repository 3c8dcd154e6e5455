// Input checks shared by every algorithm: no empty tensors, no NaN or Inf (with where).
import { formatShape, type Tensor } from './tensor';

/** Refuses inputs no algorithm can use: empty, or holding NaN/Inf (with the first index). */
export function checkFinite(x: Tensor, what = 'input'): void {
  if (x.size === 0) throw new Error(`${what} is empty ${formatShape(x.shape)}; there is nothing to compute`);
  for (let i = 0; i < x.size; i++) {
    if (!Number.isFinite(x.data[i]!)) {
      const idx: number[] = [];
      let f = i;
      for (let a = x.ndim - 1; a >= 0; a--) {
        idx[a] = f % x.shape[a]!;
        f = Math.floor(f / x.shape[a]!);
      }
      throw new Error(`${what} holds ${x.data[i]} at index [${idx.join(', ')}]; remove or replace non-finite values first`);
    }
  }
}
