// The `corespace` command: run, validate and nodes. Returns the exit code instead of exiting, so
// tests can call it in-process.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { defaultThreads, formatProblem, printable, setThreads, validateGraph } from '../engine';
import { registry } from '../nodes';
import { catalogue, catalogueText } from './catalogue';
import { loadFile, pickBackend, runCommand, type Io } from './run-command';
import { parseQueueUrl } from './queue/url';
import { workerCommand } from './queue/worker';

const USAGE = `usage:
  corespace run GRAPH.json [--out DIR] [--backend auto|cpu|webgpu] [--set NODE.PARAM=VALUE]…
                           [--targets ID,…] [--bypass ID,…] [--seed N] [--allow-read DIR]…
                           [--max-minutes N] [--threads N] [--queue redis://HOST:PORT [--jobs N]] [--json]
  corespace worker --queue redis://HOST:PORT [--concurrency N] [--backend auto|cpu|webgpu] [--lock-seconds N]
  corespace validate GRAPH.json [--max-minutes N]
  corespace nodes [--json]

run       runs the graph (or the --targets and their ancestors) and writes DIR/run.json and the
          export.npy files; DIR defaults to ./corespace-out/<graph name>. The graph reads files
          in its own folder only; --allow-read DIR lets it read files in DIR too. --bypass
          runs the graph with those nodes bypassed (each output passes on an input of its type).
          exit code 0: every node done; 1: some node failed; 2: invalid graph or usage;
          130: interrupted (Ctrl+C; run.json says which nodes finished).
          A node whose estimated run time (on one CPU core) is above the ceiling, 10 minutes
          unless --max-minutes raises it, fails validation with its estimate. --threads N caps
          the CPU threads the products use (default: every core; also CORESPACE_THREADS).
          --queue sends the nodes a worker may run (decompositions, transforms, metrics: not
          sources, exports, views or models) and each run of a sweep.rank to the workers of a job
          queue, up to --jobs at once (default 64); outputs are kept in the queue's Redis under
          their content keys, so a rerun, anyone's, reuses them. Exit code 3: the queue could not
          be reached or stopped answering (what finished is kept).
worker    takes node jobs from the queue (of its backend: cpu unless --backend says otherwise),
          --concurrency at a time (default 1; each computes in its own thread), and stores their
          outputs there. A job whose worker stops answering goes to another worker after
          --lock-seconds (default 30). Runs until Ctrl+C.
validate  checks the graph and lists every problem; exit code 0 if valid, 2 if not.
nodes     the node catalogue: types, ports and params with defaults and ranges.
`;

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
};

/** What the command prints, with terminal control characters from the graph (ids, names, params
 * quoted in messages) escaped; --json output is escaped by its reporter instead. */
function printableIo(io: Io, json: boolean): Io {
  return { ...io, stderr: (s) => io.stderr(printable(s, true)), stdout: json ? io.stdout : (s) => io.stdout(printable(s, true)) };
}

