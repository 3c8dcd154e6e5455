// `npm run bench -- --compare numpy`: the CPU backend and NumPy on the same inputs in the same run.
// The inputs are written once as .npy files (float32, seeded) and read by bench/numpy/compare.py;
// NumPy runs first (all rows, each in a fresh process), then ours; each side the median of the same
// number of consecutive runs. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the NumPy
// processes only. Each row gets `numpyS`, `vsNumpy` (ours / NumPy: below 1 is faster) and both
// sides' thread counts; the SVD and GEMM rows are compared with the faster of NumPy's float32 and float64 calls (ours computes in
// float64). Without python3 and NumPy the bench says so, and the rows keep their timings.json anchors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomSource, Tensor, cp, cpuThreads, mat, matmul, svd, syntheticTensor, tt, tucker, writeNpy } from '../engine';
import { randomizedSvdOfTensor } from './subjects';

type Check = Record<string, number | number[]>;
type Bench = (name: string, work: string, anchor: string | null, setup: () => () => Check | Promise<Check>) => Promise<void>;
interface NumpyRow {
  median_s: number;
  runs_s: number[];
}
interface NumpyOut {
  python: string;
  numpy: string;
  blas: string | null;
  threads: number | null;
  rows: Record<string, NumpyRow>;
}

/** The issue's aims, ours / NumPy (a ratio of at most this). */
export const NUMPY_AIMS: Record<string, number> = {
  'svd_exact_2048^2': 2,
  'randomized_svd_rank64_4096^2': 1.5,
  'gemm_2048^2': 2,
  'cp_128^3_rank16_100iter': 1,
  'tt_16^5_rank8': 1,
  'tucker_hooi_256^3_rank16': 0.2,
};

const gaussian = (shape: number[], seed: number) => {
  const t = new Tensor(shape);
  new RandomSource(seed).fillNormal(t.data);
  return t;
};

interface Case {
  name: string;
  work: string;
  inputs: Tensor[];
  /** NumPy's rows: [op, extra params]; the first is the comparison, a second the float64 variant. */
  numpy: [string, Record<string, unknown>][];
  ours: (x: Tensor[]) => Check | Promise<Check>;
  /** The timings.json entry for the same work (kept when NumPy cannot run). */
  anchor?: string;
}

function cases(only: ((name: string) => boolean) | null): Case[] {
  const all: (() => Case)[] = [
    ...[1024, 2048].map((n) => (): Case => ({
      name: `svd_exact_${n}^2`,
      work: `the thin SVD of a Gaussian ${n}² (all singular values and vectors, float64)`,
      inputs: [gaussian([n, n], 21)],
      numpy: [['svd', {}], ['svd64', {}]],
      ...(n === 2048 ? { anchor: 'numpy_linalg_svd_2048x2048_float32' } : {}),
      ours: ([x]: Tensor[]) => ({ s0: svd(mat(n, n, Float64Array.from(x!.data))).s[0]! }),
    })),
    (): Case => ({
      name: 'randomized_svd_rank64_4096^2',
      work: 'rank-64 randomized SVD of 4096² (oversample 5, 2 power iterations: TensorLy’s randomized_svd)',
      inputs: [syntheticTensor({ kind: 'tucker', shape: [4096, 4096], ranks: [128, 128], noise: 1e-3 }, new RandomSource(6)).tensor],
      numpy: [['rsvd', { rank: 64, oversample: 5, iters: 2 }]],
      anchor: 'tensorly_randomized_svd_rank64_4096x4096_float32',
      ours: async ([x]: Tensor[]) => {
        const r = await randomizedSvdOfTensor(x!, 64, new RandomSource(7));
        return { s0: r.s[0]!, s63: r.s[63]! };
      },
    }),
    ...[128, 256].map((n) => (): Case => ({
      name: `tucker_hooi_${n}^3_rank16`,
      work: `Tucker HOOI of ${n}³ at ranks 16 (init svd, tol 1e-8), ours by Gram + eigensolver, NumPy by TensorLy’s full SVDs of the unfoldings`,
      inputs: [syntheticTensor({ kind: 'tucker', shape: [n, n, n], ranks: [16, 16, 16], noise: 1e-3 }, new RandomSource(1)).tensor],
      numpy: [['tucker', { ranks: [16, 16, 16], iters: 100, tol: 1e-8 }]],
      anchor: `tucker_hooi_${n}^3_rank16_float32`,
      ours: async ([x]: Tensor[]) => {
        const r = await tucker(x!, { ranks: [16, 16, 16], method: 'hooi', init: 'svd', maxIter: 100, tol: 1e-8, random: new RandomSource(2) });
        return { iterations: r.iterations, relError: r.relError };
      },
    })),
    (): Case => ({
      name: 'cp_128^3_rank16_100iter',
      work: 'CP-ALS of 128³ at rank 16, init svd, exactly 100 sweeps (TensorLy’s parafac with tol 0)',
      inputs: [syntheticTensor({ kind: 'cp', shape: [128, 128, 128], ranks: [16], noise: 1e-3 }, new RandomSource(3)).tensor],
      numpy: [['cp', { rank: 16, iters: 100 }]],
      anchor: 'parafac_128^3_rank16_100iter_float32',
      ours: async ([x]: Tensor[]) => {
        const r = await cp(x!, { rank: 16, init: 'svd', maxIter: 100, tol: 0, normalize: false, random: new RandomSource(4) });
        return { iterations: r.iterations, relError: r.relError };
      },
    }),
    (): Case => ({
      name: 'tt_16^5_rank8',
      work: 'TT-SVD of a Gaussian 16⁵ with ranks capped at 8',
      inputs: [gaussian([16, 16, 16, 16, 16], 5)],
      numpy: [['tt', { rank: 8 }]],
      anchor: 'tensor_train_16^5_rank8_float32',
      ours: async ([x]: Tensor[]) => ({ ranks: (await tt(x!, { maxRank: 8 })).ranks }),
    }),
    (): Case => ({
      name: 'gemm_2048^2',
      work: 'C = A·B of float32 2048² (ours sums in float64)',
      inputs: [gaussian([2048, 2048], 8), gaussian([2048, 2048], 9)],
      numpy: [['gemm', {}], ['gemm64', {}]],
      ours: ([a, b]: Tensor[]) => ({ c00: matmul(a!, b!).data[0]! }),
    }),
  ];
  // Inputs are made only for the rows asked for; the smaller rows run first (a row's time should not
  // carry what the 4096² and 256³ rows left behind).
  const names = ['svd_exact_1024^2', 'svd_exact_2048^2', 'randomized_svd_rank64_4096^2', 'tucker_hooi_128^3_rank16', 'tucker_hooi_256^3_rank16', 'cp_128^3_rank16_100iter', 'tt_16^5_rank8', 'gemm_2048^2'];
  const order = ['tt_16^5_rank8', 'cp_128^3_rank16_100iter', 'tucker_hooi_128^3_rank16', 'gemm_2048^2', 'svd_exact_1024^2', 'svd_exact_2048^2', 'randomized_svd_rank64_4096^2', 'tucker_hooi_256^3_rank16'];
  return order.filter((n) => !only || only(n)).map((n) => all[names.indexOf(n)]!());
}

