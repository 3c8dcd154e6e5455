// A Redis for the job-queue tests: Debian's redis-server (installed by scripts/setup-system.sh),
// started by the test on 127.0.0.1 and a free port, with its files in a temp folder (no persistence
// unless asked: then it saves on stop and a restart on the same port and folder has its data back), and stopped by its PID (SIGTERM, then SIGKILL after 5 s) in afterAll — also when a test
// failed. Outside CI a machine without redis-server skips the suite with a notice; in CI that is a
// failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tempDir } from '../temp';
import { command, freePort } from './resp';

export { command, freePort };

export const REDIS_SERVER = '/usr/bin/redis-server';

export function redisMissing(): string | null {
  if (existsSync(REDIS_SERVER)) return null;
  const why = `${REDIS_SERVER} is missing (scripts/setup-system.sh installs Debian's redis-server)`;
  if (process.env.CI) throw new Error(why);
  console.warn(`job-queue tests skipped: ${why}`);
  return why;
}

export interface RedisServer {
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Its data folder. */
  dir: string;
  /** SIGTERM by PID, SIGKILL if it has not exited after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** Save the data on stop (an RDB file in `dir`), so that a restart has it back. */
  persist?: boolean;
  /** Restart: the port and folder of a stopped server. */
  port?: number;
  dir?: string;
  /** Require this password (requirepass). */
  password?: string;
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? tempDir('redis');
  const save = opts.persist ? ['--save', '3600 1', '--dbfilename', 'dump.rdb'] : ['--save', ''];
  const auth = opts.password ? ['--requirepass', opts.password] : [];
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', ...save, '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes', ...auth], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const reply = await command(port, 'PING');
      // A server with a password answers PING with NOAUTH: it is up.
      if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} before answering on port ${port}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on 127.0.0.1:${port} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  return {
    port,
    url: opts.password ? `redis://:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    pid,
    child,
    dir,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
