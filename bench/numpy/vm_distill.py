"""A straightforward NumPy implementation of radiance.distill's VM fit, for the benchmark's per-step
comparison (bench/radiance.ts): the same step as engine/radiance/distill.ts with active learning off —
points uniform in the box (dense teacher and VM student evaluated there, clamped-log density and
opacity-weighted colour losses, a tenth of the weight once rays train), then, after the first third of
the steps, rays from random orbit cameras rendered by both (emission-absorption, midpoint samples),
the squared colour error backpropagated through the renderer and the VM's bilinear/linear
interpolation (np.add.at for the scatter), and one Adam step (basis at a tenth of the rate).
Vectorised over points, rays and samples; float32 storage like the engine. Alignment is left out (the
engine's time per step excludes it too). Prints one JSON line: steps, seconds, stepsPerSecond.

usage: python3 vm_distill.py N RS RC STEPS RAYS POINTS SAMPLES
"""
import json
import sys
import time

import numpy as np

N, RS, RC, STEPS, RAYS, POINTS, SAMPLES = (int(a) for a in sys.argv[1:8])
rng = np.random.default_rng(0)
PAIRS = [((0, 1), 2), ((0, 2), 1), ((1, 2), 0)]
f32 = np.float32

# A dense teacher (spheres in a cloud would do; any grid costs the same): random smooth values.
teacher = np.empty((N, N, N, 4), f32)
g = np.linspace(-1, 1, N, dtype=f32)
X, Y, Z = np.meshgrid(g, g, g, indexing="ij")
teacher[..., 0] = 20 * np.exp(-8 * ((X - 0.2) ** 2 + Y ** 2 + (Z + 0.1) ** 2))
teacher[..., 1] = 0.5 + 0.4 * np.sin(3 * X)
teacher[..., 2] = 0.5 + 0.4 * np.cos(2 * Y)
teacher[..., 3] = 0.5 + 0.4 * np.sin(Z + X)

params = {}
for p in range(3):
    params[f"dp{p}"] = (0.1 * rng.standard_normal((RS, N, N))).astype(f32)
    params[f"dl{p}"] = (0.1 * rng.standard_normal((RS, N))).astype(f32)
for p in range(3):
    params[f"cp{p}"] = (0.1 * rng.standard_normal((RC, N, N))).astype(f32)
    params[f"cl{p}"] = (0.1 * rng.standard_normal((RC, N))).astype(f32)
params["basis"] = (0.1 * rng.standard_normal((3 * RC, 3))).astype(f32)
m = {k: np.zeros_like(v) for k, v in params.items()}
v2 = {k: np.zeros_like(v) for k, v in params.items()}


def cells(x):
    """Lower node and fraction per coordinate (corner-aligned), and which points are inside."""
    inside = np.all((x >= -1) & (x <= 1), axis=1)
    t = (np.clip(x, -1, 1) + 1) / 2 * (N - 1)
    i = np.minimum(np.floor(t).astype(np.int64), N - 2)
    return i, (t - i).astype(f32), inside


def dense_eval(x):
    i, f, inside = cells(x)
    out = np.zeros((len(x), 4), f32)
    for c in range(8):
        d = [(c >> a) & 1 for a in range(3)]
        w = np.ones(len(x), f32)
        for a in range(3):
            w *= f[:, a] if d[a] else 1 - f[:, a]
        out += w[:, None] * teacher[i[:, 0] + d[0], i[:, 1] + d[1], i[:, 2] + d[2]]
    out[~inside] = 0
    return out[:, 0], out[:, 1:]


def softplus(z):
    return np.logaddexp(0, z)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def vm_eval(x, up_sigma=None, up_rgb=None, grads=None):
    """σ, RGB at points; with upstream gradients, dL/dθ added into grads."""
    i, f, inside = cells(x)
    parts = []
    feature = np.zeros(len(x), f32)
    feats = np.zeros((len(x), 3 * RC), f32)
    for p, ((a, b), l) in enumerate(PAIRS):
        ia, ib, il = i[:, a], i[:, b], i[:, l]
        fa, fb, fl = f[:, a], f[:, b], f[:, l]
        wp = [((1 - fa) * (1 - fb), 0, 0), ((1 - fa) * fb, 0, 1), (fa * (1 - fb), 1, 0), (fa * fb, 1, 1)]
        wl = [(1 - fl, 0), (fl, 1)]

        def plane(t):
            return sum(w[None, :] * t[:, ia + da, ib + db] for w, da, db in wp)

        def line(t):
            return sum(w[None, :] * t[:, il + dl] for w, dl in wl)

        dpv, dlv = plane(params[f"dp{p}"]), line(params[f"dl{p}"])
        cpv, clv = plane(params[f"cp{p}"]), line(params[f"cl{p}"])
        feature += np.sum(dpv * dlv, axis=0)
        feats[:, p * RC:(p + 1) * RC] = (cpv * clv).T
        parts.append((ia, ib, il, wp, wl, dpv, dlv, cpv, clv))
    sigma = softplus(feature - 10)
    rgb = sigmoid(feats @ params["basis"])
    sigma[~inside] = 0
    rgb[~inside] = 0
    if grads is None:
        return sigma, rgb
    up_sigma = np.where(inside, up_sigma, 0).astype(f32)
    up_rgb = np.where(inside[:, None], up_rgb, 0).astype(f32)
    d_feature = up_sigma * sigmoid(feature - 10)
    d_logits = up_rgb * rgb * (1 - rgb)
    grads["basis"] += feats.T @ d_logits
    d_feats = d_logits @ params["basis"].T
    for p, (ia, ib, il, wp, wl, dpv, dlv, cpv, clv) in enumerate(parts):
        for key, pv, lv, d in ((f"dp{p}", dpv, dlv, d_feature[None, :]), (f"cp{p}", cpv, clv, d_feats[:, p * RC:(p + 1) * RC].T)):
            s = d * lv
            for w, da, db in wp:
                np.add.at(grads[key], (slice(None), ia + da, ib + db), s * w[None, :])
            s = d * pv
            lkey = "dl" + key[2:] if key.startswith("dp") else "cl" + key[2:]
            for w, dl in wl:
                np.add.at(grads[lkey], (slice(None), il + dl), s * w[None, :])
    return sigma, rgb


