// The grid radiance fields (dense, vm, cp: engine/radiance/field.ts evaluateField, whose header defines
// them) at a batch of points, one thread per point, and the backward pass: given dL/dσ and dL/dRGB at
// the points, each thread adds its terms of dL/dθ into fixed-point accumulators (common/fixed.wgsl:
// deterministic, whatever order the threads run in). Three modes share one code path, so the backward
// uses exactly the forward's interpolation weights:
//   0 forward: out[p] = (σ, r, g, b);
//   1 bound: the largest |term| per parameter tensor into `bound` (atomicMax of float bits, which
//     order like the floats for non-negative values);
//   2 accumulate: each term into acc (two i32 words per parameter) at that tensor's scale.
// θ is one buffer, the tensors one after another in the field's params order, tensor t starting at
// offsets[t]: dense {grid}; vm {densityPlane0, densityLine0, …, densityPlane2, densityLine2,
// colorPlane0, colorLine0, …, basis}; cp {densityVectors, colorVectors, basis}. Float32 throughout;
// σ = softplus(feature − 10) computed stably (max(x, 0) + log1p(e^−|x|)), colour = sigmoid(logits).
//
// Work split (WG from engine/webgpu/kernels/radiance.ts): WG = 64 threads per workgroup, a 2-D grid of
// num_workgroups.x columns.

// #include "entries"
// #include "fixed"

struct Params {
  arch: u32,        // 0 dense, 1 vm, 2 cp
  n: u32,           // grid nodes per axis
  rs: u32,          // density rank (vm, cp)
  rc: u32,          // appearance rank (vm, cp)
  count: u32,       // points bound
  mode: u32,        // 0 forward, 1 bound, 2 accumulate
  log2_points: u32, // p of common/fixed.wgsl for this accumulation
  _pad: u32,
  offsets: array<vec4u, 4>, // where tensor t starts in theta
}

@group(0) @binding(0) var<uniform> params: Params;                    // 96 bytes, Params above
@group(0) @binding(1) var<storage, read> points: array<f32>;           // count × 3 (x, y, z)
@group(0) @binding(2) var<storage, read> theta: array<f32>;            // the field's params
@group(0) @binding(3) var<storage, read_write> out: array<vec4f>;      // forward: count × (σ, r, g, b)
@group(0) @binding(4) var<storage, read> upstream: array<vec4f>;       // backward: count × (dσ, dr, dg, db)
@group(0) @binding(5) var<storage, read_write> acc: array<atomic<i32>>; // 2 per parameter: hi, lo
@group(0) @binding(6) var<storage, read_write> bound: array<atomic<u32>>; // per tensor: max |term| (bits)

const DENSITY_SHIFT: f32 = -10.0;

fn offset_of(t: u32) -> u32 { return params.offsets[t / 4u][t % 4u]; }

/** A term of dL/dθ for entry e of tensor t, by mode (1: its bound, 2: accumulated). */
fn add(t: u32, e: u32, v: f32) {
  if (v == 0.0) { return; }
  if (params.mode == 1u) {
    atomicMax(&bound[t], bitcast<u32>(abs(v)));
    return;
  }
  let scale = fixed_scale(atomicLoad(&bound[t]), params.log2_points);
  let step = exp2(fixed_low_bits(params.log2_points));
  let x = v * scale;
  let hi = floor(x / step);
  let at = 2u * (offset_of(t) + e);
  atomicAdd(&acc[at], i32(hi));
  atomicAdd(&acc[at + 1u], i32(x - hi * step));
}

/** A point's cell along one axis of n nodes: the lower node i and the fraction f past it (ok false
 * outside [−1, 1]); a coordinate within rounding of a node snaps to it, as the CPU does. */
struct Cell {
  i: u32,
  f: f32,
  ok: bool,
}

fn axis_cell(x: f32, n: u32) -> Cell {
  if (!(x >= -1.0 && x <= 1.0)) { return Cell(0u, 0.0, false); }
  var g = (x + 1.0) * 0.5 * f32(n - 1u);
  let near = round(g);
  if (abs(g - near) < 1e-5 * f32(n)) { g = near; }
  let i = min(n - 2u, u32(floor(g)));
  return Cell(i, g - f32(i), true);
}

fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }

/** log(1 + u) for u ∈ [0, 1]: a series below 1e-2, where 1 + u would round away u's digits. */
fn log1p_small(u: f32) -> f32 {
  if (u < 1e-2) { return u * (1.0 - u * (0.5 - u * (1.0 / 3.0 - 0.25 * u))); }
  return log(1.0 + u);
}

fn softplus(x: f32) -> f32 { return max(x, 0.0) + log1p_small(exp(-abs(x))); }

