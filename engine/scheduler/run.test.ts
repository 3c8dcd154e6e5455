import { beforeEach, describe, expect, it } from 'vitest';
import { iterations, runs, testRegistry } from '../../test/test-registry';
import { cpuBackend } from '../backend';
import { setParam } from '../graph/edit';
import { loadGraph } from '../graph/load';
import { GraphError } from '../graph/problems';
import type { GraphDoc } from '../graph/schema';
import type { FileResolver, OutputSink } from '../node-api';
import { OutputCache } from './cache';
import type { RunEvent } from './events';
import { runGraph, type RunOptions } from './run';
import type { NodeJob, RemoteExecutor } from './remote';
import type { Tensor } from '../tensor';

const files: FileResolver = {
  read: async (p) => {
    throw new Error(`no file ${p}`);
  },
  fingerprint: async () => '0',
};
const output: OutputSink = { write: async (n) => n };

function doc(nodes: unknown[], edges: [string, string, string, string][]): GraphDoc {
  const r = loadGraph(
    {
      format: 'corespace.graph',
      version: 1,
      name: 't',
      nodes,
      edges: edges.map(([fn, fp, tn, tp], i) => ({ id: `e${i}`, from: { node: fn, port: fp }, to: { node: tn, port: tp } })),
    },
    testRegistry,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.doc;
}

const opts = (over: Partial<RunOptions> = {}): RunOptions => ({ registry: testRegistry, backend: cpuBackend, files, output, ...over });

// Two branches: a → s1 → s2, and b (independent) → s3.
const diamond = () =>
  doc(
    [
      { id: 'a', type: 'test.constant', typeVersion: 2, params: { value: 1 } },
      { id: 'b', type: 'test.constant', typeVersion: 2, params: { value: 2 } },
      { id: 's1', type: 'test.add' },
      { id: 's2', type: 'test.add' },
      { id: 's3', type: 'test.add' },
    ],
    [
      ['a', 'out', 's1', 'a'],
      ['b', 'out', 's1', 'b'],
      ['s1', 'out', 's2', 'a'],
      ['b', 'out', 's3', 'a'],
    ],
  );

beforeEach(() => {
  for (const k of Object.keys(runs)) delete runs[k];
});

describe('scheduler', () => {
  it('runs in topological order and passes values along edges', async () => {
    const r = await runGraph(diamond(), opts());
    expect(r.status).toBe('success');
    expect(r.executed).toEqual(['a', 'b', 's1', 's2', 's3']);
    expect([...(r.outputs.get('s2')!.out as { data: Float32Array }).data]).toEqual([3, 3, 3, 3]);
    expect(r.nodes.s2!.summary!.out).toMatchObject({ type: 'tensor', shape: [4], norm: 6 });
  });

  it('re-runs only the changed node and its descendants after a param change', async () => {
    const cache = new OutputCache();
    const g = diamond();
    await runGraph(g, opts({ cache }));
    expect(runs).toEqual({ a: 1, b: 1, s1: 1, s2: 1, s3: 1 });

    const events: RunEvent[] = [];
    const again = await runGraph(g, opts({ cache, onEvent: (e) => events.push(e) }));
    expect(again.executed).toEqual([]);
    expect(events.find((e) => e.type === 'execution_cached')).toEqual({ type: 'execution_cached', nodes: ['a', 'b', 's1', 's2', 's3'] });

    const changed = await runGraph(setParam(g, 'a', 'value', 5), opts({ cache }));
    expect(changed.executed).toEqual(['a', 's1', 's2']);
    expect(runs).toEqual({ a: 2, b: 1, s1: 2, s2: 2, s3: 1 });
    expect(changed.nodes.s3!.status).toBe('cached');
    expect((changed.outputs.get('s2')!.out as { data: Float32Array }).data[0]).toBe(7);
  });

  it('treats a param equal to its default like an omitted one', async () => {
    const cache = new OutputCache();
    const g = diamond();
    await runGraph(g, opts({ cache }));
    const r = await runGraph(setParam(g, 'b', 'length', 4), opts({ cache }));
    expect(r.executed).toEqual([]);
  });

  it('blocks only the descendants of a failed node', async () => {
    const events: RunEvent[] = [];
    const r = await runGraph(setParam(diamond(), 's1', 'fail', true), opts({ onEvent: (e) => events.push(e) }));
    expect(r.status).toBe('failed');
    expect(r.nodes.s1).toMatchObject({ status: 'error', error: "node 's1' (test.add): input 'a' was rejected on purpose" });
    expect(r.nodes.s2).toEqual({ status: 'blocked', blockedBy: 's1' });
    expect(r.nodes.s3!.status).toBe('done');
    expect(events).toContainEqual({ type: 'blocked', node: 's2', by: 's1' });
    expect(events.at(-1)).toEqual({ type: 'execution_failed', failed: ['s1'] });
  });

  it('runs only the targets and their ancestors', async () => {
    const r = await runGraph(diamond(), opts({ targets: ['s3'] }));
    expect(r.executed).toEqual(['b', 's3']);
    await expect(runGraph(diamond(), opts({ targets: ['nope'] }))).rejects.toThrow(/target 'nope' is not a node/);
  });

  it('refuses an invalid graph before running anything', async () => {
    const g = setParam(diamond(), 'a', 'value', 1e9);
    const err = await runGraph(g, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).problems[0]).toMatchObject({ code: 'invalid-param', nodeId: 'a' });
    expect(runs).toEqual({});
  });

  it('cancels within one iteration of an iterative node', async () => {
    const g = doc(
      [
        { id: 'a', type: 'test.constant', typeVersion: 2 },
        { id: 'it', type: 'test.iterate', params: { steps: 1000 } },
        { id: 'after', type: 'test.add' },
      ],
      [
        ['a', 'out', 'it', 'a'],
        ['it', 'out', 'after', 'a'],
      ],
    );
    const ctrl = new AbortController();
    const events: RunEvent[] = [];
    const r = await runGraph(
      g,
      opts({
        signal: ctrl.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'progress' && e.value === 5) ctrl.abort();
        },
      }),
    );
    expect(r.status).toBe('interrupted');
    // Aborted while reporting iteration 5: iterations 0…4 completed, none after.
    expect(iterations.it).toBe(5);
    expect(r.nodes.it!.status).toBe('cancelled');
    expect(r.nodes.after!.status).toBe('cancelled');
    expect(runs.after).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'execution_interrupted' });
    expect(events.find((e) => e.type === 'progress' && e.value === 4)).toMatchObject({ node: 'it', max: 1000, message: 'iter 4' });
  });

  it('gives bit-identical outputs for the same graph and seed, different ones for another seed', async () => {
    const g = doc([{ id: 'n', type: 'test.noise' }, { id: 'm', type: 'test.noise', params: { seed: 3 } }], []);
    const bytes = async (seed: number, id: string) => [...((await runGraph(g, opts({ seed }))).outputs.get(id)!.out as { data: Float32Array }).data];
    expect(await bytes(1, 'n')).toEqual(await bytes(1, 'n'));
    expect(await bytes(1, 'm')).toEqual(await bytes(1, 'm'));
    expect(await bytes(1, 'n')).not.toEqual(await bytes(2, 'n'));
    expect(await bytes(1, 'n')).not.toEqual(await bytes(1, 'm'));
  });
});

