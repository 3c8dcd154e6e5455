// TT-SVD on the GPU (Oseledets 2011, Alg. 1, as engine/decomp/tt.ts): the remainder stays on the
// device; each step's left subspace is taken from the unfolding C ((r_k·I_k) × rest), and the
// remainder becomes U_rᵀ·C by a product on the device. Where the unfolding is small (rows²·cols ≤
// HOST_SUBSPACE_WORK), tall, or an eps rank must be chosen from its singular values, C is read back
// and the step taken on the host in float64 exactly as on the CPU (a float32 Gram matrix cannot
// resolve the tails an eps decision needs); otherwise its Gram matrix C·Cᵀ is formed on the device
// and its eigenvectors taken on the host. The error ‖A − TT‖F is formed on the device: the train
// is contracted by products, the last one written as A − TT into a copy of A.
import { mat, type Mat } from '../linalg';
import { leadingFromGram } from '../decomp/common';
import { planTt, ttStep, type TtOptions, type TtResult } from '../decomp/tt';
import { Tensor, finiteSumSquares } from '../tensor';
import { GpuTensor, HOST_SUBSPACE_WORK, type GpuOps } from './ops';

export async function ttGpu(ops: GpuOps, input: Tensor, opts: TtOptions): Promise<TtResult> {
  const a2 = await finiteSumSquares(input);
  const { caps, tol } = planTt(input, opts);
  const shape = input.shape;
  const d = shape.length;
  const x = await ops.input(input, 'tt input');
  const ranks = [1];
  const cores: Tensor[] = [];
  const onDevice: GpuTensor[] = [];
  let rest = x;
  try {
    for (let k = 0; k < d - 1; k++) {
      const rows = ranks[k]! * shape[k]!;
      const cols = rest.size / rows;
      const c = new GpuTensor([rows, cols], rest.buffer);
      let u: Mat;
      let r: number;
      if (tol !== undefined || rows >= cols || rows * rows * cols <= HOST_SUBSPACE_WORK) {
        const host = rest === x ? await input.materialize() : await ops.read(c);
        ({ u, r } = ttStep(mat(rows, cols, Float64Array.from(host.data)), caps[k], tol));
      } else {
        r = Math.min(caps[k] ?? Infinity, rows);
        const g = ops.matmul(c, c, { transB: true });
        const w = await ops.read(g);
        ops.release(g);
        u = leadingFromGram(mat(rows, rows, Float64Array.from(w.data)), r).u;
      }
      const core = new Tensor([ranks[k]!, shape[k]!, r]);
      for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) core.data[i * r + j] = u.data[i * u.cols + j]!;
      cores.push(core);
      const coreGpu = ops.upload(new Tensor([rows, r], core.data), `tt core ${k}`);
      onDevice.push(coreGpu);
      const next = ops.matmul(coreGpu, c, { transA: true }); // U_rᵀ·C, r × cols
      if (rest !== x) ops.release(rest);
      rest = next;
      ranks.push(r);
      opts.onStep?.(k, d - 1, r);
    }
    const last = await ops.read(rest);
    cores.push(new Tensor([ranks[d - 1]!, shape[d - 1]!, 1], last.data));
    onDevice.push(new GpuTensor([ranks[d - 1]!, shape[d - 1]!], rest.buffer));
    ranks.push(1);
    return { cores, ranks, relError: await relError(ops, a2, x, onDevice) };
  } finally {
    ops.release(x, ...onDevice);
    if (rest !== x && !onDevice.some((t) => t.buffer === rest.buffer)) ops.release(rest);
    ops.flush();
  }
}

/** ‖A − TT‖F/‖A‖F: cur ((I₀…I_{k−1}) × r_k) · G_k (r_k × I_k·r_{k+1}) left to right on the device,
 * the last product written as A − TT into a copy of A. */
async function relError(ops: GpuOps, a2: number, x: GpuTensor, cores: readonly GpuTensor[]): Promise<number> {
  if (a2 === 0 || cores.length === 1) return 0;
  let cur = cores[0]!; // I₀ × r₁
  for (let k = 1; k < cores.length; k++) {
    const rk = cur.shape[1]!;
    const wide = new GpuTensor([rk, cores[k]!.size / rk], cores[k]!.buffer);
    const last = k === cores.length - 1;
    const into = last ? { alpha: -1, beta: 1, into: new GpuTensor([cur.shape[0]!, wide.shape[1]!], ops.copy(x).buffer) } : {};
    const out = ops.matmul(cur, wide, into);
    if (k > 1) ops.release(cur);
    const next = last ? 1 : cores[k]!.shape[1]!;
    cur = new GpuTensor([out.size / next, next], out.buffer);
  }
  const r2 = await ops.sumSquares(cur);
  ops.release(cur);
  return Math.sqrt(r2 / a2);
}