var<private> cells: array<Cell, 3>;

// Linear interpolation along a line [R, N] (rank r) and bilinear over a plane [R, N, N] (axes a, b).
fn lin(o: u32, r: u32, a: u32) -> f32 {
  let c = cells[a];
  let at = o + r * params.n + c.i;
  return theta[at] * (1.0 - c.f) + theta[at + 1u] * c.f;
}

fn lin_grad(t: u32, r: u32, a: u32, v: f32) {
  let c = cells[a];
  let at = r * params.n + c.i;
  add(t, at, v * (1.0 - c.f));
  add(t, at + 1u, v * c.f);
}

fn bil(o: u32, r: u32, a: u32, b: u32) -> f32 {
  let u = cells[a];
  let v = cells[b];
  let n = params.n;
  let at = o + (r * n + u.i) * n + v.i;
  return theta[at] * (1.0 - u.f) * (1.0 - v.f) + theta[at + 1u] * (1.0 - u.f) * v.f + theta[at + n] * u.f * (1.0 - v.f) + theta[at + n + 1u] * u.f * v.f;
}

fn bil_grad(t: u32, r: u32, a: u32, b: u32, s: f32) {
  let u = cells[a];
  let v = cells[b];
  let n = params.n;
  let at = (r * n + u.i) * n + v.i;
  add(t, at, s * (1.0 - u.f) * (1.0 - v.f));
  add(t, at + 1u, s * (1.0 - u.f) * v.f);
  add(t, at + n, s * u.f * (1.0 - v.f));
  add(t, at + n + 1u, s * u.f * v.f);
}

// VM's pairs: pair q's plane spans axes (PA[q], PB[q]) and its line runs along PL[q].
const PA = array<u32, 3>(0u, 0u, 1u);
const PB = array<u32, 3>(1u, 2u, 2u);
const PL = array<u32, 3>(2u, 1u, 0u);

fn corner_weight(c: u32) -> f32 {
  let wx = select(1.0 - cells[0].f, cells[0].f, (c & 1u) != 0u);
  let wy = select(1.0 - cells[1].f, cells[1].f, (c & 2u) != 0u);
  let wz = select(1.0 - cells[2].f, cells[2].f, (c & 4u) != 0u);
  return wx * wy * wz;
}

fn corner_at(c: u32) -> u32 {
  let n = params.n;
  return (((cells[0].i + (c & 1u)) * n + cells[1].i + ((c >> 1u) & 1u)) * n + cells[2].i + ((c >> 2u) & 1u)) * 4u;
}

fn eval_dense(up: vec4f) -> vec4f {
  var raw = vec4f(0.0);
  for (var c = 0u; c < 8u; c++) {
    let at = corner_at(c);
    raw += corner_weight(c) * vec4f(theta[at], theta[at + 1u], theta[at + 2u], theta[at + 3u]);
  }
  if (params.mode != 0u) {
    // The clamps pass no gradient where they bind.
    let d = vec4f(select(0.0, up.x, raw.x > 0.0), select(vec3f(0.0), up.yzw, (raw.yzw > vec3f(0.0)) & (raw.yzw < vec3f(1.0))));
    for (var c = 0u; c < 8u; c++) {
      let w = corner_weight(c);
      let at = corner_at(c);
      for (var k = 0u; k < 4u; k++) { add(0u, at + k, w * d[k]); }
    }
  }
  return vec4f(max(raw.x, 0.0), clamp(raw.yzw, vec3f(0.0), vec3f(1.0)));
}

fn basis_row(o: u32, j: u32) -> vec3f { return vec3f(theta[o + 3u * j], theta[o + 3u * j + 1u], theta[o + 3u * j + 2u]); }

