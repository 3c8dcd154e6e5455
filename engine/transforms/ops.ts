// The transforms along axes — the DCT, the Walsh–Hadamard transform and the multilevel wavelet
// transform — written once over a backend's line ops: the checks, the order of the axes and of the
// wavelet levels and blocks are here; each backend supplies one step (one axis, or one level along
// one axis inside a block). The CPU's steps work line by line in float64 (forEachLine); the WebGPU
// ones (engine/webgpu/transform-ops.ts) move the axis last on the device and run the fused line
// kernels (FFT routes, FWHT, DWT), the tensor staying there between steps and after.
import { Tensor, checkFinite, finiteSumSquares } from '../tensor';
import { dctLines } from './dct';
import { dwtAxes, dwtLines, filters, type DwtOptions } from './dwt';
import { forEachLine, resolveAxes } from './lines';
import { whtAxes, whtLines, type WhtOrder } from './wht';

export interface LineOps<H> {
  /** The input as a tensor the steps may overwrite (the input itself is kept as it was). */
  working(x: Tensor): Promise<H>;
  dctAxis(x: H, shape: readonly number[], axis: number, inverse: boolean): H;
  whtAxis(x: H, shape: readonly number[], axis: number, order: WhtOrder, inverse: boolean): H;
  /** One level of the periodized DWT along `axis` inside the leading block `extent`. */
  dwtLevel(x: H, shape: readonly number[], extent: readonly number[], axis: number, taps: { lo: Float64Array; hi: Float64Array }, inverse: boolean): H;
  /** The result as a tensor (on a device: left there, read when its values are needed). */
  result(x: H, shape: readonly number[]): Promise<Tensor>;
  /** After a failure: what the steps held. */
  release(x: H): void;
  /** Called once when a transform ends, however it ends. */
  done(): void;
}

/** A deferred input is checked for NaN/Inf on its device; a host one here. */
async function checked(x: Tensor): Promise<void> {
  if (x.materialized) checkFinite(x);
  else await finiteSumSquares(x);
}

async function run<H>(ops: LineOps<H>, x: Tensor, steps: (h: H) => H): Promise<Tensor> {
  let h: H | null = null;
  try {
    h = steps(await ops.working(x));
    const out = await ops.result(h, x.shape);
    h = null;
    return out;
  } finally {
    if (h !== null) ops.release(h);
    ops.done();
  }
}

/** The orthonormal DCT-II (or its inverse) along `axes` (all by default). */
export async function dctWith<H>(ops: LineOps<H>, x: Tensor, opts: { axes?: readonly number[]; inverse?: boolean } = {}): Promise<Tensor> {
  await checked(x);
  const axes = resolveAxes(opts.axes, x.ndim);
  if (x.size === 0 || axes.length === 0) return new Tensor(x.shape, Float32Array.from((await x.materialize()).data));
  return run(ops, x, (h) => axes.reduce((t, axis) => ops.dctAxis(t, x.shape, axis, !!opts.inverse), h));
}

/** The orthonormal Walsh–Hadamard transform along `axes`, natural or sequency order. */
export async function whtWith<H>(ops: LineOps<H>, x: Tensor, opts: { axes?: readonly number[]; order?: WhtOrder; inverse?: boolean } = {}): Promise<Tensor> {
  const axes = whtAxes(x, opts.axes);
  await checked(x);
  if (x.size === 0 || axes.length === 0) return new Tensor(x.shape, Float32Array.from((await x.materialize()).data));
  return run(ops, x, (h) => axes.reduce((t, axis) => ops.whtAxis(t, x.shape, axis, opts.order ?? 'natural', !!opts.inverse), h));
}

/** The multilevel periodized DWT in pywt's packed layout: each level transforms the leading block
 * along each axis; the inverse runs the levels backwards. */
export async function dwtWith<H>(ops: LineOps<H>, x: Tensor, opts: DwtOptions): Promise<Tensor> {
  const axes = dwtAxes(x, opts);
  await checked(x);
  const taps = filters(opts.wavelet);
  const levels = Array.from({ length: opts.levels }, (_, i) => (opts.inverse ? opts.levels - 1 - i : i));
  return run(ops, x, (h) => {
    for (const level of levels) {
      const extent = x.shape.map((n, i) => (axes.includes(i) ? n / 2 ** level : n));
      for (const axis of axes) h = ops.dwtLevel(h, x.shape, extent, axis, taps, !!opts.inverse);
    }
    return h;
  });
}

/** The CPU's line ops: a float64 copy of the values, transformed line by line in place. */
export const cpuLineOps: LineOps<Float64Array> = {
  working: async (x) => Float64Array.from((await x.materialize()).data),
  dctAxis(data, shape, axis, inverse) {
    forEachLine(data, shape, axis, shape[axis]!, dctLines(shape[axis]!, inverse));
    return data;
  },
  whtAxis(data, shape, axis, order, inverse) {
    forEachLine(data, shape, axis, shape[axis]!, whtLines(shape[axis]!, order, inverse));
    return data;
  },
  dwtLevel(data, shape, extent, axis, taps, inverse) {
    forEachLine(data, shape, axis, extent[axis]!, dwtLines(extent[axis]!, taps, inverse), extent);
    return data;
  },
  result: async (data, shape) => new Tensor(shape, Float32Array.from(data)),
  release() {},
  done() {},
};

/** The transforms on the CPU. */
export const dct = (x: Tensor, opts: { axes?: readonly number[]; inverse?: boolean } = {}): Promise<Tensor> => dctWith(cpuLineOps, x, opts);
export const wht = (x: Tensor, opts: { axes?: readonly number[]; order?: WhtOrder; inverse?: boolean } = {}): Promise<Tensor> => whtWith(cpuLineOps, x, opts);
export const dwt = (x: Tensor, opts: DwtOptions): Promise<Tensor> => dwtWith(cpuLineOps, x, opts);
