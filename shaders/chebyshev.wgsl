// Mesh-free evaluation of a Chebyshev expansion (dense coefficients, or Chebyshev-Tucker: a core
// and per-dimension factor matrices over the polynomial degrees) at m points, one thread per point,
// as engine/chebyshev.ts evaluateChebyshev: map each coordinate to t ∈ [−1, 1], T₀ … T_{n−1}(t) by the
// three-term recurrence, w_a = U_aᵀ·T(t) (dense: w_a = T(t)), then Σ core[i₀, i₁, …]·Π_a w_a[i_a].
// Float32 arithmetic; up to 8 dimensions and Σ_a r_a ≤ 256 (the TS side checks both).
//
// Work split (WG from engine/webgpu/kernels/chebyshev.ts): WG = 64 threads per workgroup, a 2-D grid of
// num_workgroups.x columns.

// #include "entries"

struct Params {
  m: u32,
  d: u32,
  tucker: u32,   // 1 = factors bound, w_a = U_aᵀ·T(t)
  core_size: u32,
  degree: array<vec4u, 2>,        // n_a: polynomial degrees + 1 per dimension
  rank: array<vec4u, 2>,          // r_a: core sizes (= n_a when dense)
  factor_offset: array<vec4u, 2>, // where U_a (n_a × r_a, row-major) starts in `factors`
  w_offset: array<vec4u, 2>,      // where w_a starts in the thread's w (Σ_{b<a} r_b)
  lo: array<vec4f, 2>,            // domain per dimension
  hi: array<vec4f, 2>,
}

@group(0) @binding(0) var<uniform> params: Params;               // 208 bytes, Params above
@group(0) @binding(1) var<storage, read> points: array<f32>;      // m × d, row-major
@group(0) @binding(2) var<storage, read> core: array<f32>;        // r₀ × r₁ × …, C order
@group(0) @binding(3) var<storage, read> factors: array<f32>;     // the U_a one after another
@group(0) @binding(4) var<storage, read_write> values: array<f32>; // m

// #include "lanes"

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let p = entry_of(wg, grid, lid);
  if (p >= params.m) { return; }
  let d = params.d;
  var w: array<f32, 256>;
  for (var a = 0u; a < d; a++) {
    let lo = lane_f(params.lo, a);
    let hi = lane_f(params.hi, a);
    let t = 2.0 * (points[p * d + a] - lo) / (hi - lo) - 1.0;
    let n = lane_u(params.degree, a);
    let r = lane_u(params.rank, a);
    let wo = lane_u(params.w_offset, a);
    let fo = lane_u(params.factor_offset, a);
    for (var j = 0u; j < r; j++) { w[wo + j] = 0.0; }
    var t0 = 1.0; // T_{k−1}
    var t1 = t;   // T_k
    for (var k = 0u; k < n; k++) {
      var tk = t0;
      if (k == 1u) { tk = t; }
      if (k >= 2u) {
        tk = 2.0 * t * t1 - t0;
        t0 = t1;
        t1 = tk;
      }
      if (params.tucker == 1u) {
        for (var j = 0u; j < r; j++) { w[wo + j] = fma(factors[fo + k * r + j], tk, w[wo + j]); }
      } else {
        w[wo + k] = tk;
      }
    }
  }
  // Σ over the core in C order; idx[a] walks its multi-index (the last dimension fastest).
  var idx: array<u32, 8>;
  for (var a = 0u; a < 8u; a++) { idx[a] = 0u; }
  var sum = 0.0;
  for (var e = 0u; e < params.core_size; e++) {
    var prod = core[e];
    for (var a = 0u; a < d; a++) { prod *= w[lane_u(params.w_offset, a) + idx[a]]; }
    sum += prod;
    var a = i32(d) - 1;
    loop {
      if (a < 0) { break; }
      idx[u32(a)] += 1u;
      if (idx[u32(a)] < lane_u(params.rank, u32(a))) { break; }
      idx[u32(a)] = 0u;
      a -= 1;
    }
  }
  values[p] = sum;
}
