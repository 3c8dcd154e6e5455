// The bytes a node's values travel and rest as outside the process (the job queue's store): one
// record holds a JSON skeleton of the values and, after it, each tensor as a float32 .npy and each
// typed array as its raw bytes. A SHA-256 of everything after the header is checked on read, so a
// record cut short or changed in the store is never taken for a result.
//
//   "CSREC001" | sha256(payload) (32 bytes) | payload
//   payload: u32 LE length of the JSON | JSON | zero padding to 8 | chunks (each at an 8-byte boundary)
//
// In the JSON a tensor is {"$t": chunk}, a typed array {"$a": chunk, "of": "Float64Array"}, a bigint
// {"$n": "123"}, a non-finite number {"$f": "NaN"}, and an object with a key that starts with "$"
// (a protobuf message's $typeName) {"$o": [[key, value], …]}. Anything else that is not plain data (a
// Map, a function, a class other than Tensor) is refused with where it is, not silently dropped.
import { readNpy, writeNpy } from '../io/npy';
import { Tensor } from '../tensor';

const MAGIC = 'CSREC001';
const HEADER = MAGIC.length + 32;
/** The deepest a value nests (a model's protobuf is about 8 levels; the JSON parser's stack is the limit). */
const MAX_DEPTH = 64;

const ARRAYS = { Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array } as const;
type ArrayName = keyof typeof ARRAYS;

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Values (a node's outputs by port, or its inputs) as one record. Tensors must be on the host
 * (materialized) first. `what` names the values in errors ("node 'svd' output 'result'"). */
export async function encodeRecord(value: unknown, what = 'the value'): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const skeleton = toSkeleton(value, what, chunks, 0);
  const json = new TextEncoder().encode(JSON.stringify(skeleton));
  const align = (n: number) => Math.ceil(n / 8) * 8;
  let size = align(4 + json.length);
  const offsets = chunks.map((c) => {
    const at = size;
    size = align(size + c.length);
    return at;
  });
  const payload = new Uint8Array(size + 8 * chunks.length + 4);
  const view = new DataView(payload.buffer);
  view.setUint32(0, json.length, true);
  payload.set(json, 4);
  chunks.forEach((c, i) => payload.set(c, offsets[i]!));
  // The chunk table at the end: each chunk's offset and length (u32 each), then their count.
  let at = size;
  chunks.forEach((c, i) => {
    view.setUint32(at, offsets[i]!, true);
    view.setUint32(at + 4, c.length, true);
    at += 8;
  });
  view.setUint32(at, chunks.length, true);
  const out = new Uint8Array(HEADER + payload.length);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  out.set(await sha256(payload), MAGIC.length);
  out.set(payload, HEADER);
  return out;
}

/** The SHA-256 a record carries (of its payload), as hex: the record's own content address. */
export function recordDigest(bytes: Uint8Array): string {
  return [...bytes.subarray(MAGIC.length, HEADER)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The values of a record; throws RecordError for anything that is not a whole, unchanged record. */
export async function decodeRecord(bytes: Uint8Array, what = 'the record'): Promise<unknown> {
  if (bytes.length < HEADER + 8 || String.fromCharCode(...bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new RecordError(`${what} is not a Corespace record (${bytes.length} bytes)`);
  const payload = bytes.subarray(HEADER);
  const want = bytes.subarray(MAGIC.length, HEADER);
  const got = await sha256(payload);
  if (!got.every((b, i) => b === want[i])) throw new RecordError(`${what} does not match its SHA-256 (cut short or changed in the store)`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const jsonLength = view.getUint32(0, true);
  const count = view.getUint32(payload.length - 4, true);
  const table = payload.length - 4 - 8 * count;
  if (4 + jsonLength > payload.length || table < 4 + jsonLength) throw new RecordError(`${what} has a broken layout`);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(table + 8 * i, true);
    const length = view.getUint32(table + 8 * i + 4, true);
    if (offset < 4 + jsonLength || offset + length > table) throw new RecordError(`${what}: chunk ${i} lies outside the record`);
    chunks.push(payload.subarray(offset, offset + length));
  }
  const skeleton: unknown = JSON.parse(new TextDecoder().decode(payload.subarray(4, 4 + jsonLength)));
  return fromSkeleton(skeleton, what, chunks, 0);
}

function toSkeleton(v: unknown, path: string, chunks: Uint8Array[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RecordError(`${path} nests deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : { $f: String(v) };
  if (typeof v === 'bigint') return { $n: v.toString() };
  if (v === undefined) return { $u: 1 };
  if (v instanceof Tensor) {
    if (!v.materialized) throw new RecordError(`${path} is a tensor still on a device: read it back before it is stored`);
    return { $t: chunks.push(writeNpy(v)) - 1 };
  }
  if (ArrayBuffer.isView(v)) {
    const bytes = new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    const made = v.constructor as unknown;
    const of = (made as { name: string }).name as ArrayName;
    if (!Object.hasOwn(ARRAYS, of) || made !== ARRAYS[of]) throw new RecordError(`${path} is a ${of}, which cannot be stored`);
    return { $a: chunks.push(bytes) - 1, of };
  }
  if (Array.isArray(v)) return v.map((x, i) => toSkeleton(x, `${path}[${i}]`, chunks, depth + 1));
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new RecordError(`${path} is a ${(v as object).constructor?.name ?? 'class instance'}, which cannot be stored (only plain data, tensors and typed arrays can)`);
    const entries = Object.entries(v).map(([k, x]) => [k, toSkeleton(x, `${path}.${k}`, chunks, depth + 1)] as const);
    return entries.some(([k]) => k.startsWith('$')) ? { $o: entries } : Object.fromEntries(entries);
  }
  throw new RecordError(`${path} is a ${typeof v}, which cannot be stored (only plain data, tensors and typed arrays can)`);
}

function fromSkeleton(s: unknown, what: string, chunks: Uint8Array[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RecordError(`${what} nests deeper than ${MAX_DEPTH} levels`);
  if (s === null || typeof s !== 'object') return s;
  if (Array.isArray(s)) return s.map((x) => fromSkeleton(x, what, chunks, depth + 1));
  const o = s as Record<string, unknown>;
  const chunk = (i: unknown) => {
    if (typeof i !== 'number' || !chunks[i]) throw new RecordError(`${what} refers to a chunk ${String(i)} it does not have`);
    return chunks[i]!;
  };
  if ('$t' in o) return readNpy(chunk(o.$t), what);
  if ('$a' in o) {
    const of = o.of as ArrayName;
    if (typeof of !== 'string' || !Object.hasOwn(ARRAYS, of)) throw new RecordError(`${what} holds an array of unknown type ${String(of)}`);
    const bytes = chunk(o.$a);
    const Ctor = ARRAYS[of];
    if (bytes.length % Ctor.BYTES_PER_ELEMENT) throw new RecordError(`${what}: a ${of} of ${bytes.length} bytes`);
    return new Ctor(bytes.slice().buffer);
  }
  if ('$n' in o) return BigInt(String(o.$n));
  if ('$f' in o) return Number(o.$f);
  if ('$u' in o) return undefined;
  const entries = '$o' in o ? (o.$o as [string, unknown][]) : Object.entries(o);
  if (!Array.isArray(entries)) throw new RecordError(`${what} has a broken object`);
  const out: Record<string, unknown> = {};
  // defineProperty: a key named "__proto__" stays a plain own key, never the prototype.
  for (const [k, x] of entries) Object.defineProperty(out, String(k), { value: fromSkeleton(x, what, chunks, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}
