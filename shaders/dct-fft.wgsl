// Orthonormal DCT-II (and its inverse, the DCT-III) of contiguous lines by one complex FFT of the
// same length (Makhoul, IEEE TASSP 28(1), 1980): n a power of two, n ≤ 2048 (n complex values in
// workgroup memory: 16 KiB).
//   forward: v = [x₀, x₂, …, x_{n−2}, x_{n−1}, …, x₃, x₁];  V = FFT(v);  y_k = s_k·Re(e^{−iπk/2n}·V_k)
//   inverse: X_k = y_k / s_k;  V_0 = X_0,  V_k = e^{iπk/2n}·(X_k − i·X_{n−k});  v = IDFT(V) (real);
//            x_{2m} = v_m, x_{2m+1} = v_{n−1−m}
// with s_0 = √(1/n), s_k = √(2/n). The FFT is radix-2 decimation in time: loads into bit-reversed
// positions, then log2(n) butterfly stages separated by barriers. The IDFT is conj(FFT(conj(V)))/n.
// Twiddles exp(−2πij/n) and the rotations exp(−iπk/2n) come from tables computed in float64 on the
// host (engine/webgpu/dct-fft.ts).
//
// Work split (WG from engine/webgpu/kernels/dct-fft.ts): one workgroup of WG = 256 threads per line, the
// workgroups in a 2-D grid of num_workgroups.x columns; each thread handles n / 256 entries (at least
// one) and n / 2 / 256 butterflies per stage.

// #include "lines"

struct Params {
  n: u32,
  log2n: u32,
  inverse: u32,
  lines: u32,
}

@group(0) @binding(0) var<uniform> params: Params;               // 16 bytes, Params above
@group(0) @binding(1) var<storage, read_write> data: array<f32>; // lines × n, row-major, in place
@group(0) @binding(2) var<storage, read> twiddle: array<vec2f>;  // n/2: exp(−2πij/n) as (cos, sin)
@group(0) @binding(3) var<storage, read> rotate: array<vec2f>;   // n: exp(−iπk/2n) as (cos, sin)

var<workgroup> line: array<vec2f, LINE>;

// #include "complex"

@compute @workgroup_size(WG, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let base = line_base(wg, grid);
  if (base == NO_LINE) { return; } // the whole workgroup: its barriers stay uniform
  let scale0 = sqrt(1.0 / f32(params.n));
  let scale = sqrt(2.0 / f32(params.n));
  let n = params.n;
  for (var k = lid.x; k < n; k += WG) {
    var value: vec2f;
    if (params.inverse == 0u) {
      // v_k: the even samples ascending, then the odd ones descending.
      var src = 2u * k;
      if (k >= n / 2u) { src = 2u * (n - 1u - k) + 1u; }
      value = vec2f(data[base + src], 0.0);
    } else {
      // conj(V_k), V_k = e^{iπk/2n}·(X_k − i·X_{n−k}), X = y / s.
      let xk = data[base + k] / select(scale, scale0, k == 0u);
      var xnk = 0.0;
      if (k > 0u) { xnk = data[base + n - k] / scale; }
      let r = rotate[k];
      value = cmul(vec2f(r.x, -r.y), vec2f(xk, -xnk)); // e^{+iπk/2n} = conj(rotate[k])
      value = vec2f(value.x, -value.y);
    }
    line[bitrev(k, params.log2n)] = value;
  }
  workgroupBarrier();
  for (var s = 0u; s < params.log2n; s++) {
    let half = 1u << s;
    let stride = n / (2u * half); // twiddle index step for this stage
    for (var p = lid.x; p < n / 2u; p += WG) {
      let pos = p % half;
      let i = (p / half) * 2u * half + pos;
      let t = cmul(twiddle[pos * stride], line[i + half]);
      let u = line[i];
      line[i] = u + t;
      line[i + half] = u - t;
    }
    workgroupBarrier();
  }
  for (var k = lid.x; k < n; k += WG) {
    if (params.inverse == 0u) {
      data[base + k] = select(scale, scale0, k == 0u) * cmul(rotate[k], line[k]).x;
    } else {
      // v_m = Re(IDFT) = Re(FFT(conj V))/n; x_{2m} = v_m, x_{2m+1} = v_{n−1−m}.
      let v = line[k].x / f32(n);
      var dst = 2u * k;
      if (k >= n / 2u) { dst = 2u * (n - 1u - k) + 1u; }
      data[base + dst] = v;
    }
  }
}
