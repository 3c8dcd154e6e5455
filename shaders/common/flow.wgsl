// The Grassmann-flow kernels (plucker-flow-norms.wgsl, plucker-flow.wgsl; bound by
// engine/webgpu/kernels/plucker-flow.ts): the sequence z [steps, r] and its lags.
struct Params {
  steps: u32,     // T: rows of z
  r: u32,         // vector length
  width: u32,     // r(r − 1)/2 coordinates a pair
  lag_count: u32, // L ≤ 64
  t0: u32,        // plucker-flow: the first step of this window of the output
  count: u32,     // plucker-flow: steps in this window
  out_off: u32,   // plucker-flow: element offset of the output inside its bound window
  _pad: u32,
  lags: array<vec4u, 16>,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>; // steps × r, row-major

fn lag(l: u32) -> u32 { return params.lags[l / 4u][l % 4u]; }
