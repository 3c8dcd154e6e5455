// ONNX models read and written with the compiled onnx.proto3 schema (onnx-buf on @bufbuild/protobuf):
// a decode → encode round trip without edits gives the same bytes (unknown fields kept). Weights are
// found where exporters put them: graph initializers, and the `value` tensors of Constant nodes
// (PaddleOCR's and Silero's models keep theirs there). Tensor data is read from raw_data at any byte
// offset (copied, never viewed unaligned) or from the typed fields; external data (models over 2 GB)
// through a resolver that reads the named file's byte range.
import { clone, create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, StringStringEntryProtoSchema, TensorProto_DataLocation, TensorProto_DataType, type ModelProto, type NodeProto, type TensorProto } from 'onnx-buf';
import { Tensor, formatCount, formatShape, sizeOf, sizeProblem } from '../tensor';
import { bf16ToFloat, floatToHalf, halfToFloat } from './half';

export type { ModelProto, NodeProto, TensorProto };

export class OnnxError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'OnnxError';
  }
}

/** Reads the byte range of an external data file (relative to the model's folder). */
export type ExternalReader = (location: string, offset: number, length: number | undefined) => Promise<Uint8Array>;

export function readOnnx(bytes: Uint8Array, file: string): ModelProto {
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new OnnxError(file, `not an ONNX model, or a truncated one (${(e as Error).message}); export it again, or check the file is the whole .onnx`);
  }
  if (!model.graph || (model.graph.node.length === 0 && model.graph.initializer.length === 0)) {
    throw new OnnxError(file, `holds no graph (${bytes.length} bytes decoded to an empty model): not an ONNX model`);
  }
  if (!model.opsetImport.length) throw new OnnxError(file, 'names no opset (opset_import is empty): not a valid ONNX model');
  return model;
}

/** A deep copy to edit (a node's input model is shared, cached, and never changed). */
export const cloneModel = (model: ModelProto): ModelProto => clone(ModelProtoSchema, model);

export function writeOnnx(model: ModelProto): Uint8Array {
  return toBinary(ModelProtoSchema, model);
}

/** Every weight of the graph by name: its initializers, and each Constant node's output. */
export function weightsOf(model: ModelProto): Map<string, TensorProto> {
  const out = new Map<string, TensorProto>();
  const g = model.graph!;
  for (const t of g.initializer) out.set(t.name, t);
  for (const n of g.node) {
    if (n.opType !== 'Constant' || n.domain) continue;
    const value = n.attribute.find((a) => a.name === 'value')?.t;
    if (value && n.output[0]) out.set(n.output[0], value);
  }
  return out;
}

const SIZE: Record<number, number | undefined> = {
  [TensorProto_DataType.FLOAT]: 4,
  [TensorProto_DataType.DOUBLE]: 8,
  [TensorProto_DataType.FLOAT16]: 2,
  [TensorProto_DataType.BFLOAT16]: 2,
  [TensorProto_DataType.INT64]: 8,
  [TensorProto_DataType.UINT64]: 8,
  [TensorProto_DataType.INT32]: 4,
  [TensorProto_DataType.UINT32]: 4,
  [TensorProto_DataType.INT16]: 2,
  [TensorProto_DataType.UINT16]: 2,
  [TensorProto_DataType.INT8]: 1,
  [TensorProto_DataType.UINT8]: 1,
  [TensorProto_DataType.BOOL]: 1,
};

const typeName = (t: number) => (TensorProto_DataType as unknown as Record<number, string>)[t] ?? String(t);
const dimsOf = (t: TensorProto) => t.dims.map(Number);

/** The tensor's bytes when they are stored raw (in the model or externally), else null. */
async function rawBytes(t: TensorProto, external?: ExternalReader): Promise<Uint8Array | null> {
  if (t.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    const entry = (k: string) => t.externalData.find((e) => e.key === k)?.value;
    const location = entry('location');
    if (!location) throw new Error(`weight '${t.name}' is stored externally but names no location`);
    if (!external) throw new Error(`weight '${t.name}' is stored in the external file '${location}', which cannot be read here; keep it beside the model (and allow its folder)`);
    const offset = Number(entry('offset') ?? 0);
    const length = entry('length') === undefined ? undefined : Number(entry('length'));
    return external(location, offset, length);
  }
  return t.rawData.length ? t.rawData : null;
}

