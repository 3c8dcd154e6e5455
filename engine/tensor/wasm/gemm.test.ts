import { describe, expect, it } from 'vitest';
import { gemmWasmModuleText } from '../../../scripts/build-wasm';
import { RandomSource } from '../../random';
import { GEMM_WASM_BASE64 } from './gemm-wasm';
import { gemmWasm } from './gemm';
import { gemmRowsByRows } from '../matmul';

describe('WebAssembly SIMD gemm', () => {
  it('the checked-in module is what scripts/build-wasm.ts generates (run npm run build:wasm)', async () => {
    const { ts } = await gemmWasmModuleText();
    expect(ts).toContain(GEMM_WASM_BASE64);
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
});
