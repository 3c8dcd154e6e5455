// N-D transpose (numpy.transpose(x, perm)) of a float32 tensor in C order, up to 8 axes, as a
// strided copy: entry j of the iteration space (C-order index (i₀ … i_{d−1}) over shape) reads the
// input at src_off + Σₖ iₖ · in_stride[k] and writes the output at dst_off + Σₖ iₖ · out_stride[k].
// A whole transpose has in_stride[k] = input stride of axis perm[k] and out_stride = the C-order
// strides of the output (consecutive threads write consecutive outputs: coalesced stores, strided
// loads); a block of a 2-D transpose (engine/webgpu/permute.ts, tensors beyond one binding) has
// output strides of the whole matrix.
//
// Work split (WG from engine/webgpu/kernels/permute.ts): one thread per entry, WG = 256 threads per
// workgroup, workgroups laid out in a 2-D grid of num_workgroups.x columns (one dimension holds at
// most 65535).

// #include "entries"

struct Params {
  ndim: u32,
  total: u32,
  src_off: u32, // element offsets of the tensors inside their bound windows
  dst_off: u32,
  out_shape: array<vec4u, 2>, // sizes of the iteration axes, 8 slots (unused: 1)
  in_stride: array<vec4u, 2>, // input stride of iteration axis k
  out_stride: array<vec4u, 2>, // output stride of iteration axis k
}

@group(0) @binding(0) var<uniform> params: Params;              // 112 bytes, Params above
@group(0) @binding(1) var<storage, read> src: array<f32>;        // input, C order
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;  // output

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = entry_of(wg, grid, lid);
  if (j >= params.total) { return; }
  var rest = j;
  var offset = params.src_off;
  var place = params.dst_off;
  for (var k = i32(params.ndim) - 1; k >= 0; k--) {
    let size = params.out_shape[u32(k) / 4u][u32(k) % 4u];
    let i = rest % size;
    offset += i * params.in_stride[u32(k) / 4u][u32(k) % 4u];
    place += i * params.out_stride[u32(k) / 4u][u32(k) % 4u];
    rest /= size;
  }
  dst[place] = src[offset];
}