/** A weight as a float32 tensor (FLOAT, DOUBLE, FLOAT16, BFLOAT16 and the integer types). */
export async function weightTensor(t: TensorProto, external?: ExternalReader): Promise<Tensor> {
  const shape = dimsOf(t);
  const size = SIZE[t.dataType];
  if (!size) throw new Error(`weight '${t.name}' is ${typeName(t.dataType)}, which Corespace does not read (it reads FLOAT, DOUBLE, FLOAT16, BFLOAT16 and integers)`);
  const problem = sizeProblem(shape);
  if (problem) throw new Error(`weight '${t.name}' is ${problem}`);
  const n = sizeOf(shape);
  const out = new Tensor(shape);
  const raw = await rawBytes(t, external);
  if (raw) {
    if (raw.length !== n * size) throw new Error(`weight '${t.name}' is ${typeName(t.dataType)} ${formatShape(shape)}, ${formatCount(n * size)} bytes, but holds ${formatCount(raw.length)}`);
    // A copy: raw_data may start at any byte offset, and typed views need aligned ones.
    const v = new DataView(raw.slice().buffer);
    const read: (o: number) => number =
      t.dataType === TensorProto_DataType.FLOAT ? (o) => v.getFloat32(o, true)
      : t.dataType === TensorProto_DataType.DOUBLE ? (o) => v.getFloat64(o, true)
      : t.dataType === TensorProto_DataType.FLOAT16 ? (o) => halfToFloat(v.getUint16(o, true))
      : t.dataType === TensorProto_DataType.BFLOAT16 ? (o) => bf16ToFloat(v.getUint16(o, true))
      : t.dataType === TensorProto_DataType.INT64 ? (o) => Number(v.getBigInt64(o, true))
      : t.dataType === TensorProto_DataType.UINT64 ? (o) => Number(v.getBigUint64(o, true))
      : t.dataType === TensorProto_DataType.INT32 ? (o) => v.getInt32(o, true)
      : t.dataType === TensorProto_DataType.UINT32 ? (o) => v.getUint32(o, true)
      : t.dataType === TensorProto_DataType.INT16 ? (o) => v.getInt16(o, true)
      : t.dataType === TensorProto_DataType.UINT16 ? (o) => v.getUint16(o, true)
      : t.dataType === TensorProto_DataType.INT8 ? (o) => v.getInt8(o)
      : (o) => v.getUint8(o);
    for (let i = 0; i < n; i++) out.data[i] = read(i * size);
    return out;
  }
  // The typed fields: float_data; int32_data also holds the 8- and 16-bit types (FLOAT16 and BFLOAT16 as bits).
  const typed: ArrayLike<number | bigint> =
    t.dataType === TensorProto_DataType.FLOAT ? t.floatData
    : t.dataType === TensorProto_DataType.DOUBLE ? t.doubleData
    : t.dataType === TensorProto_DataType.INT64 ? t.int64Data
    : t.dataType === TensorProto_DataType.UINT64 || t.dataType === TensorProto_DataType.UINT32 ? t.uint64Data
    : t.int32Data;
  if (typed.length !== n) throw new Error(`weight '${t.name}' is ${formatShape(shape)} (${n} values) but stores ${typed.length}`);
  for (let i = 0; i < n; i++) {
    const x = Number(typed[i]!);
    out.data[i] = t.dataType === TensorProto_DataType.FLOAT16 ? halfToFloat(x) : t.dataType === TensorProto_DataType.BFLOAT16 ? bf16ToFloat(x) : x;
  }
  return out;
}

