// The CPU's threads: one shared WebAssembly memory, the GEMM kernel instantiated on it by the calling
// thread and by `threads − 1` workers (worker_threads in Node, Web Workers in a browser), which split
// each large product into tiles of C and take them from a shared counter. A tile is the same
// arithmetic whoever computes it (every entry is summed over k in the same order, blocks of KC), so
// a product's bits do not depend on the thread count or on which thread took which tile.
//
// The caller blocks (Atomics.wait) until the tiles are done: the engine runs in a worker (the
// editor's engine worker, the CLI's run worker) or in Node, where that is allowed; a thread that
// may not block computes alone. Workers that have not started yet simply take no tiles, so a
// product never waits on a worker's start-up. Workers are unref'd in Node: the CLI exits at once.

/** Tiles of C: MC rows of A by NC rows of Bt, each summed over k in blocks of KC (L2-sized panels). */
const MC = 32;
const NC = 64;
const KC = 256;
/** Claims are (tag << 20) | tile, so a worker that wakes late cannot take a tile of the next job. */
const TILE_BITS = 20;
const TAG_MASK = 0x3ff;

// Control words (Int32): generation, claim counter, tiles done, error flag, then the job.
const GEN = 0;
const CLAIM = 1;
const DONE = 2;
const FAILED = 3;
/** Workers that have instantiated the kernel (they take tiles from then on). */
const STARTED = 31;
const [A, BT, C, M, N, K, TILES, ROW_TILES, MC_AT, LDC, ACC, LDA, LDB, KIND] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
/** Job kinds: a GEMM, y += Aᵀ·v (tiles of columns), x = A·u (tiles of rows). */
const [GEMM, GEMVT, GEMVN, TRANSPOSE] = [0, 1, 2, 3];
/** Rows per tile of a transpose. */
const TRANSPOSE_TILE = 64;
/** Columns (gemvt) or rows (gemvn) per tile of a matrix–vector product. */
const GEMV_TILE = 512;

// One source for the tile loop, run by the caller (through new Function) and by the workers.
const TILE_SOURCE = `
function runTile(kn, P, t) {
  const a = P[${A}], b = P[${BT}], c = P[${C}], m = P[${M}], n = P[${N}], k = P[${K}], kind = P[${KIND}];
  if (kind === ${GEMVT}) {
    const j0 = t * ${GEMV_TILE};
    kn.gemvt(a + j0 * 8, b, c + j0 * 8, m, Math.min(${GEMV_TILE}, n - j0), k);
    return;
  }
  if (kind === ${TRANSPOSE}) {
    const i0 = t * ${TRANSPOSE_TILE};
    kn.transpose(a + i0 * P[${LDA}] * 8, b + i0 * 8, Math.min(${TRANSPOSE_TILE}, m - i0), n, P[${LDA}], P[${LDB}]);
    return;
  }
  if (kind === ${GEMVN}) {
    const i0 = t * ${GEMV_TILE};
    kn.gemvn(a + i0 * k * 8, b, c + i0 * 8, Math.min(${GEMV_TILE}, m - i0), n, k);
    return;
  }
  const mc = P[${MC_AT}], rowTiles = P[${ROW_TILES}], ldc = P[${LDC}], acc = P[${ACC}], lda = P[${LDA}], ldb = P[${LDB}];
  const i0 = (t % rowTiles) * mc, j0 = Math.floor(t / rowTiles) * ${NC};
  const rows = Math.min(mc, m - i0), cols = Math.min(${NC}, n - j0);
  for (let p = 0; p < k; p += ${KC}) {
    kn.kernel(a + (i0 * lda + p) * 8, b + (j0 * ldb + p) * 8, c + (i0 * ldc + j0) * 8, rows, cols, Math.min(${KC}, k - p), lda, ldb, ldc, p > 0 ? 1 : acc);
  }
}
function work(kernel, P, gen) {
  const tag = gen & ${TAG_MASK}, tiles = P[${TILES}];
  for (let mine = 0; ; mine++) {
    const cur = Atomics.load(P, ${CLAIM});
    if (cur >>> ${TILE_BITS} !== tag) return mine;
    const t = cur & ${(1 << TILE_BITS) - 1};
    if (t >= tiles) return mine;
    if (Atomics.compareExchange(P, ${CLAIM}, cur, cur + 1) !== cur) { mine--; continue; }
    try { runTile(kernel, P, t); } catch (e) { Atomics.store(P, ${FAILED}, 1); }
    if (Atomics.add(P, ${DONE}, 1) + 1 === tiles) Atomics.notify(P, ${DONE});
  }
}
`;

const WORKER_SOURCE = `${TILE_SOURCE}
function start({ module, memory, control }) {
  const P = new Int32Array(control);
  const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.add(P, ${STARTED}, 1);
  let seen = Atomics.load(P, ${GEN});
  for (;;) {
    if (seen >= 0) work(kernel, P, seen);
    Atomics.wait(P, ${GEN}, seen);
    seen = Atomics.load(P, ${GEN});
  }
}
if (typeof require === 'function') require('node:worker_threads').parentPort.once('message', (d) => { start(d); process.exit(0); });
else self.onmessage = (e) => { start(e.data); self.close(); };
`;

export interface Kernels {
  kernel(a: number, bt: number, c: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, acc: number): void;
  gemvt(a: number, v: number, y: number, m: number, n: number, ld: number): void;
  gemvn(a: number, u: number, x: number, m: number, n: number, ld: number): void;
  transpose(src: number, dst: number, rows: number, cols: number, lds: number, ldd: number): void;
}
type KernelFn = Kernels;
interface AnyWorker {
  postMessage(data: unknown): void;
  terminate(): unknown;
  unref?(): void;
}

