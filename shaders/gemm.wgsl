// Strided-batched GEMM: C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b], float32, row-major.
//
// Tiling (TILE set by engine/webgpu/kernels/gemm.ts, 64 there): a workgroup of S × S threads
// (S = TILE / 4) computes a TILE × TILE block of C; each thread owns a 4 × 4 sub-block held in
// registers. The K dimension is walked in steps of S: each step stages a TILE × S slice of op(A) and
// an S × TILE slice of op(B) in workgroup memory as vec4s (one vector of each per thread, 4 + 4
// loads), then every thread does S × 16 multiply-adds from it, reading one vec4 of A and one of B
// per k and updating its 4 × 4 block as four vec4 FMAs. Loads outside the matrices read 0 and stores
// outside are skipped, so no size has to divide the tiles. Dispatch: (ceil(N / TILE),
// ceil(M / TILE), batches), with batch0 the first batch of the dispatch.

struct Params {
  m: u32, n: u32, k: u32,
  // 1 = transposed: op(A) = Aᵀ where A is stored K × M.
  trans_a: u32, trans_b: u32,
  // Element strides between consecutive matrices of a batch (0 = the same matrix for every batch).
  stride_a: u32, stride_b: u32, stride_c: u32,
  alpha: f32, beta: f32,
  // First batch index of this dispatch (batches beyond the 65535 workgroups of one grid dimension
  // are dispatched in chunks).
  batch0: u32,
  // Element offsets of A, B and C inside their bound windows (the window starts 256-byte aligned).
  off_a: u32, off_b: u32, off_c: u32,
  // Row strides (leading dimensions) of A and B as stored: K (M if trans_a) and N (K if trans_b)
  // for packed matrices, larger for a block of columns (split-K).
  lda: u32, ldb: u32,
}

@group(0) @binding(0) var<uniform> params: Params;            // 64 bytes, Params above
@group(0) @binding(1) var<storage, read> a: array<f32>;        // A, row-major, M × K (K × M if trans_a)
@group(0) @binding(2) var<storage, read> b: array<f32>;        // B, row-major, K × N (N × K if trans_b)
@group(0) @binding(3) var<storage, read_write> c: array<f32>;  // C, row-major, M × N

override TILE: u32;        // the block of C a workgroup computes is TILE × TILE (a multiple of 4)
override S: u32 = TILE / 4u; // threads per side; also the K step

var<workgroup> tile_a: array<vec4f, S * S>; // [k][m / 4]: S × TILE, four rows per vector
var<workgroup> tile_b: array<vec4f, S * S>; // [k][n / 4]: S × TILE

fn load_a(base: u32, row: u32, col: u32) -> f32 {
  if (row >= params.m || col >= params.k) { return 0.0; }
  if (params.trans_a == 1u) { return a[base + col * params.lda + row]; }
  return a[base + row * params.lda + col];
}

fn load_b(base: u32, row: u32, col: u32) -> f32 {
  if (row >= params.k || col >= params.n) { return 0.0; }
  if (params.trans_b == 1u) { return b[base + col * params.ldb + row]; }
  return b[base + row * params.ldb + col];
}

@compute @workgroup_size(S, S, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let batch = params.batch0 + wg.z;
  let base_a = params.off_a + batch * params.stride_a;
  let base_b = params.off_b + batch * params.stride_b;
  let base_c = params.off_c + batch * params.stride_c;
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  let flat = lid.y * S + lid.x;

  // acc[i] holds the thread's outputs (row 4·lid.y + i, columns 4·lid.x … 4·lid.x + 3).
  var acc: array<vec4f, 4>;
  for (var i = 0u; i < 4u; i++) { acc[i] = vec4f(0.0); }

  for (var k0 = 0u; k0 < params.k; k0 += S) {
    // Stage op(A)[row0 .. row0+TILE−1][k0 .. k0+S−1] and op(B)[k0 .. k0+S−1][col0 .. col0+TILE−1]:
    // each thread writes one vector of four neighbouring rows of A and four neighbouring columns of B.
    let kk = flat / S;        // 0 … S − 1
    let mm = (flat % S) * 4u; // 0, 4, … TILE − 4
    tile_a[flat] = vec4f(load_a(base_a, row0 + mm, k0 + kk), load_a(base_a, row0 + mm + 1u, k0 + kk),
                         load_a(base_a, row0 + mm + 2u, k0 + kk), load_a(base_a, row0 + mm + 3u, k0 + kk));
    tile_b[flat] = vec4f(load_b(base_b, k0 + kk, col0 + mm), load_b(base_b, k0 + kk, col0 + mm + 1u),
                         load_b(base_b, k0 + kk, col0 + mm + 2u), load_b(base_b, k0 + kk, col0 + mm + 3u));
    workgroupBarrier();
    for (var k = 0u; k < S; k++) {
      let av = tile_a[k * S + lid.y];
      let bv = tile_b[k * S + lid.x];
      acc[0] = fma(vec4f(av.x), bv, acc[0]);
      acc[1] = fma(vec4f(av.y), bv, acc[1]);
      acc[2] = fma(vec4f(av.z), bv, acc[2]);
      acc[3] = fma(vec4f(av.w), bv, acc[3]);
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 4u; i++) {
    let row = row0 + lid.y * 4u + i;
    if (row >= params.m) { continue; }
    let v = acc[i];
    for (var j = 0u; j < 4u; j++) {
      let col = col0 + lid.x * 4u + j;
      if (col >= params.n) { continue; }
      let idx = base_c + row * params.n + col;
      var value = params.alpha * v[j];
      if (params.beta != 0.0) { value += params.beta * c[idx]; }
      c[idx] = value;
    }
  }
}
