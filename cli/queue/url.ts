// A job queue's address: redis://[user:password@]host[:port][/db] or rediss:// (TLS). The password
// never leaves this module in words: every message, log line and run.json shows the redacted form.

export interface QueueAddress {
  /** For messages and records: the URL with any password replaced by ***. */
  shown: string;
  /** ioredis connection options. */
  connection: { host: string; port: number; db: number; username?: string; password?: string; tls?: Record<string, never> };
}

export function parseQueueUrl(url: string): QueueAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--queue '${redactText(url)}' is not a URL; write it as redis://HOST:PORT, e.g. redis://127.0.0.1:6379`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--queue ${redact(u)}: the queue is a Redis server (redis:// or rediss://), not ${u.protocol.slice(0, -1)}`);
  if (!u.hostname) throw new Error(`--queue ${redact(u)}: no host; write it as redis://HOST:PORT`);
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`--queue ${redact(u)}: the database after the host must be a number (e.g. /0), got '${u.pathname.slice(1)}'`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    shown: redact(u),
    connection: {
      host,
      port,
      db,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

function redact(u: URL): string {
  const c = new URL(u.href);
  if (c.password) c.password = '***';
  return c.href.replace(/\/$/, '');
}

/** A queue URL (or text holding one) with its password replaced by ***, for what cannot be parsed. */
export function redactText(text: string): string {
  return text.replace(/(rediss?:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
}

/** A connection error in words, without any queue URL (with its password) a client library echoes. */
export function errorText(e: Error): string {
  return e.message.replace(/rediss?:\/\/\S+/g, '(the queue)').replace(/^connect /, '');
}
