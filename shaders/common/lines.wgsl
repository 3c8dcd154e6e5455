// The line kernels: one workgroup of WG threads per line of params.n ≤ LINE entries (both sizes set
// by the binder), params.lines lines, the workgroups in a 2-D grid of num_workgroups.x columns (one
// grid dimension holds at most 65535).
override WG: u32;
override LINE: u32;

const NO_LINE: u32 = 0xffffffffu;

/** Where this workgroup's line starts in the data, or NO_LINE past the last line (then the whole
 * workgroup returns, so its barriers stay uniform). */
fn line_base(wg: vec3u, grid: vec3u) -> u32 {
  let index = wg.y * grid.x + wg.x;
  return select(index * params.n, NO_LINE, index >= params.lines);
}
