// Philox4x32-10 (Salmon et al., SC'11), the counter-based generator of engine/random.ts, so a seed
// gives the same stream on every backend. Thread i writes block i of the stream: four uint32 words
// from counter (block mod 2³², block div 2³², stream, 0) under key (seed low, seed high).
// WGSL has no 64-bit integers: the high half of each 32×32 product is built from 16-bit halves,
// exactly as the host does. Dispatch: ceil(blocks / 64) workgroups of 64.

struct Params {
  key0: u32, key1: u32,
  stream: u32,
  first_block_lo: u32, first_block_hi: u32,
  blocks: u32,
}

@group(0) @binding(0) var<uniform> params: Params;          // 24 bytes (32 with padding)
@group(0) @binding(1) var<storage, read_write> out: array<u32>; // 4 words per block

const M0: u32 = 0xd2511f53u;
const M1: u32 = 0xcd9e8d57u;
const W0: u32 = 0x9e3779b9u;
const W1: u32 = 0xbb67ae85u;

fn mulhi(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let p1 = al * bh;
  let p2 = ah * bl;
  let mid = ((al * bl) >> 16u) + (p1 & 0xffffu) + (p2 & 0xffffu);
  return ah * bh + (p1 >> 16u) + (p2 >> 16u) + (mid >> 16u);
}

override WG: u32; // threads per workgroup, set by the binder

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.blocks) { return; }
  let lo = params.first_block_lo + i;
  let carry = select(0u, 1u, lo < i);
  var c = vec4u(lo, params.first_block_hi + carry, params.stream, 0u);
  var k0 = params.key0;
  var k1 = params.key1;
  for (var round = 0u; round < 10u; round++) {
    if (round > 0u) {
      k0 += W0;
      k1 += W1;
    }
    let hi0 = mulhi(M0, c.x);
    let lo0 = M0 * c.x;
    let hi1 = mulhi(M1, c.z);
    let lo1 = M1 * c.z;
    c = vec4u(hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0);
  }
  out[4u * i] = c.x;
  out[4u * i + 1u] = c.y;
  out[4u * i + 2u] = c.z;
  out[4u * i + 3u] = c.w;
}
