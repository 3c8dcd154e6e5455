// Orthonormal DCT-II/III of contiguous lines longer than one workgroup's FFT (n = n1·n2, a power of
// two, 2048 < n ≤ 2048²): Makhoul's reduction to one complex FFT of length n (as shaders/dct_fft.wgsl,
// whose header gives the formulas), with that FFT done in four steps (Bailey 1990, "FFTs in external
// or hierarchical memory"): for j = n2·j1 + j2 and k = k1 + n1·k2,
//   X[k1 + n1·k2] = Σ_{j2} ω_{n2}^{j2·k2} · ω_n^{j2·k1} · Σ_{j1} ω_{n1}^{j1·k1} · v[n2·j1 + j2].
// Two dispatches of this kernel, selected by params.step:
//   step 0: one workgroup per (line l, j2): gathers v[n2·j1 + j2] for all j1 (Makhoul's reordering of
//           the real input, or the inverse's pre-rotation), FFT of length n1, multiplies by
//           ω_n^{j2·k1}, writes temp[l][k1·n2 + j2];
//   step 1: one workgroup per (line l, k1): reads temp[l][k1·n2 + j2] for all j2, FFT of length n2,
//           and writes output k = k1 + n1·k2 (the forward's rotation, or the inverse's reordering)
//           into data, in place (step 0 read it in an earlier dispatch).
// Each FFT is radix-2 decimation in time in workgroup memory (≤ 2048 complex values, 16 KiB): loads
// into bit-reversed positions, log2(m) butterfly stages between barriers. The inverse's IDFT is
// conj(FFT(conj V))/n as in dct_fft.wgsl. One table serves every twiddle: w[t] = exp(−2πit/n) for
// t < n (ω_m^j = w[j·n/m]), and rotate[k] = exp(−iπk/2n); both computed in float64 on the host.
//
// Work split (engine/webgpu/dct-four-step.ts must match): 256 threads per workgroup; workgroup index
// g = wg.y · num_workgroups.x + wg.x, l = g / q, the sub-line g % q; lines = (DCT lines bound) · q.

struct Params {
  n: u32,       // DCT line length n = n1·n2
  m: u32,       // this step's FFT length: n1 (step 0) or n2 (step 1)
  log2m: u32,
  q: u32,       // sub-lines per DCT line: n2 (step 0) or n1 (step 1)
  groups: u32,  // workgroups with work: bound DCT lines × q
  step: u32,    // 0 or 1, above
  inverse: u32, // 0: DCT-II, 1: DCT-III
  n2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;               // 32 bytes, Params above
@group(0) @binding(1) var<storage, read_write> data: array<f32>; // bound lines × n, row-major, in place
@group(0) @binding(2) var<storage, read_write> temp: array<vec2f>; // bound lines × n complex, step 0 → 1
@group(0) @binding(3) var<storage, read> w: array<vec2f>;        // n: exp(−2πit/n) as (cos, −sin)
@group(0) @binding(4) var<storage, read> rotate: array<vec2f>;   // n: exp(−iπk/2n) as (cos, −sin)

const WG: u32 = 256u;
var<workgroup> line: array<vec2f, 2048>;

fn cmul(a: vec2f, b: vec2f) -> vec2f { return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
fn bitrev(i: u32, bits: u32) -> u32 { return reverseBits(i) >> (32u - bits); }

// v_j of the length-n complex FFT: Makhoul's reordering (forward) or conj(V_j) from y (inverse).
fn input(base: u32, j: u32) -> vec2f {
  let n = params.n;
  if (params.inverse == 0u) {
    var src = 2u * j;
    if (j >= n / 2u) { src = 2u * (n - 1u - j) + 1u; }
    return vec2f(data[base + src], 0.0);
  }
  let scale0 = sqrt(1.0 / f32(n));
  let scale = sqrt(2.0 / f32(n));
  let xj = data[base + j] / select(scale, scale0, j == 0u);
  var xnj = 0.0;
  if (j > 0u) { xnj = data[base + n - j] / scale; }
  let r = rotate[j];
  let v = cmul(vec2f(r.x, -r.y), vec2f(xj, -xnj)); // e^{+iπj/2n}·(X_j − i·X_{n−j})
  return vec2f(v.x, -v.y);
}

// Writes entry k of the length-n FFT: the forward's y_k, or the inverse's sample.
fn output(base: u32, k: u32, value: vec2f) {
  let n = params.n;
  if (params.inverse == 0u) {
    let s = select(sqrt(2.0 / f32(n)), sqrt(1.0 / f32(n)), k == 0u);
    data[base + k] = s * cmul(rotate[k], value).x;
  } else {
    var dst = 2u * k;
    if (k >= n / 2u) { dst = 2u * (n - 1u - k) + 1u; }
    data[base + dst] = value.x / f32(n);
  }
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = wg.y * grid.x + wg.x;
  if (g >= params.groups) { return; } // the same for the whole workgroup: barriers stay uniform
  let n = params.n;
  let m = params.m;
  let n2 = params.n2;
  let n1 = n / n2;
  let l = g / params.q;
  let sub = g % params.q; // j2 in step 0, k1 in step 1
  let base = l * n;
  for (var e = lid.x; e < m; e += WG) {
    var value: vec2f;
    if (params.step == 0u) {
      value = input(base, n2 * e + sub);
    } else {
      value = temp[base + sub * n2 + e];
    }
    line[bitrev(e, params.log2m)] = value;
  }
  workgroupBarrier();
  let wstep = n / m; // ω_m^j = w[j·n/m]
  for (var s = 0u; s < params.log2m; s++) {
    let half = 1u << s;
    let stride = m / (2u * half);
    for (var p = lid.x; p < m / 2u; p += WG) {
      let pos = p % half;
      let i = (p / half) * 2u * half + pos;
      let t = cmul(w[pos * stride * wstep], line[i + half]);
      let u = line[i];
      line[i] = u + t;
      line[i + half] = u - t;
    }
    workgroupBarrier();
  }
  for (var e = lid.x; e < m; e += WG) {
    if (params.step == 0u) {
      // e = k1, sub = j2: the twiddle ω_n^{j2·k1} (j2·k1 < n), stored as [k1][j2] for step 1.
      temp[base + e * n2 + sub] = cmul(w[sub * e], line[e]);
    } else {
      // sub = k1, e = k2: entry k = k1 + n1·k2.
      output(base, sub + n1 * e, line[e]);
    }
  }
}
