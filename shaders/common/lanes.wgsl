// Lane k of a uniform array of vec4s (a uniform array's elements are 16 bytes, so per-axis values
// are packed four to an element).
fn lane_u(a: array<vec4u, 2>, k: u32) -> u32 { return a[k / 4u][k % 4u]; }
fn lane_f(a: array<vec4f, 2>, k: u32) -> f32 { return a[k / 4u][k % 4u]; }
