// Orthonormal fast Walsh–Hadamard transform of contiguous lines: x[line, 0 … n−1], n a power of
// two, n ≤ 4096 (one line in workgroup memory: 16 KiB). Natural (Hadamard) order; sequency order
// by a permutation applied on write-back (perm[k] = bitreverse(gray(k)), computed on the host), and
// for the inverse in sequency order by the inverse permutation applied on load.
//
// Work split (WG from engine/webgpu/kernels/fwht.ts): one workgroup of WG = 256 threads per line, the
// workgroups in a 2-D grid of num_workgroups.x columns (line = wg.y · columns + wg.x; one grid
// dimension holds at most 65535); each thread loads and stores n / 256 entries (at least one) and
// does n / 2 / 256 butterflies per stage, log2(n) stages separated by barriers. Longer lines are
// transformed in two passes by the TS side (H_{n1·n2} = H_{n1} ⊗ H_{n2}).

// #include "lines"

struct Params {
  n: u32,        // line length (power of two)
  log2n: u32,
  sequency: u32, // 1 = write y_seq[k] = y_nat[perm[k]]; 2 = load y_nat[perm[k]] = y_seq[k] (inverse)
  scale: f32,    // 1/√n
  lines: u32,
}

@group(0) @binding(0) var<uniform> params: Params;                 // 20 bytes (32 with padding), Params above
@group(0) @binding(1) var<storage, read_write> data: array<f32>;   // lines × n, row-major, in place
@group(0) @binding(2) var<storage, read> perm: array<u32>;         // n entries (unused unless sequency)

var<workgroup> line: array<f32, LINE>;

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let base = line_base(wg, grid);
  if (base == NO_LINE) { return; }
  let n = params.n;
  for (var i = lid.x; i < n; i += WG) {
    var dst = i;
    if (params.sequency == 2u) { dst = perm[i]; }
    line[dst] = data[base + i];
  }
  workgroupBarrier();
  // Stage s pairs j and j + h (h = 2^s) inside blocks of 2h: butterfly p ↦ (block, offset).
  for (var s = 0u; s < params.log2n; s++) {
    let h = 1u << s;
    for (var p = lid.x; p < n / 2u; p += WG) {
      let j = (p / h) * 2u * h + (p % h);
      let x = line[j];
      let y = line[j + h];
      line[j] = x + y;
      line[j + h] = x - y;
    }
    workgroupBarrier();
  }
  for (var k = lid.x; k < n; k += WG) {
    var src = k;
    if (params.sequency == 1u) { src = perm[k]; }
    data[base + k] = line[src] * params.scale;
  }
}
