// Grassmann-flow features: out[t, q] = mean over the lags Δ with t − Δ ≥ 0 of p_q(z_t, z_{t−Δ}) ·
// inv[t, Δ] (plucker-flow-norms.wgsl), p_q = u_i v_j − u_j v_i for the q-th pair i < j in
// lexicographic order (pairs[q] = i << 16 | j, from the host); 0 where no lag fits. One thread per
// output entry of a window of steps t0 … t0 + count − 1 (the output is bound a window at a time).

// #include "flow"
// #include "entries"

@group(0) @binding(2) var<storage, read> inv: array<f32>;         // steps × lag_count
@group(0) @binding(3) var<storage, read> pairs: array<u32>;       // width
@group(0) @binding(4) var<storage, read_write> out: array<f32>;   // the window's count × width

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  if (e >= params.count * params.width) { return; }
  let t = params.t0 + e / params.width;
  let pair = pairs[e % params.width];
  let i = pair >> 16u;
  let j = pair & 0xffffu;
  let u = t * params.r;
  var acc = 0.0;
  var used = 0u;
  for (var l = 0u; l < params.lag_count; l++) {
    let d = lag(l);
    if (t < d) { continue; }
    let v = (t - d) * params.r;
    acc = fma(z[u + i] * z[v + j] - z[u + j] * z[v + i], inv[t * params.lag_count + l], acc);
    used++;
  }
  out[params.out_off + e] = select(0.0, acc / f32(used), used > 0u);
}