fn eval_vm(up: vec4f) -> vec4f {
  let rs = params.rs;
  let rc = params.rc;
  let basis = offset_of(12u);
  var feature = 0.0;
  var logits = vec3f(0.0);
  for (var q = 0u; q < 3u; q++) {
    let dp = offset_of(2u * q);
    let dl = offset_of(2u * q + 1u);
    let ap = offset_of(6u + 2u * q);
    let cl = offset_of(7u + 2u * q);
    for (var r = 0u; r < rs; r++) { feature += bil(dp, r, PA[q], PB[q]) * lin(dl, r, PL[q]); }
    for (var r = 0u; r < rc; r++) { logits += bil(ap, r, PA[q], PB[q]) * lin(cl, r, PL[q]) * basis_row(basis, q * rc + r); }
  }
  let rgb = vec3f(sigmoid(logits.x), sigmoid(logits.y), sigmoid(logits.z));
  if (params.mode != 0u) {
    // dσ/dfeature = sigmoid(feature − 10); dc/dlogit = c(1 − c).
    let d_feature = up.x * sigmoid(feature + DENSITY_SHIFT);
    let d_logits = up.yzw * rgb * (1.0 - rgb);
    for (var q = 0u; q < 3u; q++) {
      let dp = offset_of(2u * q);
      let dl = offset_of(2u * q + 1u);
      let ap = offset_of(6u + 2u * q);
      let cl = offset_of(7u + 2u * q);
      for (var r = 0u; r < rs; r++) {
        let pv = bil(dp, r, PA[q], PB[q]);
        let lv = lin(dl, r, PL[q]);
        bil_grad(2u * q, r, PA[q], PB[q], d_feature * lv);
        lin_grad(2u * q + 1u, r, PL[q], d_feature * pv);
      }
      for (var r = 0u; r < rc; r++) {
        let j = q * rc + r;
        let pv = bil(ap, r, PA[q], PB[q]);
        let lv = lin(cl, r, PL[q]);
        let feat = pv * lv;
        for (var k = 0u; k < 3u; k++) { add(12u, 3u * j + k, feat * d_logits[k]); }
        let d = dot(basis_row(basis, j), d_logits);
        bil_grad(6u + 2u * q, r, PA[q], PB[q], d * lv);
        lin_grad(7u + 2u * q, r, PL[q], d * pv);
      }
    }
  }
  return vec4f(softplus(feature + DENSITY_SHIFT), rgb);
}

// CP: the vectors of axis a, rank r, of a [3, R, N] tensor start at o + (a·R + r)·N.
fn cp_term(o: u32, rank: u32, r: u32) -> vec3f {
  return vec3f(lin(o, a_rank(0u, rank, r), 0u), lin(o, a_rank(1u, rank, r), 1u), lin(o, a_rank(2u, rank, r), 2u));
}

/** Row a·R + r of a [3, R, N] tensor: `lin` reads row r' at r'·N. */
fn a_rank(a: u32, rank: u32, r: u32) -> u32 { return a * rank + r; }

fn cp_grad(t: u32, rank: u32, r: u32, v: vec3f, d: f32) {
  lin_grad(t, a_rank(0u, rank, r), 0u, d * v.y * v.z);
  lin_grad(t, a_rank(1u, rank, r), 1u, d * v.x * v.z);
  lin_grad(t, a_rank(2u, rank, r), 2u, d * v.x * v.y);
}

fn eval_cp(up: vec4f) -> vec4f {
  let rs = params.rs;
  let rc = params.rc;
  let dv = offset_of(0u);
  let cv = offset_of(1u);
  let basis = offset_of(2u);
  var feature = 0.0;
  var logits = vec3f(0.0);
  for (var r = 0u; r < rs; r++) {
    let v = cp_term(dv, rs, r);
    feature += v.x * v.y * v.z;
  }
  for (var r = 0u; r < rc; r++) {
    let v = cp_term(cv, rc, r);
    logits += v.x * v.y * v.z * basis_row(basis, r);
  }
  let rgb = vec3f(sigmoid(logits.x), sigmoid(logits.y), sigmoid(logits.z));
  if (params.mode != 0u) {
    let d_feature = up.x * sigmoid(feature + DENSITY_SHIFT);
    let d_logits = up.yzw * rgb * (1.0 - rgb);
    for (var r = 0u; r < rs; r++) { cp_grad(0u, rs, r, cp_term(dv, rs, r), d_feature); }
    for (var r = 0u; r < rc; r++) {
      let v = cp_term(cv, rc, r);
      for (var k = 0u; k < 3u; k++) { add(2u, 3u * r + k, v.x * v.y * v.z * d_logits[k]); }
      cp_grad(1u, rc, r, v, dot(basis_row(basis, r), d_logits));
    }
  }
  return vec4f(softplus(feature + DENSITY_SHIFT), rgb);
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = entry_of(wg, grid, lid);
  if (p >= params.count) { return; }
  var inside = true;
  for (var a = 0u; a < 3u; a++) {
    cells[a] = axis_cell(points[3u * p + a], params.n);
    inside = inside && cells[a].ok;
  }
  var value = vec4f(0.0); // outside the box the field is empty
  if (inside) {
    var up = vec4f(0.0);
    if (params.mode != 0u) { up = upstream[p]; }
    if (params.arch == 0u) {
      value = eval_dense(up);
    } else if (params.arch == 1u) {
      value = eval_vm(up);
    } else {
      value = eval_cp(up);
    }
  }
  if (params.mode == 0u) { out[p] = value; }
}
