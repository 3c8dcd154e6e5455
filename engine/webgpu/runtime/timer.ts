// GPU-side timing of compute passes by timestamp queries (where the device has 'timestamp-query'):
// each timed pass writes its start and end; `totalMs` resolves them after the work is submitted and
// sums the passes' durations — kernel time without the host's submit and wait (for benchmarks).
export class GpuTimer {
  private readonly set: GPUQuerySet;
  private next = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly capacity: number,
  ) {
    this.set = device.createQuerySet({ label: 'corespace timer', type: 'timestamp', count: 2 * capacity });
  }

  /** The descriptor of the next timed pass (untimed once `capacity` passes are taken). */
  pass(label: string): GPUComputePassDescriptor {
    if (this.next >= this.capacity) return { label };
    const i = this.next++;
    return { label, timestampWrites: { querySet: this.set, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } };
  }

  /** Milliseconds summed over the timed passes (call after submitting them). */
  async totalMs(): Promise<number> {
    const n = 2 * this.next;
    const resolve = this.device.createBuffer({ label: 'timer resolve', size: 8 * n, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const readback = this.device.createBuffer({ label: 'timer readback', size: 8 * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder({ label: 'timer encoder' });
    encoder.resolveQuerySet(this.set, 0, n, resolve, 0);
    encoder.copyBufferToBuffer(resolve, 0, readback, 0, 8 * n);
    this.device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const t = new BigUint64Array(readback.getMappedRange().slice(0));
    readback.unmap();
    let ns = 0n;
    for (let i = 0; i < n; i += 2) ns += t[i + 1]! - t[i]!;
    for (const b of [resolve, readback]) b.destroy();
    this.set.destroy();
    return Number(ns) / 1e6;
  }
}

/** Submits `encoder` (holding `repeats` runs of what is timed) on an idle queue and waits for it:
 * milliseconds per run from the host clock, and from `timer`'s passes where there is one. */
export async function timedSubmit(device: GPUDevice, encoder: GPUCommandEncoder, repeats: number, timer: GpuTimer | null): Promise<{ wallMs: number; gpuMs: number | null }> {
  await device.queue.onSubmittedWorkDone();
  const t0 = performance.now();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  const wallMs = (performance.now() - t0) / repeats;
  return { wallMs, gpuMs: timer ? (await timer.totalMs()) / repeats : null };
}
