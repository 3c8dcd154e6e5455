// Orthonormal DCT-II/III of contiguous lines by FFT where one workgroup's FFT does not serve
// (shaders/dct-fft.wgsl does power-of-two lines up to 2048): Makhoul's reduction to one complex DFT
// of length n (as dct-fft.wgsl, whose header gives the formulas; the permutation is written for odd n
// too), that DFT being
//   - for n a power of two above 2048, one FFT of length N = n;
//   - for any other n, Bluestein's chirp z-transform (Bluestein 1970; Rabiner, Schafer & Rader 1969):
//     with c_j = exp(iπj²/n), DFT_n(v)_k = conj(c_k)·Σ_j (v_j·conj(c_j))·c_{k−j}, a circular
//     convolution of length N = the power of two ≥ 2n − 1: P = FFT_N(a)·FFT_N(c) (the chirp's FFT
//     computed in float64 on the host), then FFT_N(conj P) = conj(N·p).
// Each FFT of length N = n1·n2 is done in four steps (Bailey 1990, "FFTs in external or hierarchical
// memory"): for j = n2·j1 + j2 and k = k1 + n1·k2,
//   X[k1 + n1·k2] = Σ_{j2} ω_{n2}^{j2·k2} · ω_N^{j2·k1} · Σ_{j1} ω_{n1}^{j1·k1} · v[n2·j1 + j2],
// two dispatches of this kernel selected by params.step (for Bluestein with N ≤ 2048, both FFTs and
// the product run in one workgroup per line instead, step 2):
//   step 0: per (line l, j2): gathers v[n2·j1 + j2] for all j1 (params.pre), FFT of length n1,
//           multiplies by ω_N^{j2·k1}, writes temp[l][k1·n2 + j2];
//   step 1: per (line l, k1): reads temp[l][k1·n2 + j2] for all j2, FFT of length n2, and writes entry
//           k = k1 + n1·k2 (params.post): the DCT into data in place (step 0 read it in an earlier
//           dispatch), or, between Bluestein's two FFTs, conj(X·FFT(c)) into temp2.
// Each FFT is radix-2 decimation in time in workgroup memory (≤ 2048 complex values, 16 KiB): loads
// into bit-reversed positions, log2(m) butterfly stages between barriers. The inverse's IDFT is
// conj(FFT(conj V))/n as in dct-fft.wgsl. One table serves every twiddle: w[t] = exp(−2πit/N) for
// t < N (ω_m^j = w[j·N/m]); rotate[k] = exp(−iπk/2n), the chirp and its FFT: all float64 on the host.
//
// Work split (WG from engine/webgpu/kernels/dct-four-step.ts): WG = 256 threads per workgroup, each workgroup
// transforming `per` = min(2048 / m, q) consecutive sub-lines (all of workgroup memory, every thread
// busy even for m = 64); workgroup index g = wg.y · num_workgroups.x + wg.x, l = g / (q / per), its first
// sub-line (g % (q / per))·per; groups = (DCT lines bound) · q / per.

struct Params {
  n: u32,       // DCT line length
  big: u32,     // the complex FFT's length N = n1·n2: n, or Bluestein's power of two ≥ 2n − 1
  m: u32,       // this step's FFT length: n1 (step 0) or n2 (step 1)
  log2m: u32,
  q: u32,       // sub-lines per FFT: n2 (step 0) or n1 (step 1)
  groups: u32,  // workgroups with work: bound DCT lines × q / per
  step: u32,    // 0 or 1, above; 2: Bluestein with N ≤ 2048 in one dispatch (bluesteinInWorkgroup)
  inverse: u32, // 0: DCT-II, 1: DCT-III
  n2: u32,
  per: u32,     // sub-lines per workgroup: min(2048 / m, q), a power of two dividing q
  pre: u32,     // step 0's input: 0 Makhoul's v, 1 Bluestein's v_j·conj(c_j) (0 past n), 2 temp2
  post: u32,    // step 1's output: 0 Makhoul's, 1 temp2 = conj(X·B), 2 Bluestein's DFT then Makhoul's
}

@group(0) @binding(0) var<uniform> params: Params;                // 48 bytes, Params above
@group(0) @binding(1) var<storage, read_write> data: array<f32>;  // bound lines × n, row-major, in place
@group(0) @binding(2) var<storage, read_write> temp: array<vec2f>;  // bound lines × N complex, step 0 → 1
@group(0) @binding(3) var<storage, read> w: array<vec2f>;         // N: exp(−2πit/N) as (cos, −sin)
@group(0) @binding(4) var<storage, read> rotate: array<vec2f>;    // n: exp(−iπk/2n) as (cos, −sin)
@group(0) @binding(5) var<storage, read_write> temp2: array<vec2f>; // Bluestein: bound lines × N, between the FFTs
@group(0) @binding(6) var<storage, read> chirp: array<vec2f>;     // Bluestein: n: c_j = exp(iπj²/n)
@group(0) @binding(7) var<storage, read> chirpFft: array<vec2f>;  // Bluestein: N: FFT_N of c (c_j at j and N − j)

override WG: u32;   // threads per workgroup, set by the binder
override LINE: u32; // the longest FFT of one workgroup (STEP_MAX)
var<workgroup> line: array<vec2f, LINE>;

