// The neural radiance fields (hash, mlp: engine/radiance/neural.ts evaluateNeural, whose header
// defines them) on the GPU. An MLP's weight gradient is a sum over the points of outer products, so
// it is not scattered: the per-point passes store each layer's input activations and output deltas,
// and a reduction (mode 3, one thread per weight or bias) adds them over the points in order —
// deterministic without atomics. Only the hash tables, which many points share in no fixed pattern,
// are scattered, in fixed point (common/fixed.wgsl) with a bound pass first. Modes:
//   0 forward (one thread per point): out[p] = (σ, r, g, b);
//   1 bound (hash): the forward and backward of each point, the largest |table term| into bound[0];
//   2 backward (one thread per point): the forward and backward, writing acts and deltas into `work`
//     (and, hash, the table terms into acc at bound[0]'s scale);
//   3 weight gradients (one thread per weight or bias): grad[e] += Σ_p acts·deltas over `count` points.
// θ holds the tables (table l at l·T·F), then w0, b0, w1, b1, … (w_i [in, out] row-major), as the
// field's params. Float32; the positional encoding reduces 2^k·x modulo 2 exactly before the sine
// (sin(2^k π x) of a float32 argument would lose its digits at high frequencies). Widths ≤ MAXW.
//
// Work split (WG from engine/webgpu/kernels/radiance.ts): WG = 64 threads per workgroup, a 2-D grid of
// num_workgroups.x columns.

// #include "entries"
// #include "fixed"

const MAXW: u32 = 256;
const PI: f32 = 3.14159265358979;

struct Params {
  arch: u32,         // 0 hash, 1 mlp
  count: u32,        // points bound
  mode: u32,
  log2_points: u32,  // p of common/fixed.wgsl (hash tables)
  levels: u32,
  features: u32,
  log2_table: u32,
  frequencies: u32,
  matrices: u32,     // weight matrices: hidden layers + 1
  width: u32,        // encoding width
  hidden: u32,
  act_stride: u32,   // floats of acts per point: width + hidden · (matrices − 1)
  delta_stride: u32, // floats of deltas per point: hidden · (matrices − 1) + 4
  weights_start: u32, // where w0 starts in θ (after the tables)
  weights_size: u32,  // floats of all w_i and b_i
  _pad: u32,
  level_n: array<vec4u, 4>, // nodes per axis of each hash level
}

@group(0) @binding(0) var<uniform> params: Params;                    // 128 bytes, Params above
@group(0) @binding(1) var<storage, read> points: array<f32>;           // count × 3
@group(0) @binding(2) var<storage, read> theta: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4f>;      // mode 0: count × (σ, r, g, b)
@group(0) @binding(4) var<storage, read> upstream: array<vec4f>;       // modes 1, 2: count × (dσ, dr, dg, db)
@group(0) @binding(5) var<storage, read_write> acc: array<atomic<i32>>; // hash tables: 2 per entry
@group(0) @binding(6) var<storage, read_write> bound: array<atomic<u32>>; // [0]: the tables' bound
@group(0) @binding(7) var<storage, read_write> work: array<f32>;       // count × (act_stride + delta_stride): acts, then deltas
@group(0) @binding(8) var<storage, read_write> grad: array<f32>;       // mode 3: θ-shaped

var<private> cur: array<f32, MAXW>;
var<private> nxt: array<f32, MAXW>;
var<private> corner: array<u32, 128>; // hash: table index of each level's 8 corners
var<private> cweight: array<f32, 128>;

fn in_width(i: u32) -> u32 { return select(params.hidden, params.width, i == 0u); }
fn out_width(i: u32) -> u32 { return select(params.hidden, 4u, i + 1u == params.matrices); }

/** Where w_i starts in θ (b_i follows it). */
fn w_offset(i: u32) -> u32 {
  var o = params.weights_start;
  for (var j = 0u; j < i; j++) { o += (in_width(j) + 1u) * out_width(j); }
  return o;
}

/** Where point p's layer-i input activations and layer-i output deltas sit in `work`. */
fn act_at(p: u32, i: u32) -> u32 { return p * (params.act_stride + params.delta_stride) + select(params.width + (i - 1u) * params.hidden, 0u, i == 0u); }
fn delta_at(p: u32, i: u32) -> u32 { return p * (params.act_stride + params.delta_stride) + params.act_stride + i * params.hidden; }

/** sin and cos of 2^k·π·x, the argument reduced exactly: 2^k·x is exact, and so is its value mod 2. */
fn encode_freq(x: f32, k: u32) -> vec2f {
  let s = x * exp2(f32(k));
  let t = s - 2.0 * floor(s * 0.5);
  return vec2f(sin(PI * t), cos(PI * t));
}

/** The encoding of x into cur[0 … width); hash: the corners and weights kept for the backward. */
fn encode(x: vec3f) {
  if (params.arch == 1u) {
    for (var a = 0u; a < 3u; a++) {
      cur[a] = x[a];
      for (var k = 0u; k < params.frequencies; k++) {
        let sc = encode_freq(x[a], k);
        cur[3u + 6u * k + 2u * a] = sc.x;
        cur[3u + 6u * k + 2u * a + 1u] = sc.y;
      }
    }
    return;
  }
  let F = params.features;
  let T = 1u << params.log2_table;
  for (var l = 0u; l < params.levels; l++) {
    let n = params.level_n[l / 4u][l % 4u];
    let g = (x + 1.0) * 0.5 * f32(n - 1u);
    let i = min(vec3u(n - 2u), vec3u(floor(g)));
    let f = g - vec3f(i);
    let direct = n * n * n <= T;
    for (var q = 0u; q < F; q++) { cur[l * F + q] = 0.0; }
    for (var m = 0u; m < 8u; m++) {
      let d = vec3u(m & 1u, (m >> 1u) & 1u, (m >> 2u) & 1u);
      let c = i + d;
      var idx: u32;
      if (direct) {
        idx = (c.x * n + c.y) * n + c.z;
      } else {
        idx = (c.x ^ (c.y * 2654435761u) ^ (c.z * 805459861u)) & (T - 1u);
      }
      let w3 = select(1.0 - f, f, d == vec3u(1u));
      let w = w3.x * w3.y * w3.z;
      corner[l * 8u + m] = idx;
      cweight[l * 8u + m] = w;
      let base = l * T * F + idx * F;
      for (var q = 0u; q < F; q++) { cur[l * F + q] += w * theta[base + q]; }
    }
  }
}

