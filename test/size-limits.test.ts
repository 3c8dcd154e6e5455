// Sizes are checked before anything is allocated: a shape from a file header, an image header or
// a param that would take gigabytes (or kill V8 with "invalid size") is refused with the limit, the
// node, the param and the fix, at validation where the params alone decide it.
import { crc32 } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { OutputCache, Tensor, cpuBackend, decodeImage, loadGraph, parseGraphText, readNpy, runGraph, validateGraph, writeNpy, type FileResolver } from '../engine';
import { registry } from '../nodes';

type Edge = [string, string, string, string];

function graph(nodes: unknown[], edges: Edge[] = []) {
  return {
    format: 'corespace.graph',
    version: 1,
    name: 'limits',
    nodes,
    edges: edges.map(([a, b, c, d], i) => ({ id: `e${i}`, from: { node: a, port: b }, to: { node: c, port: d } })),
  };
}

/** The validation problems of a graph, one message per line ('' when it is valid). */
function problems(nodes: unknown[], edges: Edge[] = []): string {
  const r = loadGraph(graph(nodes, edges), registry);
  if (!r.ok) return r.problems.map((p) => p.message).join('\n');
  return validateGraph(r.doc, registry).problems.map((p) => p.message).join('\n');
}

async function run(nodes: unknown[], edges: Edge[], files: Record<string, Uint8Array> = {}) {
  const r = loadGraph(graph(nodes, edges), registry);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const resolver: FileResolver = { read: async (p) => files[p] ?? Promise.reject(new Error(`no file ${p}`)), fingerprint: async (p) => p };
  return runGraph(r.doc, { registry, backend: cpuBackend, files: resolver, output: { write: async (n) => n }, cache: new OutputCache() });
}

/** A .npy file with this header text and these data bytes (format 2.0: 4-byte header length). */
function npyWithHeader(header: string, data = new Uint8Array(0)): Uint8Array {
  const text = new TextEncoder().encode(`${header}\n`);
  const out = new Uint8Array(12 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
  new DataView(out.buffer).setUint32(8, text.length, true);
  out.set(text, 12);
  out.set(data, 12 + text.length);
  return out;
}

describe('the engine refuses tensors above 2²⁸ entries before allocating', () => {
  it('the Tensor constructor names the shape and the limit (an axis of 1e11 too, even beside a 0)', () => {
    expect(() => new Tensor([100000, 100000, 100000])).toThrow(/cannot make a tensor of \[100000×100000×100000\], which has 1\.00e15 entries, above the limit of 268 435 456 \(2²⁸, 1 GiB of float32\)/);
    expect(() => new Tensor([0, 1e11, 1e11])).toThrow(/axis 1 has 100 000 000 000 entries, above the limit/);
    expect(new Tensor([2 ** 14, 2 ** 14]).size).toBe(2 ** 28); // at the limit: allowed
  });
});

describe('.npy headers', () => {
  it('shape (0, 1e11, 1e11) is refused at source.npy, not passed on to kill V8 in tensor.slice', async () => {
    const bytes = npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 100000000000, 100000000000), }");
    const r = await run(
      [{ id: 's', type: 'source.npy', params: { path: 'empty.npy' } }, { id: 'cut', type: 'tensor.slice', params: { ranges: [null, { start: 0, stop: 2 }] } }],
      [['s', 'tensor', 'cut', 'tensor']],
      { 'empty.npy': bytes },
    );
    expect(r.status).toBe('failed');
    expect(r.nodes.s!.error).toMatch(/node 's' \(source\.npy\): empty\.npy: the array is \[0×100000000000×100000000000\], whose axis 1 has 100 000 000 000 entries, above the limit of 268 435 456 .*; save a slice or a downsampled copy$/);
  });

  it('shape (100000, 100000, 100000) with a few bytes of data is refused before allocating', () => {
    const bytes = npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", new Uint8Array(64));
    expect(() => readNpy(bytes, 'huge.npy')).toThrow(/huge\.npy: file is truncated: shape \(100000, 100000, 100000\) of '<f4' needs 4000000000000000 data bytes, the file has 64/);
  });

  it('a malformed header is quoted to about 200 characters, not echoed whole', () => {
    const junk = `{'descr': '<f4', 'fortran_order': False, ${"'pad': 'x', ".repeat(4000)}}`;
    let message = '';
    try {
      readNpy(npyWithHeader(junk), 'junk.npy');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^junk\.npy: header has no 'shape' tuple: ".{200}"… \(48 0\d\d characters in all\)$/);
    expect(message.length).toBeLessThan(320);
  });

  it('a header above 64 KiB is refused by its length, without decoding it', () => {
    const message = (() => {
      try {
        readNpy(npyWithHeader(`{'descr': '<f4', ${' '.repeat(1_400_000)}}`), 'long.npy');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    expect(message).toMatch(/^long\.npy: the header is 1 400 0\d\d bytes long, above the 65 536 a \.npy header may have/);
    expect(message.length).toBeLessThan(400);
  });
});

describe('image headers', () => {
  /** A valid 4×4 PNG whose IHDR then claims width × height (with its CRC recomputed). */
  function pngClaiming(width: number, height: number): Uint8Array {
    const bytes = encodePng({ width: 4, height: 4, data: new Uint8Array(64).fill(200), channels: 4, depth: 8 }).slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint32(16, width);
    view.setUint32(20, height);
    view.setUint32(29, crc32(bytes.subarray(12, 29))); // CRC of "IHDR" + its 13 data bytes
    return bytes;
  }

  it('a PNG whose IHDR says 20000 × 20000 is refused from the header (the 2²⁸-entry limit)', () => {
    expect(() => decodeImage(pngClaiming(20000, 20000), 'big.png', 'gray')).toThrow(
      /^big\.png: the image is 20000×20000 pixels, which as gray makes 400 000 000 entries, above the limit of 268 435 456 .*; downsample it first \(at most about 16384×16384 pixels\)$/,
    );
    expect(() => decodeImage(pngClaiming(10000, 10000), 'rgb.png', 'rgb')).toThrow(/10000×10000 pixels, which as rgb makes 300 000 000 entries.*at most about 9459×9459 in rgb/);
  });

  it('the patched header is otherwise valid: the same file at its true size decodes', () => {
    expect(decodeImage(pngClaiming(4, 4), 'small.png', 'gray').shape).toEqual([4, 4]);
  });

  it('a JPEG whose frame header says 20000 × 20000 is refused the same way', () => {
    const bytes = jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256).fill(128) }, 90).data.slice();
    let sof = 2;
    while (!(bytes[sof] === 0xff && bytes[sof + 1] === 0xc0)) sof += 2 + ((bytes[sof + 2]! << 8) | bytes[sof + 3]!);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setUint16(sof + 5, 20000); // height
    view.setUint16(sof + 7, 20000); // width
    expect(() => decodeImage(bytes, 'big.jpg', 'rgb')).toThrow(/^big\.jpg: the image is 20000×20000 pixels, which as rgb makes 1\.2 ?0{2} ?0{3} ?0{3} entries|1 200 000 000 entries/);
  });
});

