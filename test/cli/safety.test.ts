// What a graph someone shares can and cannot do to the machine that runs it: node ids that are not
// plain file names, writes outside the output folder, reads outside the graph's folder, special files,
// terminal escapes in ids, "__proto__" as an id or a param, and the output folder itself.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEED, NEED_WITHOUT_GUARDS, addressSpaceLimit, addressSpaceProblem } from '../../cli/address-space.mjs';
import { BIN, start } from '../child';
import { cli } from './harness';
import { tempDir } from '../temp';
import { folderSink, fsResolver } from '../../cli/node-io';
import { bytesToBase64, loadGraph, printable, unsafeIdReason, validateGraph, writeNpy, Tensor } from '../../engine';
import { registry } from '../../nodes';

const tmp = () => tempDir('safe');
const edge = (i: number, a: string, ap: string, b: string, bp: string) => ({ id: `e${i}`, from: { node: a, port: ap }, to: { node: b, port: bp } });

function writeGraph(dir: string, nodes: unknown[], edges: unknown[] = [], extra: Record<string, unknown> = {}, file = 'g.json'): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ format: 'corespace.graph', version: 1, name: 'g', nodes, edges, ...extra }));
  return path;
}

const heatmapGraph = (viewId: string) => [
  [
    { id: 'f', type: 'source.function', params: { expr: 'x + y', shape: [4, 4] } },
    { id: viewId, type: 'view.heatmap' },
  ],
  [edge(0, 'f', 'tensor', viewId, 'tensor')],
] as const;

