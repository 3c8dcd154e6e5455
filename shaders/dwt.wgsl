// One level of the periodized DWT along one axis, inside the leading block of a C-order tensor (up
// to 8 axes), from src into dst; entries outside the block are copied. With orthonormal filters of
// even length F, along a block line of length n (even), half = n / 2:
//   analysis:  dst[k] = Σ_j lo[j]·src[(2k + F/2 − j) mod n],  dst[half + k] = the same with hi;
//   synthesis: dst[i] = Σ_{j : i + j − F/2 even} lo[j]·src[k_j] + hi[j]·src[half + k_j],
//              k_j = ((i + j − F/2) mod n) / 2  (the transpose of the analysis, gathered).
// Float32 taps and sums (engine/webgpu/dwt.ts rounds PyWavelets' float64 taps).
//
// Work split (WG from engine/webgpu/kernels/dwt.ts): one thread per tensor entry, WG = 256 per workgroup, in
// a 2-D grid of num_workgroups.x columns.

// #include "entries"

struct Params {
  ndim: u32,
  total: u32,
  axis: u32,
  n: u32,          // block length along `axis`
  taps: u32,       // F ≤ 8
  inverse: u32,    // 1 = synthesis
  src_off: u32,    // element offsets of the tensors inside their bound windows (a window of
  dst_off: u32,    // slabs along axis 0 when the tensor is larger than one binding)
  shape: array<vec4u, 2>,   // tensor sizes, 8 slots
  extent: array<vec4u, 2>,  // leading block [0, extent) per axis
  lo: array<vec4f, 2>,      // lowpass taps, 8 slots
  hi: array<vec4f, 2>,      // highpass taps
}

@group(0) @binding(0) var<uniform> params: Params;              // 160 bytes, Params above
@group(0) @binding(1) var<storage, read> src: array<f32>;        // C order over shape
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;  // same layout

// #include "lanes"

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  if (e >= params.total) { return; }
  // Multi-index of e: inside the block on every axis? And the stride of `axis`.
  var rest = e;
  var inside = true;
  var stride = 1u;
  var pos = 0u;
  var s = 1u;
  for (var k = i32(params.ndim) - 1; k >= 0; k--) {
    let size = lane_u(params.shape, u32(k));
    let i = rest % size;
    rest /= size;
    if (i >= lane_u(params.extent, u32(k))) { inside = false; }
    if (u32(k) == params.axis) { stride = s; pos = i; }
    s *= size;
  }
  if (!inside) {
    dst[params.dst_off + e] = src[params.src_off + e];
    return;
  }
  let n = params.n;
  let half = n / 2u;
  let f = params.taps;
  let line = params.src_off + e - pos * stride; // the block line's first entry
  var acc = 0.0;
  if (params.inverse == 0u) {
    let k = pos % half;
    for (var j = 0u; j < f; j++) {
      let x = src[line + ((2u * k + f / 2u + n * f - j) % n) * stride]; // + n·F keeps it ≥ 0
      if (pos < half) { acc = fma(lane_f(params.lo, j), x, acc); } else { acc = fma(lane_f(params.hi, j), x, acc); }
    }
  } else {
    for (var j = 0u; j < f; j++) {
      let t = (pos + j + n * f - f / 2u) % n;
      if (t % 2u != 0u) { continue; }
      let k = t / 2u;
      acc = fma(lane_f(params.lo, j), src[line + k * stride], acc);
      acc = fma(lane_f(params.hi, j), src[line + (half + k) * stride], acc);
    }
  }
  dst[params.dst_off + e] = acc;
}
