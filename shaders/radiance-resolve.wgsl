// Turns the fixed-point gradient accumulators of the radiance-field backward pass (radiance-field.wgsl,
// the scheme in common/fixed.wgsl) into float32: grad[e] += (Σ hi · 2^L + Σ lo) / s_t for entry e of
// tensor t, and zeroes the accumulators for the next chunk of points. One thread per parameter; the
// chunks of a step are resolved in order, so the float sums are the same every run.
//
// Work split (WG from engine/webgpu/kernels/radiance.ts): WG = 64 threads per workgroup, a 2-D grid of
// num_workgroups.x columns.

// #include "entries"
// #include "fixed"

struct Params {
  size: u32,        // parameters
  tensors: u32,     // how many tensors θ holds (offsets has tensors + 1 entries)
  log2_points: u32, // p of the accumulation being resolved
  _pad: u32,
  offsets: array<vec4u, 4>, // where tensor t starts; offsets[tensors] = size
}

@group(0) @binding(0) var<uniform> params: Params;             // 80 bytes, Params above
@group(0) @binding(1) var<storage, read_write> acc: array<i32>; // 2 per parameter: hi, lo
@group(0) @binding(2) var<storage, read> bound: array<u32>;     // per tensor: the scale's bound (bits)
@group(0) @binding(3) var<storage, read_write> grad: array<f32>; // per parameter

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  if (e >= params.size) { return; }
  var t = 0u;
  while (t + 1u < params.tensors && e >= params.offsets[(t + 1u) / 4u][(t + 1u) % 4u]) { t++; }
  let scale = fixed_scale(bound[t], params.log2_points);
  if (scale > 0.0) {
    let step = exp2(fixed_low_bits(params.log2_points));
    grad[e] += (f32(acc[2u * e]) * step + f32(acc[2u * e + 1u])) / scale;
  }
  acc[2u * e] = 0;
  acc[2u * e + 1u] = 0;
}
