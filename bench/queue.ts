// npm run bench:queue [-- --quick]: the job queue on this machine. A Redis on 127.0.0.1 and 1, 2 and
// 4 `corespace worker` processes (one CPU thread each, so a worker is a core's worth of work), and
// `corespace run --queue` of a rank sweep: 16 ranks (2, 4, …, 32) of a HOOI Tucker of a 128³ tensor.
// Beside it, the same graph without a queue, on one thread and on every core. Then the cost of a job
// itself, on 64 tiny ones (Tuckers of a 4³ tensor): one at a time (--jobs 1: the latency of a job)
// and 64 in flight (the runner's throughput), against the same sweep without a queue. From those, a
// paper estimate of the sweep on 100 machines. Writes bench/results/queue-<date>.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RandomSource, cpuBackend, reconstruct, relativeError, sizes, subspaceOf, syntheticTensor } from '../engine';
import { command, freePort } from '../test/queue/resp';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const BIN = new URL('../bin/corespace.js', import.meta.url).pathname;
const work = mkdtempSync(join(os.tmpdir(), 'corespace-bench-queue-'));
const started: ChildProcess[] = [];

async function startRedis(): Promise<{ port: number; url: string }> {
  const port = await freePort();
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work], { stdio: 'ignore' });
  started.push(child);
  for (let i = 0; i < 200; i++) {
    if ((await command(port, 'PING').catch(() => '')).startsWith('+PONG')) return { port, url: `redis://127.0.0.1:${port}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start');
}

/** Every worker's log, for the compute time of each job ("done … · N ms"). */
const logs = new Map<ChildProcess, string>();
const jobMs = () => [...logs.values()].flatMap((l) => [...l.matchAll(/done {2}\S+ \(decompose\.tucker\) .* · (\d+) ms/g)].map((m) => Number(m[1])));

/** A worker on one CPU thread; resolves once it listens. */
function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--backend', 'cpu'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CORESPACE_THREADS: '1' } });
  started.push(child);
  logs.set(child, '');
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      logs.set(child, log);
      if (/jobs from/.test(log)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}): ${log}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** `corespace run` of a graph; its wall time in seconds and its run.json. */
function run(graph: string, out: string, args: string[], threads?: number): Promise<{ seconds: number; record: { nodes: Record<string, { ranOn?: string[]; durationMs?: number }> } }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'run', graph, '--backend', 'cpu', '--out', join(work, out), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...(threads ? { CORESPACE_THREADS: String(threads) } : {}) } });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`corespace run exited ${code}: ${err}`));
      resolve({ seconds, record: JSON.parse(readFileSync(join(work, out, 'run.json'), 'utf8')) });
    }),
  );
}

function graphFile(name: string, n: number, rank: number, sweep: unknown[]): string {
  const file = join(work, `${name}.json`);
  const nodes = [
    { id: 'x', type: 'source.synthetic', typeVersion: 1, params: { kind: 'tucker', shape: [n, n, n], ranks: [rank, rank, rank], noise: 0.01, seed: 1 } },
    { id: 't', type: 'decompose.tucker', typeVersion: 1, params: { ranks: [1, 1, 1] } },
    { id: 's', type: 'sweep.rank', typeVersion: 1, params: { node: 't', param: 'ranks', values: sweep } },
  ];
  writeFileSync(file, JSON.stringify({ format: 'corespace.graph', version: 1, name, nodes, edges: [{ id: 'e0', from: { node: 'x', port: 'tensor' }, to: { node: 't', port: 'tensor' } }] }));
  return file;
}

const n = values.quick ? 64 : 128;
const ranks = Array.from({ length: 16 }, (_, i) => 2 * (i + 1));
const big = graphFile('sweep', n, 16, ranks.map((r) => [r, r, r]));
const tinyValues: number[][] = [];
for (let a = 1; a <= 4; a++) for (let b = 1; b <= 4; b++) for (let c = 1; c <= 4; c++) tinyValues.push([a, b, c]);
const tiny = graphFile('tiny', 4, 2, tinyValues);

const rows: Record<string, unknown>[] = [];
const say = (line: string) => process.stderr.write(`${line}\n`);
try {
  const redis = await startRedis();
  const flush = () => command(redis.port, 'FLUSHALL');

  // Without a queue: one thread, and every core.
  const sweepS = (r: Awaited<ReturnType<typeof run>>) => (r.record.nodes.s!.durationMs ?? NaN) / 1000;
  const alone1 = await run(big, 'alone-1', [], 1);
  const aloneAll = await run(big, 'alone-all', []);
  say(`sweep of 16 Tuckers of ${n}³, no queue: ${alone1.seconds.toFixed(2)} s on 1 thread (the sweep node ${sweepS(alone1).toFixed(2)} s), ${aloneAll.seconds.toFixed(2)} s on ${os.availableParallelism()} (${sweepS(aloneAll).toFixed(2)} s)`);
  rows.push({ name: `sweep16_tucker_${n}^3`, workers: 0, threads: 1, seconds: alone1.seconds, sweepNodeS: sweepS(alone1) });
  rows.push({ name: `sweep16_tucker_${n}^3`, workers: 0, threads: os.availableParallelism(), seconds: aloneAll.seconds, sweepNodeS: sweepS(aloneAll) });

  const workers: ChildProcess[] = [];
  for (const count of [1, 2, 4]) {
    while (workers.length < count) workers.push(await startWorker(redis.url));
    await flush();
    const before = jobMs().length;
    const r = await run(big, `queue-${count}`, ['--queue', redis.url]);
    const computeS = jobMs().slice(before).reduce((a, b) => a + b, 0) / 1000;
    const jobs = r.record.nodes.s!.ranOn!;
    const per = Object.fromEntries([...new Set(jobs)].map((w) => [w, jobs.filter((x) => x === w).length]));
    rows.push({ name: `sweep16_tucker_${n}^3`, workers: count, threadsPerWorker: 1, seconds: r.seconds, sweepNodeS: sweepS(r), jobsComputeS: computeS, speedupVsOneWorker: undefined, jobsPerWorker: per });
    say(`sweep of 16 Tuckers of ${n}³ on ${count} worker${count > 1 ? 's' : ''}: ${r.seconds.toFixed(2)} s (the sweep node ${sweepS(r).toFixed(2)} s); the jobs computed for ${computeS.toFixed(2)} s in all (jobs per worker: ${Object.values(per).join(', ')})`);
  }
  const oneWorker = rows.find((r) => r.workers === 1)!.seconds as number;
  for (const r of rows) if ((r.workers as number) > 0) r.speedupVsOneWorker = oneWorker / (r.seconds as number);

  // The cost of a job: 64 tiny Tuckers (4³), with one worker.
  while (workers.length > 1) await stop(workers.pop()!);
  const tinyAlone = await run(tiny, 'tiny-alone', [], 1);
  await flush();
  const tinyOne = await run(tiny, 'tiny-jobs1', ['--queue', redis.url, '--jobs', '1']);
  await flush();
  const tinyMany = await run(tiny, 'tiny-jobs64', ['--queue', redis.url, '--jobs', '64']);
  // The sweep's value equal to the Tucker's own ranks comes from the store: the rest were jobs.
  const count = tinyOne.record.nodes.s!.ranOn!.filter((w) => w !== 'store').length;
  const latency = (tinyOne.seconds - tinyAlone.seconds) / count;
  const throughput = (tinyMany.seconds - tinyAlone.seconds) / count;
  rows.push({ name: 'tiny64_tucker_4^3', workers: 0, seconds: tinyAlone.seconds });
  rows.push({ name: 'tiny64_tucker_4^3', workers: 1, jobs: 1, seconds: tinyOne.seconds, overheadPerJobS: latency });
  rows.push({ name: 'tiny64_tucker_4^3', workers: 1, jobs: 64, seconds: tinyMany.seconds, overheadPerJobS: throughput });
  say(`${count} tiny jobs: ${tinyAlone.seconds.toFixed(2)} s without a queue; on one worker ${tinyOne.seconds.toFixed(2)} s one at a time (${(latency * 1000).toFixed(1)} ms a job more), ${tinyMany.seconds.toFixed(2)} s 64 at once (${(throughput * 1000).toFixed(1)} ms a job more)`);

  // What the runner does with each result of the sweep itself: rebuild the tensor from the Tucker,
  // its error against the input, the sizes and the subspace (the median of 5, at rank 16).
  const x = syntheticTensor({ kind: 'tucker', shape: [n, n, n], ranks: [16, 16, 16], noise: 0.01 }, new RandomSource(1)).tensor;
  const t = await cpuBackend.tucker(x, { ranks: [16, 16, 16], method: 'hooi', init: 'svd', maxIter: 3, tol: 1e-8, random: new RandomSource(0) });
  const d = { kind: 'tucker' as const, core: t.core, factors: t.factors };
  const measures: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    relativeError(x.data, reconstruct(d).data);
    sizes(d);
    await subspaceOf(d, 0).materialize();
    measures.push((performance.now() - t0) / 1000);
  }
  const measureS = measures.sort((a, b) => a - b)[2]!;
  say(`the runner's own work on each result of the sweep (rebuild, error, sizes, subspace): ${(measureS * 1000).toFixed(0)} ms`);

  // Paper: N runs of this sweep's average job on M one-core machines: each machine runs its share,
  // each job adding the measured latency; the runner takes each result at the measured throughput
  // overhead plus its own work on it. The larger of the two bounds the sweep.
  const perJob = (rows.find((r) => r.workers === 1 && String(r.name).startsWith('sweep'))!.jobsComputeS as number) / 16;
  const estimate = (jobs: number, machines: number) => Math.max(jobs * (throughput + measureS), Math.ceil(jobs / machines) * (perJob + latency));
  const paper = { jobSeconds: perJob, latencyS: latency, throughputOverheadS: throughput, runnerPerResultS: measureS, sweeps: [1600, 16000].map((jobs) => ({ jobs, machines: 100, seconds: estimate(jobs, 100), oneMachineSeconds: jobs * perJob })) };
  rows.push({ name: 'paper_100_machines', ...paper });
  for (const s of paper.sweeps) say(`paper: ${s.jobs} such jobs on 100 one-core machines ≈ ${s.seconds.toFixed(0)} s (one core: ${s.oneMachineSeconds.toFixed(0)} s; the runner alone needs ${(s.jobs * (throughput + measureS)).toFixed(0)} s)`);
} finally {
  await Promise.all(started.reverse().map(stop));
  rmSync(work, { recursive: true, force: true });
}
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`queue-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, dir);
writeFileSync(file, `${JSON.stringify({ machine: `${os.cpus()[0]?.model ?? '?'}, ${os.availableParallelism()} cores; Node ${process.version}`, rows }, null, 2)}\n`);
say(`wrote ${file.pathname}`);
