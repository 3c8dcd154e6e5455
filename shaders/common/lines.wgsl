// The line kernels (one workgroup per line of n entries, in a 2-D grid of workgroups beyond 65535
// in one dimension): which line this workgroup has, or none past the last line.
const WG: u32 = 256u;
fn line_of(wg: vec3u, grid: vec3u) -> u32 { return wg.y * grid.x + wg.x; }