// #include "complex"

// v_j of the length-n complex FFT: Makhoul's reordering (forward) or conj(V_j) from y (inverse).
fn input(base: u32, j: u32) -> vec2f {
  let n = params.n;
  if (params.inverse == 0u) {
    var src = 2u * j;
    if (j >= (n + 1u) / 2u) { src = 2u * (n - 1u - j) + 1u; }
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
    if (k >= (n + 1u) / 2u) { dst = 2u * (n - 1u - k) + 1u; }
    data[base + dst] = value.x / f32(n);
  }
}

// The log2(m) butterfly stages of `per` FFTs of length m held in bit-reversed order in `line`
// (natural order after), each stage followed by a barrier. Called in uniform control flow.
fn butterflies(per: u32, m: u32, tid: u32) {
  let wstep = params.big / m; // ω_m^j = w[j·N/m]
  let halfM = m / 2u;
  for (var s = 0u; s < params.log2m; s++) {
    let half = 1u << s;
    let stride = m / (2u * half);
    for (var p = tid; p < per * halfM; p += WG) {
      let pp = p % halfM;
      let pos = pp % half;
      let i = (p / halfM) * m + (pp / half) * 2u * half + pos;
      let t = cmul(w[pos * stride * wstep], line[i + half]);
      let u = line[i];
      line[i] = u + t;
      line[i + half] = u - t;
    }
    workgroupBarrier();
  }
}

// Step 2: all of Bluestein for one DCT line in workgroup memory, where N ≤ 2048: FFT of
// v_j·conj(c_j), times FFT(c) and conjugated, back into bit-reversed order (disjoint swaps), the
// second FFT, then DFT_n(v)_k = conj(c_k)·conj(·)/N into Makhoul's output.
fn bluesteinInWorkgroup(l: u32, tid: u32) {
  let n = params.n;
  let big = params.big;
  let base = l * n;
  for (var j = tid; j < big; j += WG) {
    var value = vec2f(0.0);
    if (j < n) { value = cmul(input(base, j), conj(chirp[j])); }
    line[bitrev(j, params.log2m)] = value;
  }
  workgroupBarrier();
  butterflies(1u, big, tid);
  for (var k = tid; k < big; k += WG) { line[k] = conj(cmul(line[k], chirpFft[k])); }
  workgroupBarrier();
  for (var i = tid; i < big; i += WG) {
    let r = bitrev(i, params.log2m);
    if (i < r) {
      let t = line[i];
      line[i] = line[r];
      line[r] = t;
    }
  }
  workgroupBarrier();
  butterflies(1u, big, tid);
  for (var k = tid; k < n; k += WG) { output(base, k, cmul(conj(chirp[k]), conj(line[k])) / f32(big)); }
}

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g = wg.y * grid.x + wg.x;
  if (g >= params.groups) { return; } // the same for the whole workgroup: barriers stay uniform
  if (params.step == 2u) {
    bluesteinInWorkgroup(g, lid.x);
    return;
  }
  let n = params.n;
  let big = params.big;
  let m = params.m;
  let n2 = params.n2;
  let n1 = big / n2;
  let per = params.per;
  let runs = params.q / per; // workgroups per DCT line
  let l = g / runs;
  let first = (g % runs) * per; // its first sub-line: j2 in step 0, k1 in step 1
  let base = l * n;     // this line in data
  let tbase = l * big;  // and in temp, temp2
  let count = per * m;
  // Entry f of workgroup memory: sub-line first + f / m, element f % m.
  for (var f = lid.x; f < count; f += WG) {
    let sub = first + f / m;
    let e = f % m;
    var value: vec2f;
    if (params.step == 0u) {
      let j = n2 * e + sub;
      if (params.pre == 0u) {
        value = input(base, j);
      } else if (params.pre == 1u) {
        value = vec2f(0.0);
        if (j < n) { value = cmul(input(base, j), conj(chirp[j])); }
      } else {
        value = temp2[tbase + j];
      }
    } else {
      value = temp[tbase + sub * n2 + e];
    }
    line[(f / m) * m + bitrev(e, params.log2m)] = value;
  }
  workgroupBarrier();
  butterflies(per, m, lid.x);
  for (var f = lid.x; f < count; f += WG) {
    let sub = first + f / m;
    let e = f % m;
    if (params.step == 0u) {
      // e = k1, sub = j2: the twiddle ω_N^{j2·k1} (j2·k1 < N), stored as [k1][j2] for step 1.
      temp[tbase + e * n2 + sub] = cmul(w[sub * e], line[f]);
    } else {
      // sub = k1, e = k2: entry k = k1 + n1·k2.
      let k = sub + n1 * e;
      let x = line[f];
      if (params.post == 0u) {
        output(base, k, x);
      } else if (params.post == 1u) {
        temp2[tbase + k] = conj(cmul(x, chirpFft[k])); // the second FFT of conj(P) is the inverse
      } else if (k < n) {
        // p = conj(FFT(conj P))/N; DFT_n(v)_k = conj(c_k)·p_k.
        output(base, k, cmul(conj(chirp[k]), conj(x)) / f32(big));
      }
    }
  }
}
