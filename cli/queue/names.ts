// Where Corespace's jobs and records live in Redis: BullMQ's keys under the "corespace" prefix, one
// queue per backend (a worker takes the jobs of the backend it runs), and the store beside them.
export const PREFIX = 'corespace';

export const queueName = (backend: string): string => `jobs-${backend}`;
/** The channel a runner announces a cancelled run on (message: {"run": id}). */
export const CANCEL_CHANNEL = `${PREFIX}:cancel`;
/** Set when a run is cancelled, so a worker that takes one of its jobs later drops it. */
export const cancelledKey = (run: string): string => `${PREFIX}:cancelled:${run}`;

/** ioredis options shared by the runner and the workers: a quick connect timeout and steady
 * reconnect attempts (the runner decides when a queue is gone; a worker waits for it to return). */
export const redisOptions = {
  connectTimeout: 2000,
  retryStrategy: () => 500,
  lazyConnect: false,
} as const;