/** The interpreter: CORESPACE_PYTHON, else python3 on the PATH, else Debian's. */
function python(): string | null {
  for (const py of [process.env.CORESPACE_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p)) {
    if (spawnSync(py, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

export async function numpyCompareRows(bench: Bench, row: (name: string) => { medianS: number; check: Check } | undefined, opts: { reps: number; only: string[] | null }): Promise<{ numpy: Omit<NumpyOut, 'rows'> | null; table: string[] }> {
  const only = opts.only ? (n: string) => opts.only!.includes(n) : null;
  const todo = cases(only);
  const py = python();
  let numpy: NumpyOut | null = null;
  if (!py) console.warn('--compare numpy: no python3 with NumPy (scripts/setup-system.sh installs python3-numpy); the rows keep their test/refs/timings.json anchors');
  else {
    const dir = mkdtempSync(join(tmpdir(), 'corespace-bench-'));
    try {
      const rowsOut = todo.flatMap((c, ci) => {
        const files = c.inputs.map((t, i) => {
          const f = join(dir, `${ci}_${i}.npy`);
          writeFileSync(f, writeNpy(t));
          return f;
        });
        return c.numpy.map(([op, params], k) => ({ name: k === 0 ? c.name : `${c.name}_float64`, op, inputs: files, ...params }));
      });
      const manifest = join(dir, 'manifest.json');
      const out = join(dir, 'numpy.json');
      writeFileSync(manifest, JSON.stringify({ reps: opts.reps, rows: rowsOut }));
      const env = { ...process.env };
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
      const script = fileURLToPath(new URL('numpy/compare.py', import.meta.url));
      // One process per row: NumPy's time for a row depended on the rows before it in one process
      // (CP-ALS took 1.0 s alone and 3.0 s after the 256³ HOOI), so each starts fresh.
      for (const row of rowsOut) {
        const r = spawnSync(py, [script, manifest, out, row.name], { env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 3_600_000 });
        if (r.status !== 0) {
          console.warn(`--compare numpy: ${py} ${script} failed on ${row.name} (exit ${r.status})`);
          continue;
        }
        const got = JSON.parse(readFileSync(out, 'utf8')) as NumpyOut;
        if (numpy) Object.assign((numpy as NumpyOut).rows, got.rows);
        else numpy = got;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ours = cpuThreads();
  const table: string[] = [];
  for (const c of todo) {
    await bench(c.name, c.work, numpy ? null : (c.anchor ?? null), () => () => c.ours(c.inputs));
    const mine = row(c.name);
    const theirs = numpy?.rows[c.name];
    if (!mine || !theirs) continue;
    const f64 = numpy!.rows[`${c.name}_float64`];
    const best = Math.min(theirs.median_s, f64?.median_s ?? Infinity);
    Object.assign(mine.check, {
      numpyS: theirs.median_s,
      ...(f64 ? { numpyFloat64S: f64.median_s } : {}),
      vsNumpy: mine.medianS / best,
      threads: ours.threads,
      numpyThreads: numpy!.threads ?? NaN,
    });
    const aim = NUMPY_AIMS[c.name];
    const ratio = mine.medianS / best;
    table.push(
      `| ${c.name} | ${mine.medianS.toFixed(3)} | ${theirs.median_s.toFixed(3)}${f64 ? ` / ${f64.median_s.toFixed(3)}` : ''} | ${ratio.toFixed(2)} | ${aim === undefined ? '—' : `≤ ${aim}${ratio <= aim ? ' ✓' : ' ✗'}`} | ${ours.threads} / ${numpy!.threads ?? '?'} |`,
    );
  }
  if (numpy) {
    console.log(`\nNumPy ${numpy.numpy} (${numpy.blas ?? 'BLAS unknown'}), Python ${numpy.python}; ours: ${ours.threads} threads, ${ours.fma ? 'fused multiply-adds' : 'SIMD multiply and add'}`);
    console.log('| row | ours (s) | NumPy (s) (float32 / float64) | ours / NumPy | aim | threads (ours / NumPy) |\n| --- | --- | --- | --- | --- | --- |');
    for (const t of table) console.log(t);
  }
  return { numpy: numpy ? { python: numpy.python, numpy: numpy.numpy, blas: numpy.blas, threads: numpy.threads } : null, table };
}