describe('scheduler with a remote executor', () => {
  /** Runs jobs in this process after a turn of the event loop, keeping their outputs by content key
   * the way a queue's store does, and counting how many were in flight at once. */
  function fakeQueue(slots: number) {
    const store = new Map<string, Record<string, unknown>>();
    const jobs: NodeJob[] = [];
    let inFlight = 0;
    let most = 0;
    const remote: RemoteExecutor = {
      slots,
      task: async () => {
        throw new Error('no tasks here');
      },
      stored: async (keys) => new Set(keys.filter((k) => store.has(k))),
      lookup: async (key) => store.get(key),
      async run(job) {
        jobs.push(job);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        try {
          const outputs = (await job.def.run(job.inputs as never, job.params as never, { nodeId: job.nodeId } as never)) as Record<string, unknown>;
          store.set(job.key, outputs);
          return { outputs, ranOn: `fake ${jobs.length}` };
        } finally {
          inFlight--;
        }
      },
    };
    return { remote, store, jobs, most: () => most };
  }

  it('sends each node as a job once its inputs are ready, several at once, with the outputs of a local run', async () => {
    const local = await runGraph(diamond(), opts());
    const q = fakeQueue(8);
    const r = await runGraph(diamond(), opts({ remote: q.remote }));
    expect(r.status).toBe('success');
    expect(q.jobs.map((j) => j.nodeId).sort()).toEqual(['a', 'b', 's1', 's2', 's3']);
    // a and b wait on nothing, s1 and s3 on b (and a): each pair was out at once.
    expect(q.most()).toBeGreaterThanOrEqual(2);
    for (const id of ['s2', 's3']) expect([...(r.outputs.get(id)!.out as Tensor).data]).toEqual([...(local.outputs.get(id)!.out as Tensor).data]);
    expect(r.nodes.s2!.ranOn).toHaveLength(1);
    expect(r.nodes.s2!.ranOn![0]).toMatch(/^fake \d$/);
    // A job says where its inputs came from: s2 reads s1's output 'out' under s1's content key.
    const s1 = q.jobs.find((j) => j.nodeId === 's1')!;
    expect(q.jobs.find((j) => j.nodeId === 's2')!.inputKeys).toEqual({ a: { key: s1.key, port: 'out' } });
  });

  it('with one slot, sends one job at a time', async () => {
    const q = fakeQueue(1);
    await runGraph(diamond(), opts({ remote: q.remote }));
    expect(q.most()).toBe(1);
    expect(q.jobs).toHaveLength(5);
  });

  it('takes what the store holds from an earlier run as cached, and runs nothing again', async () => {
    const q = fakeQueue(4);
    await runGraph(diamond(), opts({ remote: q.remote }));
    const events: RunEvent[] = [];
    const again = await runGraph(diamond(), opts({ remote: q.remote, onEvent: (e) => events.push(e) }));
    expect(again.executed).toEqual([]);
    expect(q.jobs).toHaveLength(5);
    expect(events.find((e) => e.type === 'execution_cached')).toEqual({ type: 'execution_cached', nodes: ['a', 'b', 's1', 's2', 's3'] });
    expect([...(again.outputs.get('s2')!.out as Tensor).data]).toEqual([3, 3, 3, 3]);
  });

  it("reports a job's failure as the node's error and blocks only its descendants", async () => {
    const q = fakeQueue(4);
    const r = await runGraph(setParam(diamond(), 's1', 'fail', true), opts({ remote: q.remote }));
    expect(r.nodes.s1).toMatchObject({ status: 'error', error: "node 's1' (test.add): input 'a' was rejected on purpose" });
    expect(r.nodes.s2).toEqual({ status: 'blocked', blockedBy: 's1' });
    expect(r.nodes.s3!.status).toBe('done');
  });

  it('keys a node by its random stream: two nodes alike but for their ids never share outputs', async () => {
    const q = fakeQueue(4);
    const g = doc([{ id: 'x', type: 'test.constant', typeVersion: 2 }, { id: 'y', type: 'test.constant', typeVersion: 2 }], []);
    await runGraph(g, opts({ remote: q.remote }));
    const [x, y] = q.jobs;
    expect(x!.key).not.toBe(y!.key);
    expect(x!.nodeSeed).not.toBe(y!.nodeSeed);
  });
});
