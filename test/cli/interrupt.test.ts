// Ctrl+C during a run of the installed command: the signal reaches a node in the middle of its
// computation (CP-ALS without a tolerance, an exact SVD between its progress reports), the run
// stops, run.json says interrupted with what finished, and the exit code is 130.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, start } from '../child';
import { tempDir } from '../temp';

type Event = { type: string; node?: string; line?: string };

/** Runs the command, sends `signal` (SIGINT) once `when` matches an event, and resolves with the
 * exit code (the child is killed at 45 s, or when the test ends, whatever happened). */
async function interrupt(graph: string, out: string, when: (e: Event) => boolean, signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; events: Event[]; stderr: string }> {
  const events: Event[] = [];
  let sent = false;
  const { child, done } = start(process.execPath, [BIN, 'run', graph, '--json', '--backend', 'cpu', '--out', out], {
    timeoutMs: 45_000,
    onLine: (line) => {
      let e: Event;
      try {
        e = JSON.parse(line);
      } catch {
        e = { type: 'not-json', line };
      }
      events.push(e);
      if (!sent && when(e)) {
        sent = true;
        child.kill(signal);
      }
    },
  });
  const r = await done;
  return { code: r.code, events, stderr: r.stderr };
}

function graphFile(nodes: unknown[], edges: [string, string][]): { file: string; out: string } {
  const dir = tempDir('int');
  const file = join(dir, 'g.json');
  writeFileSync(file, JSON.stringify({ format: 'corespace.graph', version: 1, name: 'int', nodes, edges: edges.map(([a, b], i) => ({ id: `e${i}`, from: { node: a, port: 'tensor' }, to: { node: b, port: 'tensor' } })) }));
  return { file, out: join(dir, 'out') };
}

describe('Ctrl+C', () => {
  it('stops CP-ALS with tol 0 in the middle of its sweeps: exit 130, run.json interrupted', async () => {
    const { file, out } = graphFile(
      [
        { id: 'syn', type: 'source.synthetic', params: { shape: [24, 24, 24], ranks: [4, 4, 4], seed: 1 } },
        { id: 'cp', type: 'decompose.cp', params: { rank: 6, tol: 0, maxIter: 100000 } },
      ],
      [['syn', 'cp']],
    );
    const r = await interrupt(file, out, (e) => e.type === 'progress' && e.node === 'cp');
    expect(r.code, r.stderr).toBe(130);
    expect(r.events.filter((e) => e.type === 'not-json')).toEqual([]);
    expect(r.events.at(-1)).toEqual({ type: 'execution_interrupted' });
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('interrupted');
    expect(run.nodes.syn.status).toBe('done');
    expect(run.nodes.cp.status).toBe('cancelled');
  }, 60_000);

  it('stops an exact SVD of 1024² that reports only once per sweep (its thread is stopped after the grace period)', async () => {
    const { file, out } = graphFile(
      [
        { id: 'f', type: 'source.function', params: { expr: 'sin(7*x*y) + cos(3*x + y*y)', shape: [1024, 1024] } },
        { id: 'svd', type: 'decompose.svd', params: { method: 'exact' } },
        { id: 'after', type: 'export.npy', params: { name: 'never' } },
      ],
      [['f', 'svd']],
    );
    // (the export takes the function's grid: it is independent of the SVD and may finish first)
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.edges.push({ id: 'e9', from: { node: 'f', port: 'tensor' }, to: { node: 'after', port: 'tensor' } });
    writeFileSync(file, JSON.stringify(doc));
    const r = await interrupt(file, out, (e) => e.type === 'executing' && e.node === 'svd');
    expect(r.code, r.stderr).toBe(130);
    expect(r.events.filter((e) => e.type === 'not-json')).toEqual([]);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('interrupted');
    expect(run.nodes.f.status).toBe('done');
    expect(run.nodes.svd.status).toBe('cancelled');
    expect(Object.keys(run.nodes).sort()).toEqual(['after', 'f', 'svd']);
  }, 60_000);

  // A 65 MB graph file (1.5 M layout positions) takes seconds to parse and check, synchronously: a
  // handler could only run after that (17 s for 4 M positions). Before the graph is loaded nothing
  // needs cleaning up, so the signal's default action ends the process at once.
  it('Ctrl+C while a large graph file loads ends the process at once, before any output folder exists', async () => {
    const dir = tempDir('int-load');
    const file = join(dir, 'big.json');
    const positions: Record<string, { x: number; y: number }> = {};
    for (let i = 0; i < 1_500_000; i++) positions[`n${i}`] = { x: i, y: i / 2 };
    writeFileSync(file, JSON.stringify({ format: 'corespace.graph', version: 1, name: 'big', nodes: [{ id: 'f', type: 'source.function', params: { expr: 'x', shape: [3] } }], edges: [], layout: { positions } }));
    const out = join(dir, 'out');
    const { child, done } = start(process.execPath, [BIN, 'run', file, '--backend', 'cpu', '--out', out], { timeoutMs: 120_000 });
    // Two seconds of CPU: past Node's start and the loader (under one second), inside the load.
    await expect.poll(() => cpuSeconds(child.pid!), { timeout: 60_000, interval: 100 }).toBeGreaterThan(2);
    child.kill('SIGINT');
    const r = await done;
    expect(r.signal, r.stderr).toBe('SIGINT');
    expect(existsSync(out)).toBe(false);
  }, 150_000);

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops a run the same way: run.json interrupted, exit %i', async (signal, exit) => {
    const { file, out } = graphFile(
      [
        { id: 'syn', type: 'source.synthetic', params: { shape: [24, 24, 24], ranks: [4, 4, 4], seed: 1 } },
        { id: 'cp', type: 'decompose.cp', params: { rank: 6, tol: 0, maxIter: 100000 } },
      ],
      [['syn', 'cp']],
    );
    const r = await interrupt(file, out, (e) => e.type === 'progress' && e.node === 'cp', signal);
    expect(r.code, r.stderr).toBe(exit);
    expect(r.events.at(-1)).toEqual({ type: 'execution_interrupted' });
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('interrupted');
    expect(run.nodes.cp.status).toBe('cancelled');
  }, 60_000);
});

/** User and system CPU time of a process, from /proc (clock ticks of 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