type TileCode = { runTile: (kernel: KernelFn, p: Int32Array, t: number) => void; work: (kernel: KernelFn, p: Int32Array, gen: number) => number };
/** The tile loop for the calling thread, made on first use (a page whose Content-Security-Policy
 * forbids eval makes load() fail here, and products fall back to JavaScript). */
let tileCode: TileCode | null = null;
const tileLoop = (): TileCode => (tileCode ??= new Function(`${TILE_SOURCE}; return { runTile, work };`)() as TileCode);

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(): boolean {
  const g = globalThis as { document?: unknown };
  return typeof SharedArrayBuffer !== 'undefined' && g.document === undefined;
}

function spawn(): AnyWorker | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker: new (src: string, o: object) => AnyWorker } | undefined;
  if (wt) return new wt.Worker(WORKER_SOURCE, { eval: true });
  const W = (globalThis as { Worker?: new (url: string) => AnyWorker }).Worker;
  if (!W || typeof Blob === 'undefined' || typeof URL?.createObjectURL !== 'function') return null;
  return new W(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
}

export class ThreadPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(128));
  private workers: AnyWorker[] = [];
  private gen = 0;
  /** The last product's tiles, and how many of them the calling thread computed. */
  lastSplit = { tiles: 0, caller: 0 };

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly kernel: KernelFn,
  ) {
    tileLoop();
  }

  /** Workers beside the caller; started (or stopped) to match `threads − 1`. */
  resize(threads: number): void {
    const want = canBlock() ? Math.max(0, threads - 1) : 0;
    if (this.workers.length > want) this.close();
    while (this.workers.length < want) {
      const w = spawn();
      if (!w) break;
      w.unref?.();
      w.postMessage({ module: this.module, memory: this.memory, control: this.control.buffer });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length + 1;
  }

  /** The caller and the workers that have started. */
  get running(): number {
    return 1 + Math.min(this.workers.length, Atomics.load(this.control, STARTED));
  }

  /** C (+)= A·Btᵀ on operands in the shared memory (byte offsets; row strides lda, ldb and ldc,
   * packed by default), in tiles; with `parallel` the workers are woken to take some (small products
   * stay on the calling thread: same bits). */
  gemm(a: number, bt: number, c: number, m: number, n: number, k: number, parallel: boolean, strides: { lda?: number; ldb?: number; ldc?: number; acc?: boolean } = {}): void {
    let mc = MC;
    const colTiles = Math.ceil(n / NC);
    while (Math.ceil(m / mc) * colTiles >= 1 << TILE_BITS) mc *= 2;
    const rowTiles = Math.ceil(m / mc);
    const { lda = k, ldb = k, ldc = n, acc = false } = strides;
    this.run(GEMM, [a, bt, c, m, n, k, rowTiles * colTiles, rowTiles, mc, ldc, acc ? 1 : 0, lda, ldb], parallel);
  }

  /** y += Aᵀ·v for A (m × n, row stride ld) — column tiles. */
  gemvt(a: number, v: number, y: number, m: number, n: number, ld: number, parallel: boolean): void {
    this.run(GEMVT, [a, v, y, m, n, ld, Math.ceil(n / GEMV_TILE), 0, 0, 0, 0, 0, 0], parallel);
  }

  /** x = A·u for A (m × n, row stride ld) — row tiles. */
  gemvn(a: number, u: number, x: number, m: number, n: number, ld: number, parallel: boolean): void {
    this.run(GEMVN, [a, u, x, m, n, ld, Math.ceil(m / GEMV_TILE), 0, 0, 0, 0, 0, 0], parallel);
  }

  /** dst = srcᵀ: src rows × cols (row stride lds), dst cols × rows (row stride ldd); row tiles. */
  transpose(src: number, dst: number, rows: number, cols: number, lds: number, ldd: number, parallel: boolean): void {
    this.run(TRANSPOSE, [src, dst, 0, rows, cols, 0, Math.ceil(rows / TRANSPOSE_TILE), 0, 0, 0, 0, lds, ldd], parallel);
  }

  private run(kind: number, params: number[], parallel: boolean): void {
    const P = this.control;
    const tiles = params[TILES - A]!;
    if (tiles === 0) return;
    P.set(params, A);
    P[KIND] = kind;
    const gen = (this.gen = (this.gen + 1) & 0x3fffffff);
    Atomics.store(P, DONE, 0);
    Atomics.store(P, FAILED, 0);
    Atomics.store(P, CLAIM, (gen & TAG_MASK) << TILE_BITS);
    Atomics.store(P, GEN, gen);
    if (parallel && this.workers.length) Atomics.notify(P, GEN);
    this.lastSplit = { tiles, caller: tileCode!.work(this.kernel, P, gen) };
    for (let d = Atomics.load(P, DONE); d < tiles; d = Atomics.load(P, DONE)) Atomics.wait(P, DONE, d);
    if (Atomics.load(P, FAILED)) throw new Error('a worker thread failed in the matrix product kernel');
  }

  /** Stops the workers (they finish no further tiles; the caller computes alone until resized). */
  close(): void {
    while (this.workers.length) this.stopWorker(this.workers.pop()!);
    Atomics.store(this.control, STARTED, 0);
  }

  private stopWorker(w: AnyWorker): void {
    void w.terminate();
  }
}
