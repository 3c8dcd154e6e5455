import { describe, expect, it } from 'vitest';
import { refBytes } from '../../test/refs/refs';
import { Tensor } from '../tensor';
import { NpyError, readNpy, writeNpy } from './npy';

/** Builds a .npy file by hand: any version, header text and raw data bytes. */
function npy(header: string, data: Uint8Array, version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const enc = new TextEncoder().encode(header);
  const pad = 64 - ((prefix + enc.length + 1) % 64);
  const h = new Uint8Array(enc.length + pad + 1).fill(0x20);
  h.set(enc);
  h[h.length - 1] = 0x0a;
  const out = new Uint8Array(prefix + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, h.length, true);
  else v.setUint32(8, h.length, true);
  out.set(h, prefix);
  out.set(data, prefix + h.length);
  return out;
}
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('readNpy / writeNpy', () => {
  it.each([[[]], [[5]], [[2, 3]], [[2, 1, 3, 2]], [[0, 4]]])('round-trips shape %j', (shape) => {
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    const t = Tensor.from(shape, Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3));
    for (const dtype of ['<f4', '<f8'] as const) {
      const bytes = writeNpy(t, dtype);
      const headerEnd = bytes.indexOf(0x0a) + 1;
      expect(headerEnd % 64).toBe(0);
      const back = readNpy(bytes, 'x.npy');
      expect(back.shape).toEqual(shape);
      expect(back.data).toEqual(t.data);
    }
    expect(new TextDecoder().decode(writeNpy(Tensor.zeros([5])).subarray(10, 70))).toContain("'shape': (5,)");
  });

  it('writes <f2 (float16) that reads back within half precision, rounding ties to even', () => {
    const t = Tensor.from([5], [1, -0.5, 1 / 3, 65504, 1 + 2 ** -11]);
    const back = readNpy(writeNpy(t, '<f2'), 'h.npy');
    expect(back.shape).toEqual([5]);
    expect([...back.data]).toEqual([1, -0.5, 0.333251953125, 65504, 1]); // 1 + 2⁻¹¹ is a tie: to even, 1
  });

  it('writes <f8 that holds the float32 values exactly', () => {
    const t = Tensor.from([3], [0.1, 1 / 3, -2.5e-8]);
    const bytes = writeNpy(t, '<f8');
    const data = new Float64Array(bytes.slice(bytes.length - 24).buffer);
    expect([...data]).toEqual([...t.data]);
  });

  it('reads versions 2.0 and 3.0 headers', () => {
    const data = bytesOf(Float32Array.of(1, 2, 3, 4));
    for (const version of [2, 3]) {
      const t = readNpy(npy(`{"shape": (2, 2), 'fortran_order': False, 'descr': '<f4',}`, data, version), 'v.npy');
      expect([...t.data]).toEqual([1, 2, 3, 4]);
    }
  });

  it.each([
    ['<f8', bytesOf(Float64Array.of(1.5, -2))],
    ['|u1', Uint8Array.of(1, 255)],
    ['<i4', bytesOf(Int32Array.of(-7, 2 ** 30))],
    ['<i8', bytesOf(BigInt64Array.of(-3n, 5n))],
    ['<i2', bytesOf(Int16Array.of(-3, 300))],
    ['|b1', Uint8Array.of(0, 1)],
  ])('reads dtype %s as float32', (descr, data) => {
    const t = readNpy(npy(`{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`, data), 'd.npy');
    const expected = { '<f8': [1.5, -2], '|u1': [1, 255], '<i4': [-7, 2 ** 30], '<i8': [-3, 5], '<i2': [-3, 300], '|b1': [0, 1] }[descr]!;
    expect([...t.data]).toEqual(expected);
  });

  it('reads big-endian data', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat32(0, 1.25, false);
    new DataView(b.buffer).setFloat32(4, -3, false);
    expect([...readNpy(npy(`{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }`, b), 'be.npy').data]).toEqual([1.25, -3]);
  });

  it('reads Fortran order into C order', () => {
    // x = [[1, 2, 3], [4, 5, 6]] stored column-major: 1 4 2 5 3 6.
    const t = readNpy(npy(`{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }`, bytesOf(Float32Array.of(1, 4, 2, 5, 3, 6))), 'f.npy');
    expect(t.shape).toEqual([2, 3]);
    expect([...t.data]).toEqual([1, 2, 3, 4, 5, 6]);
    // 3-D: element (i, j, k) sits at i + 2j + 6k in Fortran order.
    const f = new Float32Array(24);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) f[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const t3 = readNpy(npy(`{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }`, bytesOf(f)), 'f3.npy');
    expect(t3.get(1, 2, 3)).toBe(123);
    expect(t3.get(0, 1, 2)).toBe(12);
  });

  it.each([
    ['bad magic', new TextEncoder().encode('PK\x03\x04 not numpy at all'), /bad\.npy: not a \.npy file.*numpy\.save/],
    ['unknown version', (() => { const b = npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4)); b[6] = 9; return b; })(), /unsupported \.npy format version 9\.0/],
    ['complex dtype', npy(`{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)), /dtype '<c8' is not supported/],
    ['string dtype', npy(`{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(20)), /dtype '<U5' is not supported/],
    ['object dtype', npy(`{'descr': '|O', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)), /dtype '\|O' is not supported/],
    ['structured dtype', npy(`{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4)), /structured dtypes/],
    ['truncated data', npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, new Uint8Array(40)), /truncated: shape \(3, 4\) of '<f4' needs 48 data bytes, the file has 40/],
    ['extra data', npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }`, new Uint8Array(12)), /shape\/size mismatch.*4 extra/],
    ['truncated header', npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }`, new Uint8Array(8)).subarray(0, 40), /truncated: the header says/],
    ['negative shape', npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }`, new Uint8Array(0)), /must hold non-negative integers/],
    ['missing shape', npy(`{'descr': '<f4', 'fortran_order': False}`, new Uint8Array(0)), /no 'shape' tuple/],
  ])('refuses %s, naming the file', (_name, bytes, message) => {
    let err: unknown;
    try {
      readNpy(bytes, 'bad.npy');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NpyError);
    expect((err as NpyError).file).toBe('bad.npy');
    expect((err as Error).message).toMatch(/^bad\.npy: /);
    expect((err as Error).message).toMatch(message);
  });

  it('reads numpy-written reference files (test/refs)', () => {
    const a = readNpy(refBytes('svd_decay_240x180', 'input.npy'), 'input.npy');
    expect(a.shape).toEqual([240, 180]);
    expect(a.data.every(Number.isFinite)).toBe(true);
    // <i8 permutation written by numpy: perm[k] = bitreverse(gray(k)) over 9 bits (refs/README.md).
    const perm = readNpy(refBytes('wht_1d_512', 'sequency_perm_512.npy'), 'perm.npy');
    expect(perm.shape).toEqual([512]);
    const bitrev9 = (x: number) => parseInt(x.toString(2).padStart(9, '0').split('').reverse().join(''), 2);
    for (let k = 0; k < 512; k++) expect(perm.data[k]).toBe(bitrev9(k ^ (k >> 1)));
    // <f8 expected array: DCT-II of the input (dct_2d_13x22), same shape as the input.
    expect(readNpy(refBytes('dct_2d_13x22', 'expected.npy'), 'expected.npy').shape).toEqual([13, 22]);
  });
});
