// Device copies of host tensors kept between calls of a run, so data a GPU method produced or
// received stays on the device for the next one: the same input decomposed again (a rank sweep, one
// source feeding several nodes) or a transform's output transformed again is not uploaded twice.
// Engine tensors are immutable once made (node outputs are cached and shared), so a copy stays
// valid while its host tensor lives. Least recently used copies are dropped past `capBytes`.
// A pinned copy is the only copy of a deferred result (its values were never read back): it is not
// dropped until unpinned, and pinned copies together stay within the cap.
import type { Tensor } from '../../tensor';

/** What the cache needs of a device tensor (ops.ts's GpuTensor). */
interface DeviceCopy {
  readonly buffer: GPUBuffer;
  readonly size: number;
}

export class ResidentCache<GpuTensor extends DeviceCopy = DeviceCopy> {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<Tensor, GpuTensor>();
  private readonly buffers = new Set<GPUBuffer>();
  private readonly pinned = new Set<Tensor>();
  private bytes = 0;
  private pinnedBytes = 0;

  constructor(
    readonly capBytes: number,
    /** Called with each dropped copy (its buffer goes back to the pool). */
    private readonly drop: (g: GpuTensor) => void,
  ) {}

  get(t: Tensor): GpuTensor | undefined {
    const g = this.entries.get(t);
    if (g) {
      this.entries.delete(t);
      this.entries.set(t, g);
    }
    return g;
  }

  /** Keeps g as the device copy of t; false (and nothing kept) when it alone exceeds the cap, or,
   * `pinned`, when the pinned copies with it would. */
  put(t: Tensor, g: GpuTensor, pinned = false): boolean {
    const size = 4 * g.size;
    if (size > this.capBytes || this.entries.has(t)) return false;
    if (pinned && this.pinnedBytes + size > this.capBytes) return false;
    this.entries.set(t, g);
    this.buffers.add(g.buffer);
    this.bytes += size;
    if (pinned) {
      this.pinned.add(t);
      this.pinnedBytes += size;
    }
    for (const [old, copy] of this.entries) {
      if (this.bytes <= this.capBytes) break;
      if (this.pinned.has(old)) continue;
      this.entries.delete(old);
      this.buffers.delete(copy.buffer);
      this.bytes -= 4 * copy.size;
      this.drop(copy);
    }
    return true;
  }

  /** Lets t's copy be dropped like any other (its values were read back). */
  unpin(t: Tensor): void {
    if (!this.pinned.delete(t)) return;
    this.pinnedBytes -= 4 * this.entries.get(t)!.size;
  }

  /** Whether the buffer belongs to a kept copy (callers must not release or overwrite it). */
  owns(b: GPUBuffer): boolean {
    return this.buffers.has(b);
  }

  get size(): { entries: number; bytes: number; pinned: number; pinnedBytes: number } {
    return { entries: this.entries.size, bytes: this.bytes, pinned: this.pinned.size, pinnedBytes: this.pinnedBytes };
  }

  clear(): void {
    for (const g of this.entries.values()) this.drop(g);
    this.entries.clear();
    this.buffers.clear();
    this.pinned.clear();
    this.bytes = 0;
    this.pinnedBytes = 0;
  }
}
