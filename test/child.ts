// Child processes of the tests: every one has a time limit (killed with SIGKILL past it) and is
// killed after its test whatever happened, so a hung command fails its test instead of stalling the
// run, and none outlives the test file.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

const live = new Set<ChildProcess>();

afterEach(() => {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
});

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed at the time limit. */
  timedOut: boolean;
}

export interface Started {
  child: ChildProcess;
  done: Promise<Finished>;
}

export const BIN = new URL('../bin/corespace.js', import.meta.url).pathname;

/** Starts `command args`; `onLine` sees each line of stdout as it arrives. */
export function start(command: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void } = {}): Started {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  live.add(child);
  let stdout = '';
  let stderr = '';
  let partial = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 60_000);
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!opts.onLine) return;
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) opts.onLine(line);
  });
  child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) => {
    child.on('error', (e) => {
      stderr += String(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, done };
}

/** Runs the installed command (`bin/corespace.js`) to its end. */
export const corespace = (args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Finished> => start(process.execPath, [BIN, ...args], opts).done;