describe('params that would build too much are refused at validation', () => {
  const synthetic = (params: object) => problems([{ id: 's', type: 'source.synthetic', params }]);

  it('source.synthetic tt with bond ranks [4096]*15 on [2]*16 (above what the unfoldings can have)', () => {
    expect(synthetic({ kind: 'tt', shape: Array(16).fill(2), ranks: Array(15).fill(4096) })).toMatch(
      /param 'ranks'.*TT bond rank 4096 \(bond 1\) is above 2, the largest rank the unfolding of modes 0–0 against 1–15 of \[2×2×.*\] can have; use at most 2/,
    );
  });

  it('source.synthetic whose build would take too long or too much memory, per kind', () => {
    expect(synthetic({ kind: 'tt', shape: Array(6).fill(16), ranks: [16, 256, 4096, 256, 16] })).toMatch(/building this TT tensor takes about 77 578 895 616 multiply-adds, above the limit of 34 359 738 368 \(2³⁵, about half a minute\); use smaller ranks or modes/);
    expect(synthetic({ kind: 'cp', shape: [64, 64, 64, 64], ranks: [4096] })).toMatch(/building this CP tensor needs the Khatri–Rao product of modes 0–2 with 1 073 741 824 entries, above the limit/);
    expect(synthetic({ kind: 'tucker', shape: [1 << 20, 2], ranks: [4096, 2] })).toMatch(/building this Tucker tensor takes about 35 192 966 217 744 multiply-adds/);
    // What fits still validates.
    expect(synthetic({ kind: 'tt', shape: Array(16).fill(2), ranks: [2, 4, 8, 16, 16, 16, 16, 16, 16, 16, 16, 16, 8, 4, 2] })).toBe('');
    expect(synthetic({ kind: 'cp', shape: [64, 64, 64], ranks: [64] })).toBe('');
  });

  it('transform.chebyshev n = [600]*3 and [4096]*3 are refused naming n, with how many points fit', () => {
    const cheb = (n: unknown) => problems([{ id: 'c', type: 'transform.chebyshev', params: { n, domain: [[0, 1]] } }]);
    expect(cheb([600, 600, 600])).toMatch(/transform\.chebyshev|param 'n'/);
    expect(cheb([600, 600, 600])).toMatch(/\[600×600×600\] is 216 000 000 Chebyshev points, above the limit of 67 108 864 \(2²⁶.*\); use fewer points per dimension \(at most \d+ in each of 3 dimensions\)/);
    expect(cheb([4096, 4096, 4096])).toMatch(/68 719 476 736 Chebyshev points/);
    expect(cheb([64, 64, 64])).not.toMatch(/Chebyshev points/);
  });
});

