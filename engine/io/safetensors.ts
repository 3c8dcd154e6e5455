// .safetensors read/write (Hugging Face's format, the one PEFT and model hubs use): 8 bytes of
// header length N (little-endian u64), N bytes of JSON header — each tensor's dtype, shape and
// data_offsets [begin, end) into the data that follows, plus an optional "__metadata__" map of
// strings — then the data. Offsets are checked: inside the data, sized by dtype and shape, no two
// overlapping and no bytes left unindexed (the format allows no holes). Pure bytes in and out.
import { Tensor, formatCount, formatShape, sizeOf, sizeProblem, type Shape } from '../tensor';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './half';

export class SafetensorsError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'SafetensorsError';
  }
}

type Reader = (v: DataView, o: number) => number;
type Writer = (v: DataView, o: number, x: number) => void;
/** The dtypes read (every one the format names but the 8-bit floats) and written. */
const DTYPES = {
  F64: { size: 8, read: ((v, o) => v.getFloat64(o, true)) as Reader, write: ((v, o, x) => v.setFloat64(o, x, true)) as Writer },
  F32: { size: 4, read: ((v, o) => v.getFloat32(o, true)) as Reader, write: ((v, o, x) => v.setFloat32(o, x, true)) as Writer },
  F16: { size: 2, read: ((v, o) => halfToFloat(v.getUint16(o, true))) as Reader, write: ((v, o, x) => v.setUint16(o, floatToHalf(x), true)) as Writer },
  BF16: { size: 2, read: ((v, o) => bf16ToFloat(v.getUint16(o, true))) as Reader, write: ((v, o, x) => v.setUint16(o, floatToBf16(x), true)) as Writer },
  // int64 beyond 2^53 loses precision, as it would in float32 anyway.
  I64: { size: 8, read: ((v, o) => Number(v.getBigInt64(o, true))) as Reader, write: ((v, o, x) => v.setBigInt64(o, BigInt(Math.round(x)), true)) as Writer },
  U64: { size: 8, read: ((v, o) => Number(v.getBigUint64(o, true))) as Reader, write: ((v, o, x) => v.setBigUint64(o, BigInt(Math.round(x)), true)) as Writer },
  I32: { size: 4, read: ((v, o) => v.getInt32(o, true)) as Reader, write: ((v, o, x) => v.setInt32(o, x, true)) as Writer },
  U32: { size: 4, read: ((v, o) => v.getUint32(o, true)) as Reader, write: ((v, o, x) => v.setUint32(o, x, true)) as Writer },
  I16: { size: 2, read: ((v, o) => v.getInt16(o, true)) as Reader, write: ((v, o, x) => v.setInt16(o, x, true)) as Writer },
  U16: { size: 2, read: ((v, o) => v.getUint16(o, true)) as Reader, write: ((v, o, x) => v.setUint16(o, x, true)) as Writer },
  I8: { size: 1, read: ((v, o) => v.getInt8(o)) as Reader, write: ((v, o, x) => v.setInt8(o, x)) as Writer },
  U8: { size: 1, read: ((v, o) => v.getUint8(o)) as Reader, write: ((v, o, x) => v.setUint8(o, x)) as Writer },
  BOOL: { size: 1, read: ((v, o) => (v.getUint8(o) ? 1 : 0)) as Reader, write: ((v, o, x) => v.setUint8(o, x ? 1 : 0)) as Writer },
} as const;

export type SafetensorsDtype = keyof typeof DTYPES;
export const SAFETENSORS_DTYPES = Object.keys(DTYPES) as SafetensorsDtype[];

/** One named tensor: its dtype, shape and bytes (a view into the file when read). */
export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  entries: SafetensorsEntry[];
  /** The header's "__metadata__": string keys and values. */
  metadata: Record<string, string>;
}

/** The spec's cap on the header (100 MB); a larger length is a corrupt or hostile file. */
const MAX_HEADER_BYTES = 100_000_000;

