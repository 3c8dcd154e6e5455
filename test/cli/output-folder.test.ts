// Writes into the output folder, as a hostile folder or a killed run would test them: run.json
// through a link, a default output folder that is a link, a folder on the way swapped for a link
// between two writes, and a run killed while rewriting a large export — nothing lands outside the
// folder, no file is left half-written, and a run that did not finish never reads as finished.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, corespace, start } from '../child';
import { folderSink } from '../../cli/node-io';
import { tempDir } from '../temp';

const graph = (name: string, nodes: unknown[], edges: [string, string][] = []) =>
  JSON.stringify({ format: 'corespace.graph', version: 1, name, nodes, edges: edges.map(([a, b], i) => ({ id: `e${i}`, from: { node: a, port: 'tensor' }, to: { node: b, port: 'tensor' } })) });
const small = graph('g', [{ id: 'x', type: 'source.synthetic', params: { shape: [6, 6], ranks: [2, 2] } }]);

describe('the output folder', () => {
  it('run.json that is a link is refused, never written through (the default folder and --out)', async () => {
    const dir = tempDir('out-link');
    writeFileSync(join(dir, 'g.json'), small);
    writeFileSync(join(dir, 'victim.txt'), 'keep me');
    mkdirSync(join(dir, 'corespace-out', 'g'), { recursive: true });
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'corespace-out', 'g', 'run.json'));
    const r = await corespace(['run', 'g.json', '--backend', 'cpu'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run\.json.*exists and is a link/);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
    mkdirSync(join(dir, 'out'));
    symlinkSync(join(dir, 'victim.txt'), join(dir, 'out', 'run.json'));
    const r2 = await corespace(['run', 'g.json', '--backend', 'cpu', '--out', 'out'], { cwd: dir });
    expect(r2.code).toBe(1);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
  });

  it('a default output folder that is a link is refused, naming it and --out; an explicit --out through a link is the user\'s choice', async () => {
    const dir = tempDir('out-default');
    const elsewhere = tempDir('out-elsewhere');
    writeFileSync(join(dir, 'g.json'), small);
    mkdirSync(join(dir, 'corespace-out'));
    symlinkSync(elsewhere, join(dir, 'corespace-out', 'g'));
    const r = await corespace(['run', 'g.json', '--backend', 'cpu'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the default output folder corespace-out\/g: .*corespace-out\/g is a link .*--out/);
    expect(readdirSync(elsewhere)).toEqual([]);
    const ok = await corespace(['run', 'g.json', '--backend', 'cpu', '--out', join(dir, 'corespace-out', 'g')], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'run.json'))).toBe(true);
  });

  it('a folder on the way swapped for a link between two writes is refused; nothing lands outside, no temporary file stays', async () => {
    const dir = tempDir('out-swap');
    const out = join(dir, 'out');
    const outside = join(dir, 'outside');
    mkdirSync(out);
    mkdirSync(outside);
    const sink = folderSink(out);
    await sink.write('views/a.png', new Uint8Array([1]));
    renameSync(join(out, 'views'), join(dir, 'old-views'));
    symlinkSync(outside, join(out, 'views'));
    await expect(sink.write('views/b.png', new Uint8Array([2]))).rejects.toThrow(/refused to write 'views\/b\.png': .*views is a link/);
    expect(readdirSync(outside)).toEqual([]);
    // Each file is complete under its own name; only finished files are there.
    expect(readdirSync(join(dir, 'old-views'))).toEqual(['a.png']);
  });

  it('an output folder replaced by a file mid-run: each later write, run.json included, is refused by name, nothing thrown past it', async () => {
    const dir = tempDir('out-file');
    const out = join(dir, 'out');
    mkdirSync(out);
    const sink = folderSink(out);
    await sink.write('a.npy', new Uint8Array([1]));
    renameSync(out, join(dir, 'gone'));
    writeFileSync(out, 'a file now');
    await expect(sink.write('b.npy', new Uint8Array([2]))).rejects.toThrow(/out is a file, not a folder/);
    await expect(sink.replace('run.json', new Uint8Array([3]))).rejects.toThrow(/out is a file, not a folder/);
    expect(readFileSync(out, 'utf8')).toBe('a file now');
    expect(readdirSync(join(dir, 'gone'))).toEqual(['a.npy']);
  });

  it('a run killed while rewriting a large export leaves the previous file whole, and its run.json never says it finished', async () => {
    const dir = tempDir('out-kill');
    const big = (seed: number) =>
      graph('big', [{ id: 'x', type: 'source.synthetic', params: { kind: 'gaussian', shape: [256, 256, 256], seed } }, { id: 'save', type: 'export.npy', params: { name: 'big' } }], [['x', 'save']]);
    writeFileSync(join(dir, 'g.json'), big(1));
    const first = await corespace(['run', 'g.json', '--backend', 'cpu', '--out', 'out'], { cwd: dir, timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(0);
    const whole = statSync(join(dir, 'out', 'big.npy')).size;
    expect(whole).toBeGreaterThan(256 ** 3 * 4);
    // Again with another seed, killed as soon as the export starts.
    writeFileSync(join(dir, 'g.json'), big(2));
    const states: string[] = [];
    const { child, done } = start(process.execPath, [BIN, 'run', 'g.json', '--backend', 'cpu', '--out', 'out', '--json'], {
      cwd: dir,
      timeoutMs: 120_000,
      onLine: (line) => {
        if (!line.includes('"executing"') || !line.includes('"save"')) return;
        states.push(JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).status);
        child.kill('SIGKILL');
      },
    });
    const r = await done;
    expect(r.signal).toBe('SIGKILL');
    // While it ran, run.json said so; killed, it still does (not the last run's success).
    expect(states).toEqual(['running']);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')).status).toBe('running');
    // big.npy is the old file or the new one, whole either way.
    expect(statSync(join(dir, 'out', 'big.npy')).size).toBe(whole);
    expect(lstatSync(join(dir, 'out', 'big.npy')).isFile()).toBe(true);
  }, 180_000);
});

describe('sinks and the cache', () => {
  it('two identical heatmaps each write their own view (the second is no cache hit of the first)', async () => {
    const dir = tempDir('out-views');
    const nodes = [{ id: 'x', type: 'source.synthetic', params: { shape: [8, 8], ranks: [2, 2] } }, { id: 'a', type: 'view.heatmap' }, { id: 'b', type: 'view.heatmap' }];
    writeFileSync(join(dir, 'g.json'), graph('v', nodes, [['x', 'a'], ['x', 'b']]));
    const r = await corespace(['run', 'g.json', '--backend', 'cpu', '--out', 'out'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out', 'views')).sort()).toEqual(['a.png', 'b.png']);
    const run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(run.views.map((v: { node: string }) => v.node).sort()).toEqual(['a', 'b']);
  });
});
