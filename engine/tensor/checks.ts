// Input checks shared by every algorithm: no empty tensors, no NaN or Inf (with where).
import { formatShape, type Tensor } from './tensor';

/** Refuses inputs no algorithm can use: empty, or holding NaN/Inf (with the first index). The
 * values of a deferred tensor are not on the host: a device method checks them with
 * finiteSumSquares instead (CPU code materializes its inputs first). */
export function checkFinite(x: Tensor, what = 'input'): void {
  if (x.size === 0) throw new Error(`${what} is empty ${formatShape(x.shape)}; there is nothing to compute`);
  if (!x.materialized) return;
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

/** ‖x‖² in float64 after checkFinite, for inputs that may be deferred: a deferred tensor's sum of
 * squares comes from its device; only when that is not finite are the values read back, to name
 * the first NaN/Inf (or, for finite values beyond ±1.8e19 whose float32 squares overflowed, to sum
 * them in float64 on the host). */
export async function finiteSumSquares(x: Tensor, what = 'input'): Promise<number> {
  checkFinite(x, what);
  if (x.materialized) return x.sumSquares();
  const s = await x.sumSquares();
  if (Number.isFinite(s)) return s;
  await x.materialize();
  checkFinite(x, what);
  return x.sumSquares();
}