/** Replaces a weight's values (keeping its name and type: FLOAT, DOUBLE or FLOAT16), stored raw. */
export function setWeight(t: TensorProto, values: Tensor): void {
  const size = SIZE[t.dataType];
  if (t.dataType !== TensorProto_DataType.FLOAT && t.dataType !== TensorProto_DataType.DOUBLE && t.dataType !== TensorProto_DataType.FLOAT16) {
    throw new Error(`weight '${t.name}' is ${typeName(t.dataType)}; Corespace writes FLOAT, DOUBLE and FLOAT16 weights`);
  }
  const bytes = new Uint8Array(values.size * size!);
  const v = new DataView(bytes.buffer);
  for (let i = 0; i < values.size; i++) {
    const x = values.data[i]!;
    if (t.dataType === TensorProto_DataType.FLOAT) v.setFloat32(4 * i, x, true);
    else if (t.dataType === TensorProto_DataType.DOUBLE) v.setFloat64(8 * i, x, true);
    else v.setUint16(2 * i, floatToHalf(x), true);
  }
  t.dims = values.shape.map(BigInt);
  t.rawData = bytes;
  t.floatData = [];
  t.doubleData = [];
  t.int32Data = [];
  t.dataLocation = TensorProto_DataLocation.DEFAULT;
  t.externalData = [];
}

/** Numbers stored in the model's weights. */
export function weightCount(model: ModelProto): number {
  let n = 0;
  for (const t of weightsOf(model).values()) n += sizeOf(dimsOf(t));
  return n;
}

/** Whether any weight of the model is stored in an external file. */
export const hasExternalData = (model: ModelProto): boolean => [...weightsOf(model).values()].some((t) => t.dataLocation === TensorProto_DataLocation.EXTERNAL);

/** Bytes of the model's weights as raw data (external ones included): what an inline file would hold. */
export function weightBytes(model: ModelProto): number {
  let n = 0;
  for (const t of weightsOf(model).values()) n += sizeOf(dimsOf(t)) * (SIZE[t.dataType] ?? 4);
  return n;
}

/**
 * A copy of the model with every externally stored weight resolved through `read`: written inline
 * (`into` null), or — with `into` a file name — every initializer of at least `threshold` bytes moved
 * into one data file of that name (ONNX external data: location, offset, length; each tensor's offset
 * aligned to 64 bytes), the model then naming that file only.
 */
export async function resolveExternalData(model: ModelProto, read: ExternalReader | undefined, into: string | null, threshold = 1024): Promise<{ model: ModelProto; data: Uint8Array | null }> {
  const copy = cloneModel(model);
  const parts: { t: TensorProto; bytes: Uint8Array }[] = [];
  const inline = (t: TensorProto, bytes: Uint8Array) => {
    t.rawData = new Uint8Array(bytes);
    t.dataLocation = TensorProto_DataLocation.DEFAULT;
    t.externalData = [];
  };
  for (const t of weightsOf(copy).values()) {
    const external = t.dataLocation === TensorProto_DataLocation.EXTERNAL;
    const isInitializer = copy.graph!.initializer.includes(t);
    if (into !== null && isInitializer) {
      const bytes = await rawBytes(t, read);
      if (bytes && bytes.length >= threshold) {
        parts.push({ t, bytes });
        continue;
      }
      if (external) inline(t, bytes ?? new Uint8Array());
      continue;
    }
    if (external) inline(t, (await rawBytes(t, read)) ?? new Uint8Array());
  }
  if (into === null || !parts.length) return { model: copy, data: null };
  const align = (n: number) => Math.ceil(n / 64) * 64;
  const total = parts.reduce((n, p) => align(n) + p.bytes.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const { t, bytes } of parts) {
    at = align(at);
    data.set(bytes, at);
    t.rawData = new Uint8Array();
    t.dataLocation = TensorProto_DataLocation.EXTERNAL;
    t.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: into }), create(StringStringEntryProtoSchema, { key: 'offset', value: String(at) }), create(StringStringEntryProtoSchema, { key: 'length', value: String(bytes.length) })];
    at += bytes.length;
  }
  return { model: copy, data };
}

/** Bytes of the weights stored in external files (their `length` entries, else their dims × dtype). */
export function externalBytes(model: ModelProto): number {
  let n = 0;
  for (const t of weightsOf(model).values()) {
    if (t.dataLocation !== TensorProto_DataLocation.EXTERNAL) continue;
    const length = t.externalData.find((e) => e.key === 'length')?.value;
    n += length !== undefined ? Number(length) : sizeOf(dimsOf(t)) * (SIZE[t.dataType] ?? 4);
  }
  return n;
}
