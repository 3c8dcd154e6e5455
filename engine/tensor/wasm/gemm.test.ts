import { describe, expect, it } from 'vitest';
import { gemmWasmModuleText } from '../../../scripts/build-wasm';
import { RandomSource } from '../../random';
import { GEMM_FMA_WASM_BASE64, GEMM_WASM_BASE64 } from './gemm-wasm';
import { cpuThreads, defaultThreads, gemmWasm, lastSplit, setThreads } from './gemm';
import { gemmRowsByRows } from '../matmul';

describe('WebAssembly SIMD gemm', () => {
  it('the checked-in module is what scripts/build-wasm.ts generates (run npm run build:wasm)', async () => {
    const { ts } = await gemmWasmModuleText();
    expect(ts).toContain(GEMM_WASM_BASE64);
    expect(ts).toContain(GEMM_FMA_WASM_BASE64);
  });

  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [2, 4, 8],
    [7, 9, 13],
    [33, 31, 64],
  ])('%i×%i×%i agrees with the float64 triple loop to rounding, float32 or float64 inputs', (m, n, k) => {
    const rnd = new RandomSource(m * 100 + n);
    const a = new Float64Array(m * k);
    const bt = new Float32Array(n * k);
    rnd.fillNormal(a);
    rnd.fillNormal(bt);
    const out = new Float64Array(m * n).fill(NaN);
    expect(gemmWasm(a, bt, m, n, k, out)).toBe(true);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        let size = 0;
        for (let p = 0; p < k; p++) {
          s += a[i * k + p]! * bt[j * k + p]!;
          size += Math.abs(a[i * k + p]! * bt[j * k + p]!);
        }
        expect(Math.abs(out[i * n + j]! - s)).toBeLessThanOrEqual(4 * k * 2 ** -53 * size);
      }
    // The dispatcher gives the same numbers as calling the kernel directly.
    const viaDispatch = gemmRowsByRows(a, bt, m, n, k, new Float64Array(m * n));
    if (m * n * k >= 32 ** 3) expect([...viaDispatch]).toEqual([...out]);
  });

  // The pool splits C into tiles; each entry is summed over k in the same blocks whichever thread
  // takes its tile, so the bits do not depend on the thread count (no tolerance needed).
  it('threaded products equal the one-thread product bit for bit, and one thread works alone', async () => {
    const [m, n, k] = [301, 263, 517]; // above the threading threshold, ragged tiles and an odd k
    const rnd = new RandomSource(11);
    const a = new Float64Array(m * k);
    const bt = new Float32Array(n * k);
    rnd.fillNormal(a);
    rnd.fillNormal(bt);
    const run = (threads: number) => {
      setThreads(threads);
      expect(cpuThreads().threads).toBe(threads);
      const out = new Float64Array(m * n).fill(NaN);
      expect(gemmWasm(a, bt, m, n, k, out)).toBe(true);
      return out;
    };
    try {
      const one = run(1);
      expect(lastSplit().caller).toBe(lastSplit().tiles);
      for (const [i, j] of [[0, 0], [m - 1, n - 1], [150, 77]] as const) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p]! * bt[j * k + p]!;
        expect(Math.abs(one[i * n + j]! - s)).toBeLessThan(1e-11);
      }
      for (const threads of [2, 3]) {
        let many = run(threads);
        // Workers start in the background: products run on the caller alone until one has.
        await expect.poll(() => ((many = run(threads)), lastSplit().caller), { timeout: 20_000 }).toBeLessThan(lastSplit().tiles);
        let same = true;
        for (let i = 0; i < m * n; i++) if (!Object.is(many[i], one[i])) same = false;
        expect(same, `${threads} threads`).toBe(true);
      }
    } finally {
      setThreads(defaultThreads());
    }
  });

  it('refuses a thread count that is not a whole number ≥ 1, naming the fix', () => {
    expect(() => setThreads(0)).toThrow(/threads must be a whole number ≥ 1, got 0/);
    const saved = process.env.CORESPACE_THREADS;
    process.env.CORESPACE_THREADS = 'all';
    try {
      expect(() => defaultThreads()).toThrow(/^CORESPACE_THREADS must be a whole number ≥ 1 .*got "all": unset it to use every core$/);
    } finally {
      if (saved === undefined) delete process.env.CORESPACE_THREADS;
      else process.env.CORESPACE_THREADS = saved;
    }
  });
});

describe('the SIMD transpose', () => {
  it.each([[1, 1], [7, 5], [8, 16], [131, 67], [300, 9]])('%i×%i: every entry moves to its transposed place', async (rows, cols) => {
    const { heapArray, heapTranspose, releaseHeapArray } = await import('./gemm');
    const src = heapArray(rows * cols)!;
    const dst = heapArray(rows * cols)!;
    for (let i = 0; i < src.length; i++) src[i] = i + 0.5;
    expect(heapTranspose(src, rows, cols, dst)).toBe(true);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(dst[j * rows + i]).toBe(src[i * cols + j]);
    // Arrays outside the kernel's memory are refused (the caller transposes in JavaScript).
    expect(heapTranspose(new Float64Array(4), 2, 2, dst)).toBe(false);
    releaseHeapArray(src);
    releaseHeapArray(dst);
  });
});