def sample_rays(o, d):
    """Midpoint samples between entry and exit of the box, and each ray's step."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = (-1 - o) / d
        t1 = (1 - o) / d
    lo = np.max(np.minimum(t0, t1), axis=1).clip(0)
    hi = np.min(np.maximum(t0, t1), axis=1)
    hit = hi > lo
    delta = np.where(hit, (hi - lo) / SAMPLES, 0).astype(f32)
    t = lo[:, None] + (np.arange(SAMPLES) + 0.5)[None, :] * delta[:, None]
    pts = np.clip(o[:, None, :] + t[..., None] * d[:, None, :], -1, 1)
    pts[~hit] = 2
    return pts.reshape(-1, 3).astype(f32), delta


def composite(sigma, rgb, delta):
    a = 1 - np.exp(-sigma.reshape(-1, SAMPLES) * delta[:, None])
    T = np.concatenate([np.ones((len(delta), 1), f32), np.cumprod(1 - a, axis=1)], axis=1)
    w = T[:, :-1] * a
    c = np.einsum("rs,rsk->rk", w, rgb.reshape(-1, SAMPLES, 3)) + T[:, -1:]
    return c, a, T, w


def random_rays():
    az, el = 2 * np.pi * rng.random(RAYS), (rng.random(RAYS) - 0.5) * 1.2
    eye = 3.5 * np.stack([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)], 1)
    d = (rng.random((RAYS, 3)) - 0.5) * 1.6 - eye
    return eye.astype(f32), (d / np.linalg.norm(d, axis=1, keepdims=True)).astype(f32)


t_start = time.perf_counter()
point_steps = -(-STEPS // 3)
for step in range(STEPS):
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    pts = (2 * rng.random((POINTS, 3)) - 1).astype(f32)
    ts, tc = dense_eval(pts)
    ss, sc = vm_eval(pts)
    weight = 1 if step < point_steps else 0.1
    ssc, tsc = np.minimum(ss, 1e3), np.minimum(ts, 1e3)
    e = np.log1p(ssc) - np.log1p(tsc)
    w = 1 - np.exp(-0.1 * ts)
    up_sigma = np.where(ss < 1e3, weight * 2 * e / (1 + ssc) / POINTS, 0)
    up_rgb = weight * 2 * w[:, None] * (sc - tc) / POINTS
    vm_eval(pts, up_sigma, up_rgb, grads)
    if step >= point_steps:
        o, d = random_rays()
        rp, delta = sample_rays(o, d)
        target = composite(*dense_eval(rp), delta)[0]
        s_sigma, s_rgb = vm_eval(rp)
        c, a, T, wts = composite(s_sigma, s_rgb, delta)
        dc = 2 * (c - target) / c.size
        rgb = s_rgb.reshape(-1, SAMPLES, 3)
        contrib = wts[..., None] * rgb
        after = np.cumsum(contrib[:, ::-1], axis=1)[:, ::-1] - contrib + T[:, -1:, None]
        ds = np.einsum("rk,rsk->rs", dc, T[:, 1:, None] * rgb - after) * delta[:, None]
        drgb = wts[..., None] * dc[:, None, :]
        vm_eval(rp, ds.reshape(-1), drgb.reshape(-1, 3), grads)
    rate = 0.02 * (0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * step / STEPS)))
    for k in params:
        gk = grads[k]
        m[k] = 0.9 * m[k] + 0.1 * gk
        v2[k] = 0.99 * v2[k] + 0.01 * gk * gk
        lr = rate * (0.1 if k == "basis" else 1)
        params[k] -= (lr * (m[k] / (1 - 0.9 ** (step + 1))) / (np.sqrt(v2[k] / (1 - 0.99 ** (step + 1))) + 1e-8)).astype(f32)
seconds = time.perf_counter() - t_start
print(json.dumps({"steps": STEPS, "seconds": seconds, "stepsPerSecond": STEPS / seconds, "numpy": np.__version__}))