export async function main(argv: string[], rawIo: Io = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  let io = printableIo(rawIo, false);
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(rest),
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        set: { type: 'string', multiple: true, default: [] },
        targets: { type: 'string' },
        bypass: { type: 'string' },
        seed: { type: 'string' },
        'max-minutes': { type: 'string' },
        threads: { type: 'string' },
        'allow-read': { type: 'string', multiple: true, default: [] },
        queue: { type: 'string' },
        jobs: { type: 'string' },
        concurrency: { type: 'string' },
        'lock-seconds': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const { values: o, positionals } = parsed;
  io = printableIo(rawIo, Boolean(o.json));
  if (o.help || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  // --max-minutes: the ceiling on a node's estimated run time (engine/cost.ts).
  let maxSeconds: number | undefined;
  if (o['max-minutes'] !== undefined) {
    const minutes = /^\s*$/.test(o['max-minutes']) ? NaN : Number(o['max-minutes']);
    if (!(minutes > 0)) return usage(io, `--max-minutes must be a number of minutes above 0 (e.g. 60, or Infinity for no ceiling), got '${o['max-minutes']}'`);
    maxSeconds = minutes * 60;
  }
  // --threads: the CPU products' threads, here and in the run's worker (which reads the variable).
  if (o.threads !== undefined) {
    if (wholeOption(o.threads, 1) === null) return usage(io, `--threads must be a whole number ≥ 1 (the CPU threads products use), got '${o.threads}'`);
    process.env.CORESPACE_THREADS = o.threads;
    setThreads(Number(o.threads));
  } else if (process.env.CORESPACE_THREADS !== undefined) {
    try {
      defaultThreads();
    } catch (e) {
      return usage(io, (e as Error).message);
    }
  }
  switch (command) {
    case 'nodes':
      io.stdout(o.json ? `${JSON.stringify(catalogue(registry), null, 2)}\n` : `${catalogueText(registry)}\n`);
      return 0;
    case 'validate': {
      if (positionals.length !== 1) return usage(io, 'validate takes one graph file');
      const doc = await loadFile(positionals[0]!, registry, io);
      if (!doc) return 2;
      const { problems } = validateGraph(doc, registry, maxSeconds !== undefined ? { maxSeconds } : {});
      if (problems.length) {
        io.stderr(`${positionals[0]}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
        return 2;
      }
      io.stdout(`${positionals[0]}: valid (${doc.nodes.length} nodes, ${doc.edges.length} edges)\n`);
      return 0;
    }
    case 'worker': {
      if (positionals.length) return usage(io, `worker takes no graph file (the jobs bring their nodes), got '${positionals[0]}'`);
      if (o.queue === undefined) return usage(io, 'worker needs --queue redis://HOST:PORT, the queue to take jobs from');
      const concurrency = wholeOption(o.concurrency, 1);
      if (concurrency === null || concurrency > 256) return usage(io, `--concurrency must be a whole number 1 … 256 (jobs this worker runs at once), got '${o.concurrency}'`);
      const lockSeconds = wholeOption(o['lock-seconds'], 30);
      if (lockSeconds === null || lockSeconds > 86400) return usage(io, `--lock-seconds must be a whole number of seconds 1 … 86400, got '${o['lock-seconds']}'`);
      if (!['auto', 'cpu', 'webgpu'].includes(o.backend!)) return usage(io, `--backend must be auto, cpu or webgpu, got '${o.backend}'`);
      let address;
      try {
        address = parseQueueUrl(o.queue);
      } catch (e) {
        return usage(io, (e as Error).message);
      }
      const backend = await pickBackend(o.backend as 'auto' | 'cpu' | 'webgpu', io);
      if (!backend) return 2;
      return stoppable((signal, arm) => {
        arm();
        return workerCommand({ address, concurrency, backend, lockSeconds }, io, signal);
      });
    }
    case 'run': {
      if (positionals.length !== 1) return usage(io, 'run takes one graph file');
      const jobs = wholeOption(o.jobs, 64);
      if (jobs === null || jobs > 4096) return usage(io, `--jobs must be a whole number 1 … 4096 (jobs in flight at once), got '${o.jobs}'`);
      if (o.jobs !== undefined && o.queue === undefined) return usage(io, '--jobs goes with --queue (the jobs in flight on the queue)');
      const workerOnly = (['concurrency', 'lock-seconds'] as const).find((k) => o[k] !== undefined);
      if (workerOnly) return usage(io, `--${workerOnly} is an option of corespace worker; a run sends jobs with --queue URL [--jobs N]`);
      if (!['auto', 'cpu', 'webgpu'].includes(o.backend!)) return usage(io, `--backend must be auto, cpu or webgpu, got '${o.backend}'`);
      // Number('') is 0: an empty or spaced seed is refused, not taken as 0.
      const seed = o.seed === undefined ? undefined : /^\d+$/.test(o.seed) ? Number(o.seed) : NaN;
      if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) return usage(io, `--seed must be an integer 0 … 4294967295, got '${o.seed}'`);
      if (o.out !== undefined && o.out.trim() === '') return usage(io, '--out is empty; give a folder, e.g. --out results');
      // A stop signal ends the running node at its next progress check and writes run.json as
      // interrupted. runCommand arms the handlers only once the graph is loaded and valid (parsing a
      // 200 MB file or validating 100 000 nodes would otherwise hold up a Ctrl+C).
      return stoppable((signal, armStop) =>
        runCommand(
          {
            graph: positionals[0]!,
            ...(o.out !== undefined ? { out: o.out } : {}),
            backend: o.backend as 'auto' | 'cpu' | 'webgpu',
            sets: o.set!,
            ...(o.targets !== undefined ? { targets: o.targets.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
            ...(o.bypass !== undefined ? { bypass: o.bypass.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
            ...(seed !== undefined ? { seed } : {}),
            json: o.json!,
            allowRead: o['allow-read']!,
            ...(maxSeconds !== undefined ? { maxSeconds } : {}),
            ...(o.queue !== undefined ? { queue: { url: o.queue, slots: jobs } } : {}),
          },
          registry,
          io,
          signal,
          armStop,
        ),
      );
    }
    default:
      return usage(io, command ? `unknown command '${command}'` : 'no command given');
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl+C, a TERM (kill, a job scheduler) and a HUP (the terminal closed) stop a command the same way:
 * its signal aborts, and an exit code of 130 becomes the signal's (130, 143, 129). `arm` installs the
 * handlers: a run arms them once the graph is loaded and valid, just before the output folder is
 * touched (until then nothing needs cleaning up, and the default action ends the process at once,
 * where a handler would wait for a long synchronous step to finish).
 */
async function stoppable(command: (signal: AbortSignal, arm: () => void) => Promise<number>): Promise<number> {
  const abort = new AbortController();
  let caught: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    caught ??= sig;
    abort.abort();
  };
  try {
    const code = await command(abort.signal, () => {
      for (const sig of STOP_SIGNALS) process.once(sig, onSignal);
    });
    return code === 130 && caught ? 128 + (os.constants.signals[caught] ?? 2) : code;
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
  }
}

/** A whole-number option ≥ 1, its default when absent, or null when it is not one. */
function wholeOption(value: string | undefined, byDefault: number): number | null {
  if (value === undefined) return byDefault;
  return /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** "--seed -1" as "--seed=-1" (and --max-minutes): parseArgs takes "-1" for an option ("argument is
 * ambiguous"); joined, it reaches the option's own check, which says what the value may be. */
function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === '--seed' || args[i] === '--max-minutes') && /^-\d/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]!);
  }
  return out;
}

function usage(io: Io, problem: string): number {
  io.stderr(`corespace: ${problem}\n\n${USAGE}`);
  return 2;
}