describe('node ids are plain file names', () => {
  it.each([
    ['../../../../victim', /holds '\/' \(a folder separator\)/],
    ['..', /starts with '\.'/],
    ['.', /starts with '\.'/],
    ['a\\b', /holds '\\' \(a folder separator\)/],
    ['bell\u0007', /the control character U\+0007/],
    ['esc\u001b[31mred', /the control character U\+001B/],
    ['nul\u0000', /the control character U\+0000/],
    ['abc\u202etxt.exe', /the control character U\+202E/],
    ['__proto__', /reserved/],
    ['constructor', /reserved/],
    ['CON', /device name on Windows/],
    ['x'.repeat(101), /101 characters long/],
  ])('%j is refused: %s', (id, why) => {
    expect(unsafeIdReason(id)).toMatch(why);
  });

  it.each(['tucker', 'tucker2', 'e_1', 'view.heat-map', 'Größe', '核心', '_x'])('%j is accepted', (id) => {
    expect(unsafeIdReason(id)).toBeNull();
  });

  it('validate refuses a view whose id climbs out of views/, and run writes nothing anywhere', async () => {
    const dir = tmp();
    const victimDir = join(dir, 'elsewhere');
    mkdirSync(victimDir);
    writeFileSync(join(victimDir, 'victim.png'), 'precious');
    const work = join(dir, 'a', 'b');
    mkdirSync(work, { recursive: true });
    const [nodes, edges] = heatmapGraph('../../../elsewhere/victim');
    const g = writeGraph(work, [...nodes], [...edges]);
    const v = await cli('validate', g);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/\$\.nodes\[1\]\.id \(node '\.\.\/\.\.\/\.\.\/elsewhere\/victim'\): node id .* cannot be used: it holds '\/' \(a folder separator\).*rename the node/);
    const r = await cli('run', g, '--out', join(work, 'out'));
    expect(r.code).toBe(2);
    expect(readFileSync(join(victimDir, 'victim.png'), 'utf8')).toBe('precious');
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('ids with ESC, NUL and U+202E are escaped when printed, never written raw to the terminal', async () => {
    const dir = tmp();
    const [nodes, edges] = heatmapGraph('h\u001b[2J\u0000\u202e');
    const r = await cli('validate', writeGraph(dir, [...nodes], [...edges]));
    expect(r.code).toBe(2);
    expect(r.err).toContain("(node 'h\\u{1b}[2J\\u{0}\\u{202e}')");
    expect(r.err).not.toMatch(/[\u0000\u001b\u202e]/);
    const j = await cli('run', writeGraph(dir, [...nodes], [...edges]), '--json', '--out', join(dir, 'o'));
    expect(j.out).not.toMatch(/[\u0000\u001b\u202e]/);
    expect(JSON.parse(j.out.trim()).problems[0].nodeId).toBe('h\u001b[2J\u0000\u202e');
  });

  it('printable escapes controls and invisible format characters, keeping newlines only when asked', () => {
    expect(printable('a\u001bb\u009bc\u200bd\ufeffe\nf')).toBe('a\\u{1b}b\\u{9b}c\\u{200b}d\\u{feff}e\\u{a}f');
    expect(printable('a\nb\tc\rd', true)).toBe('a\nb\tc\\u{d}d');
  });

  it('a node called __proto__ is refused (it used to vanish from run.json while the run said success)', async () => {
    const dir = tmp();
    const g = writeGraph(dir, [{ id: '__proto__', type: 'source.npy', params: { path: 'missing.npy' } }]);
    const r = await cli('run', g, '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/node id '__proto__' cannot be used: '__proto__' is reserved/);
  });

  it('a "__proto__" key in params is refused by name instead of being dropped', () => {
    const raw = JSON.parse('{"format":"corespace.graph","version":1,"nodes":[{"id":"t","type":"decompose.tucker","params":{"__proto__":{"ranks":[2,2]}}}]}');
    const r = loadGraph(raw, registry);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatchObject({ code: 'reserved-key', path: '$.nodes[0].params.__proto__', nodeId: 't', message: expect.stringMatching(/param name "__proto__" is reserved/) });
  });
});

describe('writes stay inside the output folder', () => {
  it('the sink refuses names that leave the folder, links out of it, and a second write of one file', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    mkdirSync(out);
    mkdirSync(join(dir, 'outside'));
    symlinkSync(join(dir, 'outside'), join(out, 'link'));
    const sink = folderSink(out);
    const bytes = new Uint8Array([1, 2, 3]);
    await expect(sink.write('../escape.npy', bytes)).rejects.toThrow(/refused to write '\.\.\/escape\.npy': it is not a file inside the output folder/);
    await expect(sink.write('/tmp/abs.npy', bytes)).rejects.toThrow(/not a file inside the output folder/);
    await expect(sink.write('link/x.npy', bytes)).rejects.toThrow(/refused to write 'link\/x\.npy': .*link is a link/);
    expect(readdirSync(join(dir, 'outside'))).toEqual([]);
    expect(existsSync(join(dir, 'escape.npy'))).toBe(false);
    await sink.write('views/a.png', bytes);
    await expect(sink.write('views/A.png', bytes)).rejects.toThrow(/this run already wrote 'views\/a\.png'/);
    expect(sink.written).toEqual([join(out, 'views', 'a.png')]);
  });

  it('two exports named same and same.npy: the second fails, naming the clash, and the first file is intact', async () => {
    const dir = tmp();
    const g = writeGraph(
      dir,
      [
        { id: 'a', type: 'source.function', params: { expr: 'x', shape: [3] } },
        { id: 'b', type: 'source.function', params: { expr: '2*x + 1', shape: [5] } },
        { id: 's1', type: 'export.npy', params: { name: 'same' } },
        { id: 's2', type: 'export.npy', params: { name: 'same.npy' } },
      ],
      [edge(0, 'a', 'tensor', 's1', 'tensor'), edge(1, 'b', 'tensor', 's2', 'tensor')],
    );
    const r = await cli('run', g, '--out', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/node 's[12]' \(export\.npy\): refused to write 'same\.npy': this run already wrote a file of that name/);
    const run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(run.exports).toHaveLength(1);
  });

  it('a graph file named run.json is not overwritten by its own run', async () => {
    const dir = tmp();
    const g = writeGraph(dir, [{ id: 'a', type: 'source.function', params: { expr: 'x', shape: [3] } }], [], {}, 'run.json');
    const before = readFileSync(g, 'utf8');
    const r = await cli('run', g, '--out', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/which is the graph file itself; pick another output folder/);
    expect(readFileSync(g, 'utf8')).toBe(before);
  });

  it('--out is checked before anything runs: a file, a path through a file, /proc, /sys and "" are refused', async () => {
    const dir = tmp();
    const g = writeGraph(dir, [{ id: 'a', type: 'source.function', params: { expr: 'x', shape: [3] } }]);
    writeFileSync(join(dir, 'afile'), 'x');
    const cases: [string, RegExp][] = [
      [join(dir, 'afile'), /afile is a file, not a folder/],
      [join(dir, 'afile', 'sub'), /afile is a file, not a folder/],
      ['/dev/null/x', /\/dev\/null is a file, not a folder/],
      ['/proc/x', /cannot create the folder \/proc\/x/],
      ['/sys/x', /cannot create the folder \/sys\/x/],
      ['', /--out is empty/],
      ['  ', /--out is empty/],
    ];
    for (const [out, why] of cases) {
      const r = await cli('run', g, '--out', out);
      expect([out, r.code]).toEqual([out, 2]);
      expect(r.err).toMatch(why);
      expect(r.err).not.toMatch(/^\s+at /m); // no stack trace
    }
  });
});

describe('reads stay inside the graph\'s folder', () => {
  function npyGraph(dir: string, path: string): string {
    return writeGraph(dir, [{ id: 'src', type: 'source.npy', params: { path } }, { id: 'save', type: 'export.npy', params: { name: 'copy' } }], [edge(0, 'src', 'tensor', 'save', 'tensor')]);
  }

  it('an absolute path and a ../ path outside the folder are refused, naming the path and the flag; --allow-read allows the folder', async () => {
    const dir = tmp();
    const secret = join(dir, 'private');
    mkdirSync(secret);
    writeFileSync(join(secret, 'secret.npy'), writeNpy(Tensor.from([3], [1, 2, 3])));
    const shared = join(dir, 'shared-graph');
    mkdirSync(shared);
    for (const path of [join(secret, 'secret.npy'), '../private/secret.npy']) {
      const r = await cli('run', npyGraph(shared, path), '--out', join(shared, 'out'));
      expect(r.code).toBe(1);
      expect(r.err).toContain(`file '${path}' is outside the graph's folder`);
      expect(r.err).toContain(`--allow-read ${secret}`);
      expect(existsSync(join(shared, 'out', 'copy.npy'))).toBe(false);
    }
    const ok = await cli('run', npyGraph(shared, '../private/secret.npy'), '--out', join(shared, 'out2'), '--allow-read', secret);
    expect(ok.code).toBe(0);
    expect(existsSync(join(shared, 'out2', 'copy.npy'))).toBe(true);
  });

  it('a link inside the folder that points outside it is refused', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'g'));
    writeFileSync(join(dir, 'secret.npy'), writeNpy(Tensor.from([2], [1, 2])));
    symlinkSync(join(dir, 'secret.npy'), join(dir, 'g', 'innocent.npy'));
    await expect(fsResolver(join(dir, 'g')).read('innocent.npy')).rejects.toThrow(/file 'innocent\.npy' \(a link to .*secret\.npy\) is outside the graph's folder/);
  });

  it('devices and FIFOs are refused without reading or waiting; files above the limit are refused before reading', async () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'pipe.npy')], { timeout: 10_000 });
    const files = fsResolver(dir, { allow: ['/dev'], maxBytes: 1000 });
    await expect(files.read('/dev/zero')).rejects.toThrow(/file '\/dev\/zero' is not a regular file \(a device\)/);
    await expect(files.read('/dev/urandom')).rejects.toThrow(/not a regular file \(a device\)/);
    await expect(files.read('pipe.npy')).rejects.toThrow(/file 'pipe\.npy' is not a regular file \(a FIFO\)/);
    writeFileSync(join(dir, 'big.npy'), new Uint8Array(1001));
    await expect(files.read('big.npy')).rejects.toThrow(/file 'big\.npy' is 1001 bytes, above the limit of 1000 bytes/);
    writeFileSync(join(dir, 'small.npy'), new Uint8Array(1000));
    expect((await files.read('small.npy')).length).toBe(1000);
    expect(statSync(join(dir, 'pipe.npy')).isFIFO()).toBe(true);
  });

  it('a graph file that is a FIFO is refused at once', async () => {
    const dir = tmp();
    execFileSync('mkfifo', [join(dir, 'g.json')], { timeout: 10_000 });
    const r = await cli('validate', join(dir, 'g.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read graph file .*g\.json': is not a regular file \(a FIFO\)/);
  });
});

