// Input checks shared by every algorithm: no empty tensors, no NaN or Inf (with where).
import { Tensor, formatShape } from './tensor';

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

/** The power of two that brings a norm √norm2 into [2⁻²⁰, 2²⁰], or 0 when it is there already or
 * the tensor is zero. Float32 device kernels square their entries (Gram matrices, CholeskyQR,
 * MTTKRP normal equations): outside that range the squares over- or underflow, so a device method
 * runs on the input scaled by 2^−shift (exact) and scales its result back. */
export function normShift(norm2: number): number {
  if (norm2 === 0 || !Number.isFinite(norm2)) return 0;
  const e = Math.log2(norm2) / 2;
  return e >= -20 && e <= 20 ? 0 : Math.round(e);
}

/** x·2^−shift on the host, exact (a deferred x is read back first). */
export async function scaledDown(x: Tensor, shift: number): Promise<Tensor> {
  await x.materialize();
  return new Tensor(x.shape, x.data.map((v) => v * 2 ** -shift));
}

/** v·2^shift in two factors (2^shift alone overflows for shifts near ±1024). */
export const scaleUp = (v: number, shift: number): number => v * 2 ** Math.trunc(shift / 2) * 2 ** (shift - Math.trunc(shift / 2));
