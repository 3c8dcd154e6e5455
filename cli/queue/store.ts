// The queue's shared store, in the same Redis as the jobs: each node's outputs as one record
// (engine/scheduler/codec.ts) under its content key, written in one SET (Redis applies a command
// whole, so a reader sees all of a record or none) and checked against its SHA-256 on every read.
import type { Redis } from 'ioredis';
import { decodeRecord, RecordError } from '../../engine';
import { PREFIX } from './names';

/** How long a result stays in the store after it was last written. */
export const KEEP_SECONDS = 7 * 24 * 3600;

/** The record name of a node's outputs. */
export const outputsName = (key: string): string => `out:${key}`;

export class Store {
  constructor(readonly redis: Redis) {}

  private full(name: string): string {
    return `${PREFIX}:store:${name}`;
  }

  async put(name: string, bytes: Uint8Array, seconds = KEEP_SECONDS): Promise<void> {
    await this.redis.set(this.full(name), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', seconds);
  }

  /** Stores a record under `name` unless it is there already (a name given by its content). */
  async putOnce(name: string, bytes: Uint8Array, seconds = KEEP_SECONDS): Promise<void> {
    if (!(await this.has([name]))[0]) await this.put(name, bytes, seconds);
  }

  /** Which of these records are there. */
  async has(names: readonly string[]): Promise<boolean[]> {
    if (!names.length) return [];
    const pipe = this.redis.pipeline();
    for (const n of names) pipe.exists(this.full(n));
    const replies = (await pipe.exec()) ?? [];
    return replies.map(([err, n]) => {
      if (err) throw err;
      return n === 1;
    });
  }

  /** The record's values, or undefined if there is none. A record that fails its hash (cut short,
   * changed) is deleted and taken as missing: what needs it is computed again. */
  async get(name: string): Promise<unknown> {
    const bytes = await this.bytes(name);
    if (!bytes) return undefined;
    try {
      return await decodeRecord(bytes, `store record ${name}`);
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      await this.redis.del(this.full(name));
      return undefined;
    }
  }

  /** The raw bytes (a worker passes them to its compute thread, which decodes and checks them). */
  async bytes(name: string): Promise<Uint8Array | undefined> {
    const b = await this.redis.getBuffer(this.full(name));
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : undefined;
  }
}
