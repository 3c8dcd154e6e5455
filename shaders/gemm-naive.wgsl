// The untiled reference product C = A·B (float32, row-major, no transposes, one matrix): one thread
// per entry of C reading its row of A and column of B straight from storage, 16 × 16 threads per
// workgroup. Only the benchmark uses it, to report what the register tiling of gemm.wgsl gains
// (engine/webgpu/gemm-naive.ts binds it).

struct Params {
  m: u32, n: u32, k: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;            // 16 bytes, Params above
@group(0) @binding(1) var<storage, read> a: array<f32>;        // M × K
@group(0) @binding(2) var<storage, read> b: array<f32>;        // K × N
@group(0) @binding(3) var<storage, read_write> c: array<f32>;  // M × N

override SIDE: u32; // the workgroup is SIDE × SIDE threads, set by the binder

@compute @workgroup_size(SIDE, SIDE, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let row = id.y;
  let col = id.x;
  if (row >= params.m || col >= params.n) { return; }
  var acc = 0.0;
  for (var kk = 0u; kk < params.k; kk++) {
    acc = fma(a[row * params.k + kk], b[kk * params.n + col], acc);
  }
  c[row * params.n + col] = acc;
}
