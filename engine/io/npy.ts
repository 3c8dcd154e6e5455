// .npy read/write (NumPy's format, versions 1.0–3.0: numpy/lib/format.py). Pure bytes in and out,
// so it runs in a browser worker and in Node alike. Every tensor is float32 in memory; wider or
// integer dtypes are converted on read.
import { Tensor, formatCount, sizeOf, sizeProblem } from '../tensor';
import { floatToHalf, halfToFloat } from './half';

export class NpyError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'NpyError';
  }
}

const MAX_HEADER_BYTES = 65536;

/** A header (or a part of one) in a message: quoted, and cut to about 200 characters. */
function quoted(text: string): string {
  const LIMIT = 200;
  return text.length <= LIMIT ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, LIMIT))}… (${formatCount(text.length)} characters in all)`;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const SAVE_HINT = 'save it with numpy.save(path, x.astype(numpy.float32))';

type Reader = (view: DataView, offset: number, little: boolean) => number;
const DTYPES: Record<string, { size: number; read: Reader }> = {
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  f2: { size: 2, read: (v, o, le) => halfToFloat(v.getUint16(o, le)) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  b1: { size: 1, read: (v, o) => (v.getUint8(o) ? 1 : 0) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  // int64 values beyond 2^53 lose precision, as they would in float32 anyway.
  i8: { size: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { size: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

export function readNpy(bytes: Uint8Array, file: string): Tensor {
  const fail = (problem: string): never => {
    throw new NpyError(file, problem);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail(`not a .npy file (it does not start with "\\x93NUMPY"); ${SAVE_HINT}`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3) fail(`unsupported .npy format version ${major}.${minor} (this reader knows 1.0, 2.0 and 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) fail('file is truncated inside its header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  // NumPy itself refuses headers above 10 000 bytes (numpy.lib.format, max_header_size); a plain
  // array's header is under 1 KB, so a longer one is damaged and is not decoded or echoed.
  if (headerLen > MAX_HEADER_BYTES) fail(`the header is ${formatCount(headerLen)} bytes long, above the ${formatCount(MAX_HEADER_BYTES)} a .npy header may have (NumPy's own limit is 10 000); the file is damaged or not a plain array; ${SAVE_HINT}`);
  const dataStart = prefix + headerLen;
  if (bytes.length < dataStart) fail(`file is truncated: the header says it is ${headerLen} bytes long, but the file ends at byte ${bytes.length}`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(prefix, dataStart));
  const { descr, fortran, shape } = parseHeader(header, fail);

  const m = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const code = m ? `${m[2]}${m[3]}` : '';
  const dtype = DTYPES[code];
  if (!m || !dtype) {
    fail(`dtype ${descr.length > 40 ? quoted(descr) : `'${descr}'`} is not supported (supported: float32, float64, float16, and 8- to 64-bit integers and bool); ${SAVE_HINT}`);
  }
  const little = m![1] !== '>';
  const count = sizeOf(shape);
  const need = count * dtype!.size;
  const have = bytes.length - dataStart;
  if (have < need) fail(`file is truncated: shape (${shape.join(', ')}) of '${descr}' needs ${need} data bytes, the file has ${have}`);
  if (have > need) fail(`shape/size mismatch: shape (${shape.join(', ')}) of '${descr}' needs ${need} data bytes, but the file has ${have} (${have - need} extra)`);
  const tooBig = sizeProblem(shape);
  if (tooBig) fail(`the array is ${tooBig}; save a slice or a downsampled copy`);

  const data = new Float32Array(count);
  const read = dtype!.read;
  const size = dtype!.size;
  if (code === 'f4' && little && (bytes.byteOffset + dataStart) % 4 === 0) {
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count));
  } else {
    for (let i = 0; i < count; i++) data[i] = read(view, dataStart + i * size, little);
  }
  if (!fortran || shape.length < 2) return new Tensor(shape, data);
  // Fortran order stores the first index fastest: read it as the reversed shape in C order,
  // then reverse the axes.
  return reverseAxes(new Tensor([...shape].reverse(), data));
}

function reverseAxes(t: Tensor): Tensor {
  const shape = [...t.shape].reverse();
  const n = shape.length;
  const out = new Float32Array(t.size);
  const inStrides = t.strides; // strides of the reversed-shape tensor
  const idx = new Array<number>(n).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < n; a++) src += idx[a]! * inStrides[n - 1 - a]!;
    out[o] = t.data[src]!;
    for (let a = n - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return new Tensor(shape, out);
}

/** Parses the header's Python dict literal without eval: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } */
function parseHeader(text: string, fail: (p: string) => never): { descr: string; fortran: boolean; shape: number[] } {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) fail(`header is not a dictionary: ${quoted(body)}`);
  const str = (key: string) => new RegExp(`['"]${key}['"]\\s*:\\s*(?:'([^']*)'|"([^"]*)")`).exec(body);
  const descrM = str('descr');
  if (!descrM) {
    if (/['"]descr['"]\s*:\s*[[{]/.test(body)) fail(`structured dtypes (records) are not supported; ${SAVE_HINT}`);
    fail(`header has no 'descr' entry: ${quoted(body)}`);
  }
  const fortranM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(body);
  if (!fortranM) fail(`header has no 'fortran_order' entry (True/False): ${quoted(body)}`);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body);
  if (!shapeM) fail(`header has no 'shape' tuple: ${quoted(body)}`);
  const parts = shapeM![1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => s.replace(/L$/, ''));
  if (parts.length > 64) fail(`shape has ${parts.length} axes; NumPy arrays have at most 64`);
  const shape = parts.map((s) => Number(s));
  if (parts.some((s) => !/^\d+$/.test(s))) fail(`shape ${quoted(`(${shapeM![1]})`)} must hold non-negative integers`);
  return { descr: descrM![1] ?? descrM![2]!, fortran: fortranM![1] === 'True', shape };
}

/** IEEE half → number (float16 .npy files). */
/** Writes format 1.0 (2.0 if the header needs it), C order, data aligned to 64 bytes like numpy. */
export function writeNpy(t: Tensor, dtype: '<f2' | '<f4' | '<f8' = '<f4'): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const v2 = dict.length + 11 > 65535;
  const prefix = v2 ? 12 : 10;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(total - prefix - dict.length - 1)}\n`;
  const itemSize = dtype === '<f8' ? 8 : dtype === '<f2' ? 2 : 4;
  const out = new Uint8Array(total + t.size * itemSize);
  out.set(MAGIC);
  out[6] = v2 ? 2 : 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v2) view.setUint32(8, header.length, true);
  else view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  if (dtype === '<f4') new Float32Array(out.buffer, total, t.size).set(t.data);
  else if (dtype === '<f2') for (let i = 0; i < t.size; i++) view.setUint16(total + i * 2, floatToHalf(t.data[i]!), true);
  else for (let i = 0; i < t.size; i++) view.setFloat64(total + i * 8, t.data[i]!, true);
  return out;
}
