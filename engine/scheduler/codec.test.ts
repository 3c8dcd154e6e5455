// Records: every value kind comes back equal (tensors bit for bit), and a record that was cut
// short, changed or made up is refused with a RecordError, never decoded into a wrong value.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { valueKinds } from '../values';
import { decodeRecord, encodeRecord, recordDigest, RecordError } from './codec';

/** Tensors as {shape, data} so that toEqual compares their values, not their private fields. */
function plain(v: unknown): unknown {
  if (v instanceof Tensor) return { tensor: v.shape, data: Array.from(v.data, (x) => (Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x)) };
  if (Array.isArray(v)) return v.map(plain);
  if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number | bigint>, String) };
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe('records', () => {
  it.each(valueKinds.filter((k) => k.kind !== 'function').map((k) => [k.kind, k] as const))('round-trips the %s example', async (_name, k) => {
    const v = k.example();
    const back = await decodeRecord(await encodeRecord({ out: v }));
    expect(plain(back)).toEqual(plain({ out: v }));
  });

  it('refuses a function value (code, not data): the nodes that use one run where it was made', async () => {
    const f = valueKinds.find((k) => k.kind === 'function')!.example();
    await expect(encodeRecord({ function: f }, "node 'f' outputs")).rejects.toThrow(/node 'f' outputs\.function\.sampleGrid is a function/);
  });

  it('keeps float32 bits, odd shapes, typed arrays, bigints, non-finite numbers and $-keys', async () => {
    const t = Tensor.from([2, 3], [1e-45, -0, 3.4028234e38, 1 / 3, -7, 0.1]);
    const value = {
      t,
      empty: new Tensor([0, 4]),
      scalar: Tensor.from([], [2.5]),
      bytes: new Uint8Array([1, 2, 255]),
      ints: new BigInt64Array([-(2n ** 63n), 5n]),
      f64: Float64Array.of(Math.PI, -1e300),
      big: 12345678901234567890n,
      odd: [NaN, Infinity, -Infinity, undefined, null],
      msg: { $typeName: 'onnx.TensorProto', dims: [3n], rawData: new Uint8Array(5) },
      ['__proto__']: { polluted: true },
      text: 'é ✓',
    };
    const back = (await decodeRecord(await encodeRecord(value))) as typeof value;
    expect(back.t.data).toEqual(t.data);
    expect(Object.is(back.t.data[1], -0)).toBe(true);
    expect(back.empty.shape).toEqual([0, 4]);
    expect(back.scalar.shape).toEqual([]);
    expect(back.scalar.data[0]).toBe(2.5);
    expect(back.bytes).toEqual(new Uint8Array([1, 2, 255]));
    expect(back.ints).toEqual(new BigInt64Array([-(2n ** 63n), 5n]));
    expect(back.f64).toEqual(Float64Array.of(Math.PI, -1e300));
    expect(back.big).toBe(12345678901234567890n);
    expect(back.odd).toEqual([NaN, Infinity, -Infinity, undefined, null]);
    expect(back.msg.$typeName).toBe('onnx.TensorProto');
    expect(back.msg.dims).toEqual([3n]);
    expect(back.text).toBe('é ✓');
    // "__proto__" came back as a plain key, not as the object's prototype.
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
  });

  it('is the same bytes for the same values, so its digest is a content address', async () => {
    const a = await encodeRecord({ x: Tensor.from([2], [1, 2]), n: 3 });
    const b = await encodeRecord({ x: Tensor.from([2], [1, 2]), n: 3 });
    const c = await encodeRecord({ x: Tensor.from([2], [1, 2.0000002]), n: 3 });
    expect(a).toEqual(b);
    expect(recordDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(recordDigest(a)).toBe(recordDigest(b));
    expect(recordDigest(a)).not.toBe(recordDigest(c));
  });

  it('refuses a record cut short, changed by one bit, or not a record at all', async () => {
    const bytes = await encodeRecord({ t: Tensor.from([64], Array.from({ length: 64 }, (_, i) => i)) }, 'x');
    await expect(decodeRecord(bytes.subarray(0, bytes.length - 3), 'out:abc')).rejects.toThrow(/out:abc does not match its SHA-256/);
    for (const at of [40, 100, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at]! ^= 1;
      await expect(decodeRecord(bad, 'r')).rejects.toBeInstanceOf(RecordError);
    }
    await expect(decodeRecord(new TextEncoder().encode('{"t":1}'), 'r')).rejects.toThrow(/r is not a Corespace record/);
    await expect(decodeRecord(new Uint8Array(0), 'r')).rejects.toThrow(/not a Corespace record/);
  });

  it('refuses what is not plain data, naming where it is', async () => {
    await expect(encodeRecord({ a: { f: () => 1 } }, "node 'n' output 'x'")).rejects.toThrow(/node 'n' output 'x'\.a\.f is a function/);
    await expect(encodeRecord({ m: new Map() })).rejects.toThrow(/the value\.m is a Map, which cannot be stored/);
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 100; i++) at = (at.next = {}) as Record<string, unknown>;
    await expect(encodeRecord(deep)).rejects.toThrow(/nests deeper than 64 levels/);
  });

  it('decodes from a buffer at any byte offset (a Redis reply inside a larger buffer)', async () => {
    const bytes = await encodeRecord({ t: Tensor.from([3], [1, 2, 3]) });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const back = (await decodeRecord(big.subarray(3))) as { t: Tensor };
    expect(Array.from(back.t.data)).toEqual([1, 2, 3]);
  });
});
