// Emission–absorption ray marching on the GPU, engine/radiance/render.ts's definition (its header has
// the formulas), in three modes around the field kernel (radiance-field.wgsl), which evaluates the
// samples in between:
//   0 sample (one thread per ray sample): where each ray enters and leaves [−1, 1]³ (slab method), the
//     midpoints of `samples` equal steps δ between, clamped into the box (a ray that misses gets points
//     at 2, outside, which evaluate empty, and δ = 0);
//   1 composite (one thread per ray): α_i = 1 − e^{−σ_i δ} (scaled by density_scale), T_i = Π_{j<i}(1 − α_j),
//     colour Σ T_i α_i c_i + T_final · background, and T_final;
//   2 backward (one thread per ray): from dL/dC, dL/dσ_i = δ (T_{i+1} c_i − Σ_{j>i} T_j α_j c_j − T_final·bg)·dL/dC
//     and dL/dc_i = T_i α_i dL/dC, the field kernel's upstream. The tail sum is the ray's colour less
//     the running sum of T_j α_j c_j, so one forward walk after a first one that finds the colour
//     replaces the CPU's stored transmittances.
// Float32; 1 − e^{−x} by its series for small x (where e^{−x} rounds to 1 and the difference loses
// every digit).
//
// Work split (WG from engine/webgpu/kernels/radiance.ts): WG = 64 threads per workgroup, a 2-D grid of
// num_workgroups.x columns.

// #include "entries"

struct Params {
  rays: u32,
  samples: u32,
  mode: u32,           // 0 sample, 1 composite, 2 backward
  density_scale: f32,  // every σ times this (display; 1 in training)
  bg_r: f32,
  bg_g: f32,
  bg_b: f32,
}

@group(0) @binding(0) var<uniform> params: Params;                  // 32 bytes, Params above
@group(0) @binding(1) var<storage, read> rays: array<f32>;           // rays × (origin xyz, unit direction xyz)
@group(0) @binding(2) var<storage, read_write> points: array<f32>;   // rays × samples × 3
@group(0) @binding(3) var<storage, read_write> deltas: array<f32>;   // rays: δ (0 for a miss)
@group(0) @binding(4) var<storage, read> samples: array<vec4f>;      // rays × samples: (σ, r, g, b)
@group(0) @binding(5) var<storage, read_write> colors: array<vec4f>; // rays: (r, g, b, T_final)
@group(0) @binding(6) var<storage, read> d_colors: array<vec4f>;     // rays: (dL/dr, dL/dg, dL/db, 0)
@group(0) @binding(7) var<storage, read_write> upstream: array<vec4f>; // rays × samples: (dσ, dr, dg, db)

/** Entry and exit of the ray in [−1, 1]³, or (0, 0) for a miss (the CPU's rayBox). */
fn ray_box(o: vec3f, d: vec3f) -> vec2f {
  var lo = 0.0;
  var hi = 3.0e38;
  for (var a = 0u; a < 3u; a++) {
    if (abs(d[a]) < 1e-12) {
      if (o[a] < -1.0 || o[a] > 1.0) { return vec2f(0.0); }
      continue;
    }
    var t0 = (-1.0 - o[a]) / d[a];
    var t1 = (1.0 - o[a]) / d[a];
    if (t0 > t1) {
      let t = t0;
      t0 = t1;
      t1 = t;
    }
    lo = max(lo, t0);
    hi = min(hi, t1);
  }
  return select(vec2f(0.0), vec2f(lo, hi), hi > lo);
}

fn one_minus_exp_neg(x: f32) -> f32 {
  if (x < 1e-3) { return x * (1.0 - x * (0.5 - x / 6.0)); }
  return 1.0 - exp(-x);
}

fn background() -> vec3f { return vec3f(params.bg_r, params.bg_g, params.bg_b); }

/** The ray's colour and final transmittance. */
fn composite(r: u32) -> vec4f {
  let S = params.samples;
  let delta = deltas[r];
  var t = 1.0;
  var c = vec3f(0.0);
  for (var s = 0u; s < S; s++) {
    let v = samples[r * S + s];
    let a = one_minus_exp_neg(params.density_scale * v.x * delta);
    c += t * a * v.yzw;
    t *= 1.0 - a;
  }
  return vec4f(c + t * background(), t);
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let e = entry_of(wg, grid, lid);
  let S = params.samples;
  if (params.mode == 0u) {
    if (e >= params.rays * S) { return; }
    let r = e / S;
    let s = e % S;
    let o = vec3f(rays[6u * r], rays[6u * r + 1u], rays[6u * r + 2u]);
    let d = vec3f(rays[6u * r + 3u], rays[6u * r + 4u], rays[6u * r + 5u]);
    let hit = ray_box(o, d);
    var p = vec3f(2.0);
    var delta = 0.0;
    if (hit.y > hit.x) {
      delta = (hit.y - hit.x) / f32(S);
      p = clamp(o + (hit.x + (f32(s) + 0.5) * delta) * d, vec3f(-1.0), vec3f(1.0));
    }
    points[3u * e] = p.x;
    points[3u * e + 1u] = p.y;
    points[3u * e + 2u] = p.z;
    if (s == 0u) { deltas[r] = delta; }
    return;
  }
  if (e >= params.rays) { return; }
  let r = e;
  let total = composite(r);
  if (params.mode == 1u) {
    colors[r] = total;
    return;
  }
  // Backward: the tail after sample i is the colour less Σ_{j≤i} T_j α_j c_j.
  let g = d_colors[r].xyz;
  let delta = deltas[r];
  var t = 1.0;
  var sum = vec3f(0.0);
  for (var s = 0u; s < S; s++) {
    let i = r * S + s;
    let v = samples[i];
    let a = one_minus_exp_neg(params.density_scale * v.x * delta);
    let w = t * a;
    let next = t * (1.0 - a);
    sum += w * v.yzw;
    let ds = dot(g, next * v.yzw - (total.xyz - sum));
    upstream[i] = vec4f(params.density_scale * delta * ds, g * w);
    t = next;
  }
}
