// The job-queue tests' Redis (issue 18): started by the test on 127.0.0.1 and a free port, it
// answers, keeps what it is given, and is gone — process and port — once stopped by its PID.
import { afterAll, describe, expect, it } from 'vitest';
import { command, redisMissing, startRedis, type RedisServer } from './redis';

const skip = redisMissing() !== null;
const started: RedisServer[] = [];
afterAll(async () => {
  for (const r of started) await r.stop();
});

describe.skipIf(skip)('a Redis for the tests', () => {
  it('starts on 127.0.0.1, answers PING, keeps a value, and stops by its PID', async () => {
    const redis = await startRedis();
    started.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await command(redis.port, 'PING')).toBe('+PONG\r\n');
    expect(await command(redis.port, 'SET', 'corespace:test', 'ok')).toBe('+OK\r\n');
    expect(await command(redis.port, 'GET', 'corespace:test')).toBe('$2\r\nok\r\n');
    // No snapshots: nothing is written to disk by the tests' server.
    expect(await command(redis.port, 'CONFIG', 'GET', 'save')).toMatch(/^\*2\r\n\$4\r\nsave\r\n\$0\r\n/);
    await redis.stop();
    expect(redis.child.exitCode !== null || redis.child.signalCode !== null).toBe(true);
    expect(() => process.kill(redis.pid, 0)).toThrow();
    await expect(command(redis.port, 'PING')).rejects.toThrow();
  });

  it('two servers run side by side on different ports', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    started.push(a, b);
    expect(a.port).not.toBe(b.port);
    await command(a.port, 'SET', 'k', 'a');
    expect(await command(b.port, 'GET', 'k')).toBe('$-1\r\n');
  });
});
