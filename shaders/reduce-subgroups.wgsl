// The reduce.wgsl partial sums with subgroup operations, for devices with the `subgroups` feature and
// WGSL's subgroup_id: each subgroup adds its threads' terms with subgroupAdd, the first subgroup adds
// the subgroups' sums, so a workgroup needs one barrier instead of a tree of eight. Same bindings,
// CHUNK and dispatch as reduce.wgsl (engine/webgpu/reduce.ts binds both and picks this one when the
// device allows it).
requires subgroup_id;
enable subgroups;

// #include "reduce"
var<workgroup> sums: array<f32, 256>; // one per subgroup (at most 256 of one thread)

@compute @workgroup_size(WG, 1, 1)
fn main(
  @builtin(workgroup_id) wg: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(subgroup_id) sid: u32,
  @builtin(num_subgroups) count: u32,
  @builtin(subgroup_invocation_id) lane: u32,
  @builtin(subgroup_size) size: u32,
) {
  let start = wg.x * WG * PER_THREAD;
  var s = 0.0;
  for (var j = 0u; j < PER_THREAD; j++) {
    let i = start + j * WG + lid.x; // coalesced: neighbouring threads read neighbouring entries
    if (i < params.n) { s = fma(x[i], y[i], s); }
  }
  let t = subgroupAdd(s);
  if (lane == 0u) { sums[sid] = t; }
  workgroupBarrier();
  if (sid == 0u) {
    var acc = 0.0;
    for (var k = lane; k < count; k += size) { acc += sums[k]; }
    let total = subgroupAdd(acc);
    if (lane == 0u) { partial[wg.x] = total; }
  }
}
