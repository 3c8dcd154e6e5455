// Partial sums for dot products and squared norms: each workgroup of 256 threads reduces a chunk of
// CHUNK = 256 × 16 products x[i]·y[i] in workgroup memory (a tree of 8 steps) and writes one float32
// partial; the host adds the partials in float64 (engine/webgpu/reduce.ts). For ‖x‖² bind x twice.
// Dispatch: ceil(n / 4096) workgroups (the TS side must use the same CHUNK).

// #include "reduce"
var<workgroup> sums: array<f32, WG>;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let start = wg.x * WG * PER_THREAD;
  var s = 0.0;
  for (var j = 0u; j < PER_THREAD; j++) {
    let i = start + j * WG + lid.x; // coalesced: neighbouring threads read neighbouring entries
    if (i < params.n) { s = fma(x[i], y[i], s); }
  }
  sums[lid.x] = s;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid.x < stride) { sums[lid.x] += sums[lid.x + stride]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { partial[wg.x] = sums[0]; }
}