describe('sizes known only at run time are refused at the node, naming the param', () => {
  it('n = 600 for a 3-D function (a single number: checked once the dimension is known)', async () => {
    const r = await run(
      [{ id: 'f', type: 'source.function', params: { expr: 'x*y*z', shape: [4, 4, 4] } }, { id: 'c', type: 'transform.chebyshev', params: { n: 600 } }],
      [['f', 'function', 'c', 'function']],
    );
    expect(r.nodes.c!.error).toMatch(/node 'c' \(transform\.chebyshev\): param 'n': \[600×600×600\] is 216 000 000 Chebyshev points/);
  });

  it('a 16-D Chebyshev-Tucker at the default n = 16 says how many points per dimension fit', async () => {
    const r = await run(
      [{ id: 'f', type: 'source.function', params: { expr: 'x0 + x15', shape: Array(16).fill(2) } }, { id: 'ct', type: 'decompose.chebyshev-tucker', params: { ranks: Array(16).fill(1) } }],
      [['f', 'function', 'ct', 'function']],
    );
    expect(r.nodes.ct!.error).toMatch(/node 'ct' \(decompose\.chebyshev-tucker\): param 'n': \[16×16×.*\] is 1\.84e19 Chebyshev points.*\(at most 3 in each of 16 dimensions\)$/);
  });

  it('tensor.pad widths [[0, 100000]] on a 3-D tensor names widths (not "Invalid typed array length")', async () => {
    // The shape is known from the source's params: refused at validation.
    const nodes = [{ id: 'f', type: 'source.function', params: { expr: 'x', shape: [10, 10, 10] } }, { id: 'p', type: 'tensor.pad', params: { widths: [[0, 100000]] } }];
    expect(problems(nodes, [['f', 'tensor', 'p', 'tensor']])).toMatch(/^tensor\.pad param 'widths': the padded tensor would be \[100010×100010×100010\], which has 1\.00e15 entries, above the limit of .*; pad less$/);
    // From a file, known only when read: refused at the node.
    const r = await run(
      [{ id: 's', type: 'source.npy', params: { path: 'a.npy' } }, nodes[1]],
      [['s', 'tensor', 'p', 'tensor']],
      { 'a.npy': writeNpy(new Tensor([10, 10, 10])) },
    );
    expect(r.nodes.p!.error).toMatch(/node 'p' \(tensor\.pad\): param 'widths': the padded tensor would be \[100010×100010×100010\]/);
  });

  it('a CP rank whose factor matrices would pass the limit names rank', () => {
    expect(problems([{ id: 'f', type: 'source.function', params: { expr: 'x', shape: [70000, 2] } }, { id: 'cp', type: 'decompose.cp', params: { rank: 4096 } }], [['f', 'tensor', 'cp', 'tensor']])).toMatch(
      /^decompose\.cp param 'rank': 4096 components of \[70000×2\] need factor matrices of 286 728 192 entries/,
    );
  });

  it('a 0-D tensor into decompose.tt says what is wrong (not "Invalid array length")', async () => {
    const r = await run(
      [{ id: 's', type: 'source.npy', params: { path: 'one.npy' } }, { id: 'tt', type: 'decompose.tt', params: { maxRank: 2 } }],
      [['s', 'tensor', 'tt', 'tensor']],
      { 'one.npy': writeNpy(Tensor.from([], [3])) },
    );
    expect(r.nodes.tt!.error).toMatch(/node 'tt' \(decompose\.tt\): input 'tensor' is 0-D \(a single number\); a tensor train needs at least one mode/);
  });
});

describe('numbers past float64 in a graph file', () => {
  it('1e400 and 1e999 are reported as such, not as "received Infinity; got null"', () => {
    const text = JSON.stringify(graph([{ id: 's', type: 'source.synthetic', params: { shape: [4, 4], ranks: [2, 2] } }])).replace('"ranks":[2,2]', '"ranks":[2,1e999],"noise":1e400');
    const r = parseGraphText(text, registry);
    const messages = (r.ok ? validateGraph(r.doc, registry).problems : r.problems).map((p) => p.message).join('\n');
    expect(messages).not.toMatch(/got null/);
    expect(messages).toMatch(/param 'noise': .*; got Infinity; a number beyond ±1\.8e308 \(such as 1e400\) is read as Infinity: give a finite number/);
    expect(messages).toMatch(/param 'ranks\.1': .*; got \[2,Infinity\]; a number beyond/);
  });
});
