import { describe, expect, it } from 'vitest';
import { refInput } from '../../test/refs/refs';
import { mat, svd } from '../linalg';
import { Tensor } from '../tensor';
import { dwt } from '../transforms';
import { lowrankSubbands } from './subbands';

const x = refInput('dwt_2d_64x96');

describe('low-rank wavelet subbands', () => {
  it('is exact when every subband keeps full rank', async () => {
    expect((await lowrankSubbands(x, { wavelet: 'db2', levels: 2, rank: 96 })).relError).toBeLessThan(1e-6);
  });

  it('loses exactly the SVD tails of the subbands (Parseval: the DWT is orthonormal)', async () => {
    const k = 3;
    const r = await lowrankSubbands(x, { wavelet: 'haar', levels: 1, rank: k });
    const c = await dwt(x, { wavelet: 'haar', levels: 1 });
    let tail = 0;
    for (const [r0, c0] of [[0, 0], [32, 0], [0, 48], [32, 48]] as const) {
      const a = mat(32, 48);
      for (let i = 0; i < 32; i++) for (let j = 0; j < 48; j++) a.data[i * 48 + j] = c.data[(r0 + i) * 96 + c0 + j]!;
      tail += svd(a).s.slice(k).reduce((s, v) => s + v * v, 0);
    }
    const norm2 = x.data.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(r.relError - Math.sqrt(tail / norm2))).toBeLessThan(1e-6);
    expect(r.params).toBe(4 * k * (32 + 48 + 1));
    expect(r.blocks.map((b) => b.name)).toEqual(['cA1', 'da1', 'ad1', 'dd1']);
  });

  it('refuses a tensor that is not a matrix and sizes the levels cannot halve', async () => {
    await expect(lowrankSubbands(Tensor.zeros([4, 4, 4]), { wavelet: 'haar', levels: 1, rank: 1 })).rejects.toThrow(/needs a matrix \(2-D\), got a 3-D tensor/);
    await expect(lowrankSubbands(Tensor.zeros([12, 8]), { wavelet: 'haar', levels: 3, rank: 1 })).rejects.toThrow(/divisible by 8, but it has 12/);
  });
});
