// One Adam step over a radiance field's parameters (engine/radiance/ops.ts cpuRadianceOps, the
// definition): m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g², θ −= lr (m / c1) / (√(v / c2) + 1e−8),
// the colour basis (entries from basis_start on) at a tenth of the rate, a dense grid projected back to
// σ ≥ 0 and RGB in [0, 1]; the gradient is zeroed for the next step. One thread per parameter.
//
// Work split (WG from engine/webgpu/kernels/radiance.ts): WG = 64 threads per workgroup, a 2-D grid of
// num_workgroups.x columns.

// #include "entries"

struct Params {
  size: u32,
  basis_start: u32, // size when the field has no basis
  dense: u32,       // 1: project onto σ ≥ 0, RGB ∈ [0, 1] (entries in fours)
  _pad: u32,
  rate: f32,
  b1: f32,
  b2: f32,
  c1: f32,          // 1 − β1^t
  c2: f32,          // 1 − β2^t
}

@group(0) @binding(0) var<uniform> params: Params;               // 48 bytes, Params above
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  if (e >= params.size) { return; }
  let g = grad[e];
  grad[e] = 0.0;
  let mm = params.b1 * m[e] + (1.0 - params.b1) * g;
  let vv = params.b2 * v[e] + (1.0 - params.b2) * g * g;
  m[e] = mm;
  v[e] = vv;
  let lr = select(params.rate, params.rate * 0.1, e >= params.basis_start);
  var x = theta[e] - lr * (mm / params.c1) / (sqrt(vv / params.c2) + 1e-8);
  if (params.dense == 1u) {
    x = select(clamp(x, 0.0, 1.0), max(x, 0.0), e % 4u == 0u);
  }
  theta[e] = x;
}
