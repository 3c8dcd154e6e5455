// The norms of the Plücker coordinates p(z_t, z_{t−Δ}) for every step t and lag Δ, as the factor
// 1 / max(‖p‖, 1e-8) that normalises them (0 where t − Δ < 0: that lag does not fit). One thread
// per (t, lag), each summing the r(r − 1)/2 squares p_ij² = (u_i v_j − u_j v_i)² (float32).

// #include "flow"
// #include "entries"

@group(0) @binding(2) var<storage, read_write> inv: array<f32>; // steps × lag_count

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  if (e >= params.steps * params.lag_count) { return; }
  let t = e / params.lag_count;
  let d = lag(e % params.lag_count);
  if (t < d) { inv[e] = 0.0; return; }
  let r = params.r;
  let u = t * r;
  let v = (t - d) * r;
  var s = 0.0;
  for (var i = 0u; i < r; i++) {
    let ui = z[u + i];
    let vi = z[v + i];
    for (var j = i + 1u; j < r; j++) {
      let p = ui * z[v + j] - z[u + j] * vi;
      s = fma(p, p, s);
    }
  }
  inv[e] = 1.0 / max(sqrt(s), 1e-8);
}
