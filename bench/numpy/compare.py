"""The NumPy side of `npm run bench -- --compare numpy` (bench/compare.ts): the same work on the same
inputs (.npy files written by the bench), each row the median of REPS consecutive runs (wall clock,
time.perf_counter, no warm-up), as test/refs/timings.json was taken.

  svd        numpy.linalg.svd(A, full_matrices=False) of the float32 input, and of float64(A)
  rsvd       TensorLy 0.9's randomized_svd (tensorly/tenalg/svd.py: Q = qr(A·Ω), n_iter times
             Q = qr(Aᵀ·Q), Q = qr(A·Q); B = Qᵀ·A, svd(B), U = Q·U_B) written in NumPy, float32
  tucker     TensorLy's tucker (partial_tucker): init svd (leading left singular vectors of each
             unfolding by numpy.linalg.svd), HOOI sweeps that project on the other factors and take
             the leading singular vectors of the projection's unfolding, stop when the error
             √|‖X‖² − ‖G‖²|/‖X‖ changes by less than tol
  cp         TensorLy's parafac: init svd, ALS sweeps in mode order (MTTKRP = unfolding ·
             Khatri-Rao of the others, then the normal equations), exactly ITERS sweeps (tol 0)
  tt         TensorLy's tensor_train (TT-SVD, rank caps)
  gemm       A @ B in float32, and in float64

usage: python3 compare.py MANIFEST.json OUT.json   (MANIFEST: {"reps": 3, "rows": [{name, op, inputs, …}]})
"""
import json
import os
import platform
import sys
import time

import numpy as np


def unfold(x, mode):
    return np.moveaxis(x, mode, 0).reshape(x.shape[mode], -1)


def multi_mode_dot(x, factors, skip, transpose):
    for mode, f in enumerate(factors):
        if mode == skip:
            continue
        m = f.T if transpose else f
        x = np.moveaxis(np.tensordot(m, x, axes=(1, mode)), 0, mode)
    return x


def leading(m, r):
    u, _, _ = np.linalg.svd(m, full_matrices=False)
    return u[:, :r]


def tucker(x, ranks, iters, tol):
    factors = [leading(unfold(x, k), r) for k, r in enumerate(ranks)]
    norm = np.linalg.norm(x)
    errors = []
    for _ in range(iters):
        for k in range(x.ndim):
            core_approx = multi_mode_dot(x, factors, k, True)
            factors[k] = leading(unfold(core_approx, k), ranks[k])
        core = multi_mode_dot(x, factors, -1, True)
        errors.append(np.sqrt(abs(norm ** 2 - np.linalg.norm(core) ** 2)) / norm)
        if len(errors) > 2 and abs(errors[-2] - errors[-1]) < tol:  # TensorLy: iteration > 1
            break
    return {"iterations": len(errors), "relError": float(errors[-1])}


def khatri_rao(mats):
    out = mats[0]
    for m in mats[1:]:
        out = (out[:, None, :] * m[None, :, :]).reshape(-1, m.shape[1])
    return out


def cp(x, rank, iters):
    factors = []
    for k in range(x.ndim):
        u, s, _ = np.linalg.svd(unfold(x, k), full_matrices=False)
        f = u[:, :rank]
        if k == 0:
            f = f * s[None, :rank]
        factors.append(f)
    for _ in range(iters):
        for k in range(x.ndim):
            others = [f for j, f in enumerate(factors) if j != k]
            gram = np.ones((rank, rank), dtype=x.dtype)
            for f in others:
                gram = gram * (f.T @ f)
            mttkrp = unfold(x, k) @ khatri_rao(others)
            factors[k] = np.linalg.solve(gram.T, mttkrp.T).T
    return {"iterations": iters}


def tensor_train(x, rank):
    shape = x.shape
    d = len(shape)
    unfolding = x
    ranks = [1]
    for k in range(d - 1):
        rows = ranks[-1] * shape[k]
        unfolding = unfolding.reshape(rows, -1)
        r = min(rank, rows, unfolding.shape[1])
        u, s, vt = np.linalg.svd(unfolding, full_matrices=False)
        ranks.append(r)
        unfolding = s[:r, None] * vt[:r, :]
    ranks.append(1)
    return {"ranks": ranks}


def rsvd(a, rank, oversample, iters, seed):
    rng = np.random.RandomState(seed)
    n_dims = min(rank + oversample, max(a.shape))
    q, _ = np.linalg.qr(a @ rng.normal(size=(a.shape[1], n_dims)).astype(a.dtype))
    at = a.T
    for _ in range(iters):
        q, _ = np.linalg.qr(at @ q)
        q, _ = np.linalg.qr(a @ q)
    u, s, vt = np.linalg.svd(q.T @ a, full_matrices=False)
    return {"s0": float(s[0]), "s63": float(s[rank - 1])}


def run(row):
    xs = [np.load(p) for p in row["inputs"]]
    op = row["op"]
    if op == "svd":
        return lambda: {"s0": float(np.linalg.svd(xs[0], full_matrices=False)[1][0])}
    if op == "svd64":
        a = xs[0].astype(np.float64)
        return lambda: {"s0": float(np.linalg.svd(a, full_matrices=False)[1][0])}
    if op == "rsvd":
        return lambda: rsvd(xs[0], row["rank"], row["oversample"], row["iters"], 0)
    if op == "tucker":
        return lambda: tucker(xs[0], row["ranks"], row["iters"], row["tol"])
    if op == "cp":
        return lambda: cp(xs[0], row["rank"], row["iters"])
    if op == "tt":
        return lambda: tensor_train(xs[0], row["rank"])
    if op == "gemm":
        return lambda: {"c00": float((xs[0] @ xs[1])[0, 0])}
    if op == "gemm64":
        a, b = xs[0].astype(np.float64), xs[1].astype(np.float64)
        return lambda: {"c00": float((a @ b)[0, 0])}
    raise ValueError(f"unknown op {op}")


def blas_threads():
    try:
        from threadpoolctl import threadpool_info

        return max((p.get("num_threads", 0) for p in threadpool_info()), default=None)
    except ImportError:
        env = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
        # OpenBLAS starts one thread per core unless told otherwise.
        return int(env) if env else os.cpu_count()


def blas_name():
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # NumPy < 1.25 has no dict form
        return None


def main():
    manifest = json.load(open(sys.argv[1]))
    reps = manifest.get("reps", 3)
    only = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None
    out = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_name(),
        "threads": blas_threads(),
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
        "rows": {},
    }
    for row in manifest["rows"]:
        if only and row["name"] not in only:
            continue
        fn = run(row)
        runs, check = [], {}
        for _ in range(reps):
            t0 = time.perf_counter()
            check = fn()
            runs.append(time.perf_counter() - t0)
        out["rows"][row["name"]] = {"median_s": sorted(runs)[len(runs) // 2], "runs_s": runs, "check": check}
        print(f"numpy {row['name']:<32} {out['rows'][row['name']]['median_s']:.3f} s", file=sys.stderr, flush=True)
    json.dump(out, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()