describe('meta.files is checked', () => {
  const bytes = writeNpy(Tensor.from([2, 2], [1, 2, 3, 4]));
  const sha = createHash('sha256').update(bytes).digest('hex');
  const graphWith = (dir: string, ref: Record<string, unknown>) =>
    writeGraph(dir, [{ id: 'src', type: 'source.npy', params: { path: 'm.npy' } }, { id: 'save', type: 'export.npy', params: { name: 'm' } }], [edge(0, 'src', 'tensor', 'save', 'tensor')], { meta: { files: { 'm.npy': ref } } });

  it('an embedded file with the right size and SHA-256 loads; a wrong hash, a wrong size and bad base64 are refused by name', async () => {
    const dir = tmp();
    expect((await cli('run', graphWith(dir, { sha256: sha, size: bytes.length, base64: bytesToBase64(bytes) }), '--out', join(dir, 'o1'))).code).toBe(0);
    const bad = [
      [{ sha256: '0'.repeat(64), size: bytes.length, base64: bytesToBase64(bytes) }, /the embedded copy of 'm\.npy' has SHA-256 [0-9a-f]{16}…, but meta\.files\["m\.npy"\]\.sha256 says 0{16}…/],
      [{ sha256: sha, size: 5, base64: bytesToBase64(bytes) }, /has \d+ bytes, but meta\.files\["m\.npy"\]\.size says 5/],
      [{ sha256: sha, size: bytes.length, base64: 'not base64!!' }, /meta\.files\["m\.npy"\]\.base64 is not valid base64/],
    ] as const;
    for (const [i, [ref, why]] of bad.entries()) {
      const r = await cli('run', graphWith(dir, ref), '--out', join(dir, `bad${i}`));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(why);
    }
  });

  it('a file on disk that differs from the one meta.files records is refused', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm.npy'), writeNpy(Tensor.from([2, 2], [1, 2, 3, 5])));
    const r = await cli('run', graphWith(dir, { sha256: sha, size: bytes.length }), '--out', join(dir, 'o'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the file 'm\.npy' has SHA-256 .* but meta\.files\["m\.npy"\]\.sha256 says .*put the original file back/);
    writeFileSync(join(dir, 'm.npy'), bytes);
    expect((await cli('run', graphWith(dir, { sha256: sha, size: bytes.length }), '--out', join(dir, 'o2'))).code).toBe(0);
  });
});

