// Talking to a Redis without a client library, for the tests' and the benchmark's own checks: a free
// port to start one on, and one command at a time over RESP. Imports nothing of the test runner, so
// bench/queue.ts uses it too.
import { createServer, Socket } from 'node:net';

/** A port nobody listens on now (the OS's pick for an ephemeral listener, closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** One RESP command over a fresh connection, followed by QUIT: the whole reply (the server closes
 * the connection after QUIT's "+OK", so a reply that arrives in pieces is still read whole). */
export function command(port: number, ...args: string[]): Promise<string> {
  const encode = (parts: string[]) => `*${parts.length}\r\n${parts.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`no reply from 127.0.0.1:${port}`)));
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => socket.write(encode(args) + encode(['QUIT'])));
    socket.on('data', (d) => (reply += d.toString('utf8')));
    socket.once('close', () => (reply.endsWith('+OK\r\n') ? resolve(reply.slice(0, -5)) : reject(new Error(`incomplete reply from 127.0.0.1:${port}: ${JSON.stringify(reply)}`))));
  });
}