export function readSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const fail = (problem: string): never => {
    throw new SafetensorsError(file, problem);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes: a .safetensors file starts with an 8-byte header length; this is not one (or it was cut short)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER_BYTES) fail(`the header says it is ${formatCount(n)} bytes, above the format's 100 MB limit: not a .safetensors file, or a corrupt one`);
  if (8 + n > bytes.length) fail(`the header says it is ${formatCount(n)} bytes, longer than the ${formatCount(bytes.length - 8)} bytes after its length: the file was cut short`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message}); the file is corrupt or not a .safetensors file`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('the header is not a JSON object of tensors');
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const entries: (SafetensorsEntry & { begin: number; end: number })[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('"__metadata__" is not an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`"__metadata__"."${k}" is ${JSON.stringify(v)}, not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `tensor ${JSON.stringify(name)}`;
    if (e === null || typeof e !== 'object') fail(`${where} is not an object with dtype, shape and data_offsets`);
    if (typeof e.dtype !== 'string' || !(e.dtype in DTYPES)) fail(`${where} has dtype ${JSON.stringify(e.dtype)}; supported: ${SAFETENSORS_DTYPES.join(', ')}`);
    const dtype = e.dtype as SafetensorsDtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${where} has shape ${JSON.stringify(e.shape)}; a shape is a list of sizes ≥ 0`);
    const shape = e.shape as number[];
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${where} has data_offsets ${JSON.stringify(off)}; they are [begin, end] byte offsets into the data`);
    const [begin, end] = off as [number, number];
    if (end < begin) fail(`${where} has data_offsets [${begin}, ${end}]: the end comes before the beginning`);
    if (end > data.length) fail(`${where} has data_offsets [${begin}, ${end}], beyond the ${formatCount(data.length)} bytes of data: the file was cut short or its header is wrong`);
    const want = sizeOf(shape) * DTYPES[dtype].size;
    if (end - begin !== want) fail(`${where} is ${dtype} ${formatShape(shape)}, ${formatCount(want)} bytes, but its data_offsets [${begin}, ${end}] hold ${formatCount(end - begin)}`);
    entries.push({ name, dtype, shape, bytes: data.subarray(begin, end), begin, end });
  }
  // The data is indexed entirely, without holes or overlaps: sorted by offset, each tensor starts
  // where the previous one ends, the first at 0 and the last at the end of the data.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of byOffset) {
    if (e.begin < at) fail(`tensor ${JSON.stringify(e.name)} (bytes ${e.begin}–${e.end}) overlaps the one before it (which ends at ${at})`);
    if (e.begin > at) fail(`bytes ${at}–${e.begin} of the data belong to no tensor (a hole before ${JSON.stringify(e.name)}); the format indexes every byte`);
    at = e.end;
  }
  if (at !== data.length) fail(`bytes ${at}–${data.length} of the data belong to no tensor; the format indexes every byte`);
  return { entries: entries.map(({ name, dtype, shape, bytes: b }) => ({ name, dtype, shape, bytes: b })), metadata };
}

/** The file: the header (its JSON padded with spaces to a multiple of 8 bytes, as the reference
 * writer does, so the data starts aligned), then each entry's bytes in order. */
export function writeSafetensors(file: SafetensorsFile): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(file.metadata).length) header.__metadata__ = file.metadata;
  let offset = 0;
  const names = new Set<string>();
  for (const e of file.entries) {
    if (e.name === '__metadata__' || names.has(e.name)) throw new Error(`safetensors: tensor name ${JSON.stringify(e.name)} is ${names.has(e.name) ? 'used twice' : 'reserved'}`);
    names.add(e.name);
    const want = sizeOf(e.shape) * DTYPES[e.dtype].size;
    if (e.bytes.length !== want) throw new Error(`safetensors: tensor ${JSON.stringify(e.name)} is ${e.dtype} ${formatShape(e.shape)} (${want} bytes) but holds ${e.bytes.length}`);
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] };
    offset += e.bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const e of file.entries) {
    out.set(e.bytes, at);
    at += e.bytes.length;
  }
  return out;
}

/** An entry's values as a float32 tensor (wider and integer dtypes converted). */
export function entryTensor(e: SafetensorsEntry): Tensor {
  const problem = sizeProblem(e.shape);
  if (problem) throw new Error(`tensor ${JSON.stringify(e.name)} is ${problem}`);
  const { size, read } = DTYPES[e.dtype];
  const view = new DataView(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength);
  const t = new Tensor(e.shape);
  for (let i = 0; i < t.size; i++) t.data[i] = read(view, i * size);
  return t;
}

/** A tensor as an entry of the given dtype (float32 by default; F16 and BF16 round to nearest even). */
export function tensorEntry(name: string, t: Tensor, dtype: SafetensorsDtype = 'F32'): SafetensorsEntry {
  const { size, write } = DTYPES[dtype];
  const bytes = new Uint8Array(t.size * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < t.size; i++) write(view, i * size, t.data[i]!);
  return { name, dtype, shape: [...(t.shape as Shape)], bytes };
}
