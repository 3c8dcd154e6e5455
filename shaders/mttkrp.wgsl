// One step of a matricized-tensor-times-Khatri-Rao product without forming the Khatri-Rao matrix:
// contracts one mode of T against the matching columns of a factor, column by column:
//   out[p, q, r] = Σ_s T[p, s, q, r] · A[s, r],   T: P × S × Q × R,  A: S × R,  out: P × Q × R.
// CP-ALS (engine/webgpu/cp.ts) first contracts one mode of X with its factor by a GEMM (giving the
// trailing R axis), then removes the other modes with this kernel until Iₘ × R is left.
//
// A T larger than one storage binding is contracted a window at a time (engine/webgpu/mttkrp.ts):
// P rows of whole slabs, or, where one slab is too large, a run of S with `accumulate` adding to
// what the previous runs wrote.
//
// Work split (WG from engine/webgpu/kernels/mttkrp.ts): one thread per output entry, WG = 256 per workgroup,
// in a 2-D grid of num_workgroups.x columns; neighbouring threads take neighbouring r, so the
// loads of T and A are coalesced along r.

// #include "entries"

struct Params {
  p: u32,
  s: u32,
  q: u32,
  r: u32,
  off_t: u32,      // element offsets inside the bound windows
  off_a: u32,
  off_out: u32,
  accumulate: u32, // 1 = out += the sum
}

@group(0) @binding(0) var<uniform> params: Params;              // 32 bytes, Params above
@group(0) @binding(1) var<storage, read> t: array<f32>;          // P × S × Q × R, C order
@group(0) @binding(2) var<storage, read> a: array<f32>;          // S × R, row-major
@group(0) @binding(3) var<storage, read_write> out: array<f32>;  // P × Q × R, C order

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  let R = params.r;
  let Q = params.q;
  if (e >= params.p * Q * R) { return; }
  let r = e % R;
  let q = (e / R) % Q;
  let p = e / (R * Q);
  let stride = Q * R;
  var base = params.off_t + p * params.s * stride + q * R + r;
  var acc = 0.0;
  for (var s = 0u; s < params.s; s++) {
    acc = fma(t[base], a[params.off_a + s * R + r], acc);
    base += stride;
  }
  if (params.accumulate == 1u) { acc += out[params.off_out + e]; }
  out[params.off_out + e] = acc;
}
