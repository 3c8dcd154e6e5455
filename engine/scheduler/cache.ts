// Node outputs by content key, kept across runs so that after a param change only that node and
// its descendants run again. Evicts least-recently-used entries beyond a byte budget.
import { Tensor } from '../tensor';

export type NodeOutputs = Record<string, unknown>;

export class OutputCache {
  private readonly entries = new Map<string, { outputs: NodeOutputs; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = 1 << 30) {}

  get(key: string): NodeOutputs | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key); // re-insert: Map order is recency order
    this.entries.set(key, e);
    return e.outputs;
  }

  set(key: string, outputs: NodeOutputs): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    const bytes = sizeInBytes(outputs);
    this.entries.set(key, { outputs, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

function sizeInBytes(value: unknown, depth = 0): number {
  if (value instanceof Tensor) return 4 * value.size; // float32, on the host or still on a device
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (depth > 4 || value === null || typeof value !== 'object') return 8;
  let n = 0;
  for (const v of Object.values(value)) n += sizeInBytes(v, depth + 1);
  return n;
}