/** A term of a table's gradient (entry e of θ), by mode (1: its bound, 2: accumulated). */
fn add_table(e: u32, v: f32) {
  if (v == 0.0) { return; }
  if (params.mode == 1u) {
    atomicMax(&bound[0], bitcast<u32>(abs(v)));
    return;
  }
  let scale = fixed_scale(atomicLoad(&bound[0]), params.log2_points);
  let step = exp2(fixed_low_bits(params.log2_points));
  let x = v * scale;
  let hi = floor(x / step);
  atomicAdd(&acc[2u * e], i32(hi));
  atomicAdd(&acc[2u * e + 1u], i32(x - hi * step));
}

/** Weight reduction (mode 3): entry e of the weights region. */
fn weight_grad(e: u32) {
  var i = 0u;
  var o = e;
  loop {
    let size = (in_width(i) + 1u) * out_width(i);
    if (o < size || i + 1u >= params.matrices) { break; }
    o -= size;
    i++;
  }
  let fout = out_width(i);
  let fin = in_width(i);
  var s = 0.0;
  if (o < fin * fout) {
    // w_i[q, o']: Σ_p acts[p][layer i input q] · deltas[p][layer i output o'].
    let q = o / fout;
    let oo = o % fout;
    for (var p = 0u; p < params.count; p++) { s += work[act_at(p, i) + q] * work[delta_at(p, i) + oo]; }
  } else {
    let oo = o - fin * fout;
    for (var p = 0u; p < params.count; p++) { s += work[delta_at(p, i) + oo]; }
  }
  grad[params.weights_start + e] += s;
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = entry_of(wg, grid, lid);
  if (params.mode == 3u) {
    if (p < params.weights_size) { weight_grad(p); }
    return;
  }
  if (p >= params.count) { return; }
  let x = vec3f(points[3u * p], points[3u * p + 1u], points[3u * p + 2u]);
  let store = params.mode != 0u;
  if (!all((x >= vec3f(-1.0)) & (x <= vec3f(1.0)))) {
    // Outside the box the field is empty, and contributes nothing to any gradient.
    if (params.mode == 0u) { out[p] = vec4f(0.0); }
    if (params.mode == 2u) {
      for (var k = 0u; k < params.act_stride + params.delta_stride; k++) { work[act_at(p, 0u) + k] = 0.0; }
    }
    return;
  }
  encode(x);
  // Forward: cur holds layer i's input; ReLU on the hidden layers.
  for (var i = 0u; i < params.matrices; i++) {
    let fin = in_width(i);
    let fout = out_width(i);
    let wo = w_offset(i);
    if (store) {
      for (var q = 0u; q < fin; q++) { work[act_at(p, i) + q] = cur[q]; }
    }
    for (var o = 0u; o < fout; o++) {
      var v = theta[wo + fin * fout + o];
      for (var q = 0u; q < fin; q++) { v = fma(cur[q], theta[wo + q * fout + o], v); }
      nxt[o] = select(v, max(v, 0.0), i + 1u < params.matrices);
    }
    for (var o = 0u; o < fout; o++) { cur[o] = nxt[o]; }
  }
  let sigma = exp(clamp(cur[0], -15.0, 15.0));
  let rgb = vec3f(1.0 / (1.0 + exp(-cur[1])), 1.0 / (1.0 + exp(-cur[2])), 1.0 / (1.0 + exp(-cur[3])));
  if (params.mode == 0u) {
    out[p] = vec4f(sigma, rgb);
    return;
  }
  // Backward: σ = exp(o₀) passes its gradient straight through the clamp; dc/dlogit = c(1 − c).
  let up = upstream[p];
  cur[0] = up.x * sigma;
  for (var k = 0u; k < 3u; k++) { cur[k + 1u] = up[k + 1u] * rgb[k] * (1.0 - rgb[k]); }
  var i = params.matrices;
  loop {
    if (i == 0u) { break; }
    i--;
    let fin = in_width(i);
    let fout = out_width(i);
    let wo = w_offset(i);
    if (params.mode == 2u) {
      for (var o = 0u; o < fout; o++) { work[delta_at(p, i) + o] = cur[o]; }
    }
    for (var q = 0u; q < fin; q++) {
      var b = 0.0;
      for (var o = 0u; o < fout; o++) { b = fma(theta[wo + q * fout + o], cur[o], b); }
      // Through the ReLU of the layer below (the encoding has none): its output is this input.
      if (i > 0u && work[act_at(p, i) + q] <= 0.0) { b = 0.0; }
      nxt[q] = b;
    }
    for (var q = 0u; q < fin; q++) { cur[q] = nxt[q]; }
  }
  if (params.arch == 0u) {
    let F = params.features;
    let T = 1u << params.log2_table;
    for (var l = 0u; l < params.levels; l++) {
      for (var m = 0u; m < 8u; m++) {
        let base = l * T * F + corner[l * 8u + m] * F;
        for (var q = 0u; q < F; q++) { add_table(base + q, cweight[l * 8u + m] * cur[l * F + q]); }
      }
    }
  }
}
