// Reuses GPU buffers between dispatches: sizes round up to a power of two (≥ 256 bytes) up to
// 64 MiB and to a multiple of 16 MiB above (so a tensor that fits a storage binding gets a buffer
// that still does), and a buffer serves any later request of its class and usage. Released buffers wait in free lists;
// `trim()` destroys them (after a run, or when memory is short).

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  /** Buffers handed out by acquire() that were newly created, and reused (for tests and benches). */
  readonly stats = { created: 0, reused: 0 };

  constructor(private readonly device: GPUDevice) {}

  static sizeClass(bytes: number): number {
    if (bytes > LARGE) return Math.ceil(bytes / STEP) * STEP;
    return Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
  }

  acquire(label: string, bytes: number, usage: number): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const list = this.free.get(`${size}:${usage}`);
    const hit = list?.pop();
    if (hit) {
      this.stats.reused++;
      return hit;
    }
    this.stats.created++;
    return this.device.createBuffer({ label: `${label} (${size} B)`, size, usage });
  }

  release(...buffers: GPUBuffer[]): void {
    for (const b of buffers) {
      const key = `${b.size}:${b.usage}`;
      const list = this.free.get(key) ?? [];
      list.push(b);
      this.free.set(key, list);
    }
  }

  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
  }
}

const LARGE = 64 * 2 ** 20;
const STEP = 16 * 2 ** 20;