describe('small CLI inputs', () => {
  it('a graph file with a UTF-8 byte-order mark loads', async () => {
    const dir = tmp();
    const g = writeGraph(dir, [{ id: 'a', type: 'source.function', params: { expr: 'x', shape: [3] } }]);
    writeFileSync(g, `\ufeff${readFileSync(g, 'utf8')}`);
    const r = await cli('validate', g);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('--seed "" is refused instead of becoming 0', async () => {
    const r = await cli('run', 'examples/tucker-noise.json', '--seed', '');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seed must be an integer 0 … 4294967295, got ''/);
  });

  it('--json prints the problems of an invalid graph as an event on stdout', async () => {
    const dir = tmp();
    const g = writeGraph(dir, [{ id: 't', type: 'decompose.tucker' }]);
    const r = await cli('run', g, '--json', '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    const event = JSON.parse(r.out.trim());
    expect(event).toMatchObject({ type: 'invalid_graph', problems: expect.arrayContaining([expect.objectContaining({ code: 'missing-input', nodeId: 't' })]) });
  });

  it('a chain of 40 000 nodes validates and runs (the scheduler is linear in the graph)', async () => {
    const n = 40_000;
    const nodes: unknown[] = [{ id: 'n0', type: 'source.function', params: { expr: 'x', shape: [2] } }];
    const edges: unknown[] = [];
    for (let i = 1; i < n; i++) {
      nodes.push({ id: `n${i}`, type: 'tensor.reshape', params: { shape: [2] } });
      edges.push(edge(i, `n${i - 1}`, 'tensor', `n${i}`, 'tensor'));
    }
    const raw = { format: 'corespace.graph', version: 1, name: 'chain', nodes, edges };
    const loaded = loadGraph(raw, registry);
    expect(loaded.ok).toBe(true);
    expect(validateGraph(loaded.ok ? loaded.doc : (null as never), registry).problems).toEqual([]);
    const dir = tmp();
    writeFileSync(join(dir, 'chain.json'), JSON.stringify(raw));
    const r = await cli('run', join(dir, 'chain.json'), '--backend', 'cpu', '--out', join(dir, 'o'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/ok: 40000 nodes, 40000 ran, 0 failed/);
  }, 60_000);
});

describe('nesting', () => {
  const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
  it('a graph nesting 5 000 levels in meta, layout or a param is refused at load, naming where and the limit', async () => {
    const dir = tmp();
    for (const [where, text] of [
      ['meta', `{"format":"corespace.graph","version":1,"name":"d","nodes":[],"edges":[],"meta":{"x":${deep(5000)}}}`],
      ['layout', `{"format":"corespace.graph","version":1,"name":"d","nodes":[],"edges":[],"layout":{"positions":{},"x":${deep(5000)}}}`],
      ['param', `{"format":"corespace.graph","version":1,"name":"d","nodes":[{"id":"s","type":"source.synthetic","params":{"shape":${deep(3000)}}}],"edges":[]}`],
    ] as const) {
      writeFileSync(join(dir, `${where}.json`), text);
      for (const command of ['validate', 'run']) {
        const r = await cli(command, join(dir, `${where}.json`), ...(command === 'run' ? ['--out', join(dir, 'out'), '--backend', 'cpu'] : []));
        expect([where, command, r.code]).toEqual([where, command, 2]);
        expect(r.err).toMatch(new RegExp(`\\$\\.${where === 'param' ? 'nodes\\[0\\]\\.params\\.shape' : where}.*nests deeper than 64 levels`));
      }
    }
  });

  it('--set with a value nested 3 000 levels is refused', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'g.json'), JSON.stringify({ format: 'corespace.graph', version: 1, name: 'g', nodes: [{ id: 'x', type: 'source.synthetic' }], edges: [] }));
    const r = await cli('run', join(dir, 'g.json'), '--out', join(dir, 'out'), '--set', `x.shape=${deep(3000)}`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--set 'x\.shape=\[\[.*nests deeper than 64 levels/);
  });
});

describe('odd arguments', () => {
  it('--seed -1 says what a seed may be (not "argument is ambiguous")', async () => {
    const r = await cli('run', 'examples/tucker-noise.json', '--seed', '-1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seed must be an integer 0 … 4294967295, got '-1'/);
  });
});

describe('messages that name the cause', () => {
  it('a socket named s.npy is named as such, not ENXIO', async () => {
    const dir = tmp();
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((res) => server.listen(join(dir, 's.npy'), res));
    try {
      await expect(fsResolver(dir).read('s.npy')).rejects.toThrow(/file 's\.npy' is not a regular file \(a socket/);
    } finally {
      await new Promise<void>((res) => server.close(() => res()));
    }
  });

  it('"version": 1e400 says it read as Infinity, not "got null"', () => {
    const r = loadGraph(JSON.parse('{"format":"corespace.graph","version":1e400,"name":"v","nodes":[],"edges":[]}'), registry);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toMatch(/got Infinity \(a number beyond ±1\.8e308 reads as Infinity\)/);
  });

  it('chebyshev-tucker with neither ranks nor eps says neither is set', () => {
    const r = loadGraph({ format: 'corespace.graph', version: 1, name: 'c', nodes: [{ id: 'c', type: 'decompose.chebyshev-tucker', params: {} }], edges: [] }, registry);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const messages = validateGraph(r.doc, registry).problems.map((p) => p.message);
    expect(messages.some((m) => /give ranks .* or eps .*: neither is set/.test(m))).toBe(true);
  });
});

describe('a limited address space', () => {
  const limits = (as: string) => `Limit                     Soft Limit           Hard Limit           Units\nMax stack size            8388608              unlimited            bytes\nMax address space         ${as}           unlimited            bytes\n`;

  it('reads the soft limit from /proc/self/limits, and none when unlimited or unreadable', () => {
    expect(addressSpaceLimit(limits('8000000000'))).toBe(8e9);
    expect(addressSpaceLimit(limits('unlimited'))).toBeNull();
    expect(addressSpaceLimit(null)).toBeNull();
    expect(addressSpaceProblem(NEED, false)).toBeNull();
    expect(addressSpaceProblem(NEED_WITHOUT_GUARDS, true)).toBeNull();
    expect(addressSpaceProblem(NEED_WITHOUT_GUARDS, false)).toMatch(/needs about 48 GiB .* NODE_OPTIONS=--disable-wasm-trap-handler, which needs about 12 GiB/);
  });

  // prlimit --as=8e9 used to end in a WebAssembly "Out of memory" trace from inside tsx's loader.
  it('under ulimit -v of 8e9 bytes the CLI says the WebAssembly memory cannot be reserved and what it needs, exit 1, no trace', async () => {
    const dir = tmp();
    const graph = writeGraph(dir, [{ id: 'f', type: 'source.function', params: { expr: 'x', shape: [3] } }]);
    const r = await start('bash', ['-c', 'ulimit -v 7812500 && exec "$0" "$@"', process.execPath, BIN, 'run', graph], { timeoutMs: 30_000, cwd: dir }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^corespace: the WebAssembly memory cannot be reserved: this process may reserve at most 7\.5 GiB of address space \(ulimit -v, prlimit --as\), and Corespace needs about 48 GiB/);
    expect(r.stderr).not.toMatch(/RangeError|    at /);
    expect(existsSync(join(dir, 'corespace-out'))).toBe(false);
  });

  // 12 GiB was enough on a 2-core machine; 16 leaves room for the threads (and their malloc arenas)
  // of a machine with more cores.
  it('with the trap handler off, as the message advises, 16 GiB is enough to run', async () => {
    const dir = tmp();
    const graph = writeGraph(dir, [{ id: 'f', type: 'source.function', params: { expr: 'x', shape: [3] } }]);
    const env = { ...process.env, NODE_OPTIONS: '--disable-wasm-trap-handler' };
    const r = await start('bash', ['-c', `ulimit -v ${16 * 1024 * 1024} && exec "$0" "$@"`, process.execPath, BIN, 'run', graph, '--backend', 'cpu'], { timeoutMs: 60_000, env, cwd: dir }).done;
    expect(r.stderr).not.toMatch(/RangeError|Fatal|memory/);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'corespace-out', 'g', 'run.json'), 'utf8')).status).toBe('success');
  });
});
