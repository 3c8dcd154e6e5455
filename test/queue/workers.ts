// `corespace worker` processes for the job-queue tests: started by the test, their log lines kept,
// and stopped by their PIDs (SIGTERM, then SIGKILL after 5 s) in afterAll — also when a test failed.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../child';

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Its log so far (stderr). */
  log(): string;
  /** Resolves once its log matches `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startWorker(queue: string, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', queue, '--backend', 'cpu', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  const waiters: { pattern: RegExp; done: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of waiters.splice(0)) (w.pattern.test(text) ? w.done : () => waiters.push(w))();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    child,
    log: () => text,
    waitFor(pattern, ms = 30_000) {
      if (pattern.test(text)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${child.pid} did not log ${pattern} within ${ms} ms; its log:\n${text}`)), ms);
        waiters.push({ pattern, done: () => (clearTimeout(timer), resolve()) });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(child.pid!, signal);
      const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
