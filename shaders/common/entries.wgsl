// The one-thread-per-entry kernels: WG threads per workgroup (set by the binder), the workgroups in
// a 2-D grid of num_workgroups.x columns (one grid dimension holds at most 65535).
override WG: u32;

/** This thread's entry: workgroup wg.y · columns + wg.x, thread lid.x in it. */
fn entry_of(wg: vec3u, grid: vec3u, lid: vec3u) -> u32 { return (wg.y * grid.x + wg.x) * WG + lid.x; }
