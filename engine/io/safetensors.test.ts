// .safetensors read and write against files built byte by byte here: values of every dtype, a
// header padded with spaces, metadata kept, round trips exact; and the refusals a hostile or broken
// file gets (cut short, bad JSON, offsets out of range, overlapping, leaving holes, wrong sizes).
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './half';
import { SAFETENSORS_DTYPES, entryTensor, readSafetensors, tensorEntry, writeSafetensors } from './safetensors';

/** A file from a header object and data bytes, the header padded with `pad` spaces. */
function file(header: object, data: number[] | Uint8Array, pad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
const f32bytes = (xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer);

describe('half and bfloat16', () => {
  it('round to nearest, ties to even, as numpy.float16 (bits made with numpy 2.4.6)', () => {
    const xs = [1, -2, 65504, 65520, 65519, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 2 ** -14, 0.1, 1 / 3, -0, 1e-8, 70000];
    const numpy = [0x3c00, 0xc000, 0x7bff, 0x7c00, 0x7bff, 0x1, 0x0, 0x2, 0x400, 0x2e66, 0x3555, 0x8000, 0x0, 0x7c00];
    expect(xs.map(floatToHalf)).toEqual(numpy);
    expect(floatToHalf(NaN)).toBe(0x7e00);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    // Every half survives a trip through float and back.
    for (let h = 0; h < 0x10000; h++) if ((h & 0x7c00) !== 0x7c00 || !(h & 0x3ff)) expect(floatToHalf(halfToFloat(h))).toBe(h);
  });

  it('bfloat16 keeps float32\'s exponent and 7 mantissa bits, ties to even', () => {
    expect(floatToBf16(1)).toBe(0x3f80);
    expect(floatToBf16(1 + 2 ** -8)).toBe(0x3f80); // halfway: down to the even 1.0
    expect(floatToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82); // halfway: up to the even 1 + 2⁻⁶
    expect(floatToBf16(-3.5e38)).toBe(0xff80); // beyond bf16's largest: −Infinity
    expect(bf16ToFloat(floatToBf16(NaN))).toBeNaN();
    expect(bf16ToFloat(0x4049)).toBe(3.140625);
  });
});

describe('safetensors', () => {
  it('reads a file built by hand: values, shapes, metadata, a header padded with spaces', () => {
    const bytes = file(
      { __metadata__: { format: 'pt' }, b: { dtype: 'I64', shape: [2], data_offsets: [8, 24] }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } },
      [...f32bytes([1.5, -2]), ...new Uint8Array(BigInt64Array.of(7n, -3n).buffer)],
      5,
    );
    const f = readSafetensors(bytes, 'w.safetensors');
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(f.entries.map((e) => [e.name, e.dtype, e.shape])).toEqual([
      ['b', 'I64', [2]],
      ['a', 'F32', [2]],
    ]);
    expect([...entryTensor(f.entries[0]!).data]).toEqual([7, -3]);
    expect([...entryTensor(f.entries[1]!).data]).toEqual([1.5, -2]);
  });

  it('round-trips every dtype exactly, with metadata, the header padded to 8 bytes', () => {
    const values = [0, 1, 2, 3, 100, 7];
    const signed = [0, -1, 2, -3, 100, -7];
    const entries = SAFETENSORS_DTYPES.map((dtype) => tensorEntry(`t.${dtype}`, Tensor.from([2, 3], dtype === 'BOOL' ? [0, 1, 1, 0, 1, 0] : /^U/.test(dtype) ? values : signed), dtype));
    const bytes = writeSafetensors({ entries, metadata: { format: 'pt', note: 'made by corespace' } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const back = readSafetensors(bytes, 'rt.safetensors');
    expect(back.metadata).toEqual({ format: 'pt', note: 'made by corespace' });
    expect(back.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    for (const [i, e] of back.entries.entries()) {
      expect([e.dtype, e.shape, [...e.bytes]]).toEqual([entries[i]!.dtype, [2, 3], [...entries[i]!.bytes]]);
      expect([e.name, [...entryTensor(e).data]]).toEqual([e.name, e.dtype === 'BOOL' ? [0, 1, 1, 0, 1, 0] : /^U/.test(e.dtype) ? values : signed]);
    }
    // Written again from what was read: the same bytes.
    expect([...writeSafetensors(back)]).toEqual([...bytes]);
  });

  it('an empty tensor and a file of no tensors are valid', () => {
    const f = readSafetensors(writeSafetensors({ entries: [tensorEntry('e', new Tensor([0, 4]))], metadata: {} }), 'e.safetensors');
    expect(f.entries[0]!.shape).toEqual([0, 4]);
    expect(readSafetensors(file({}, []), 'none.safetensors').entries).toEqual([]);
  });

  it.each([
    ['a file shorter than 8 bytes', new Uint8Array(5), /5 bytes: a .safetensors file starts with an 8-byte header length/],
    ['a header longer than the file', (() => { const b = file({}, []); new DataView(b.buffer).setBigUint64(0, 1000n, true); return b; })(), /the header says it is 1 000 bytes, longer than the 2 bytes after its length: the file was cut short/],
    ['a header over 100 MB', (() => { const b = file({}, []); new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true); return b; })(), /above the format's 100 MB limit/],
    ['bad JSON', (() => { const b = file({ a: 1 }, []); b[8] = 0x78; return b; })(), /the header is not valid JSON/],
    ['a JSON array', file([1, 2] as unknown as object, []), /the header is not a JSON object of tensors/],
    ['an unknown dtype', file({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0]), /tensor "a" has dtype "F8_E4M3"; supported: F64, F32/],
    ['offsets beyond the data', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, [0, 0, 0, 0]), /tensor "a" has data_offsets \[0, 8\], beyond the 4 bytes of data/],
    ['offsets that do not match the shape', file({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /tensor "a" is F32 \[3\], 12 bytes, but its data_offsets \[0, 8\] hold 8/],
    ['overlapping tensors', file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), /tensor "b" \(bytes 4–8\) overlaps the one before it \(which ends at 8\)/],
    ['a hole', file({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), /bytes 0–4 of the data belong to no tensor/],
    ['bytes after the last tensor', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)), /bytes 4–8 of the data belong to no tensor/],
    ['end before begin', file({ a: { dtype: 'U8', shape: [0], data_offsets: [4, 0] } }, new Uint8Array(4)), /the end comes before the beginning/],
    ['a bad shape', file({ a: { dtype: 'U8', shape: [-1], data_offsets: [0, 0] } }, []), /tensor "a" has shape \[-1\]/],
    ['non-string metadata', file({ __metadata__: { n: 3 } }, []), /"__metadata__"."n" is 3, not a string/],
  ] as const)('refuses %s, naming the file and the problem', (_, bytes, message) => {
    expect(() => readSafetensors(bytes as Uint8Array, 'bad.safetensors')).toThrow(message);
    expect(() => readSafetensors(bytes as Uint8Array, 'bad.safetensors')).toThrow(/^bad\.safetensors: /);
  });
});
