// A complex FFT of any length on the CPU in float64: iterative radix-2 for powers of two, Bluestein's
// chirp-z (a power-of-two convolution of length ≥ 2n − 1) for the others. Plans (bit reversal, twiddles,
// the chirp and its transform) are cached per length. The DCT of long lines goes through it
// (Makhoul 1980, engine/transforms/dct.ts): O(n log n) where the cosine matrix costs O(n²).

export interface FftPlan {
  n: number;
  /** In place: re, im of length n; inverse without the 1/n. */
  run(re: Float64Array, im: Float64Array, inverse: boolean): void;
}

const plans = new Map<number, FftPlan>();

export function fftPlan(n: number): FftPlan {
  let p = plans.get(n);
  if (!p) {
    p = (n & (n - 1)) === 0 ? radix2(n) : bluestein(n);
    if (plans.size > 32) plans.clear();
    plans.set(n, p);
  }
  return p;
}

function radix2(n: number): FftPlan {
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 1; i < n; i++) rev[i] = (rev[i >> 1]! >> 1) | ((i & 1) << (bits - 1));
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  return {
    n,
    run(re, im, inverse) {
      for (let i = 0; i < n; i++) {
        const j = rev[i]!;
        if (j > i) {
          [re[i], re[j]] = [re[j]!, re[i]!];
          [im[i], im[j]] = [im[j]!, im[i]!];
        }
      }
      const sign = inverse ? 1 : -1;
      for (let size = 2; size <= n; size *= 2) {
        const half = size / 2;
        const step = n / size;
        for (let start = 0; start < n; start += size) {
          for (let k = 0; k < half; k++) {
            const [wr, wi] = [cos[k * step]!, sign * sin[k * step]!];
            const [a, b] = [start + k, start + k + half];
            const tr = re[b]! * wr - im[b]! * wi;
            const ti = re[b]! * wi + im[b]! * wr;
            re[b] = re[a]! - tr;
            im[b] = im[a]! - ti;
            re[a]! += tr;
            im[a]! += ti;
          }
        }
      }
    },
  };
}

function bluestein(n: number): FftPlan {
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const inner = radix2(m);
  // The chirp w_k = e^{−iπk²/n} (k² mod 2n keeps the angle exact for large k).
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(a);
    wi[k] = -Math.sin(a);
  }
  // The transform of b_k = conj(w_|k|), wrapped to length m.
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    br[k] = wr[k]!;
    bi[k] = -wi[k]!;
    if (k > 0) {
      br[m - k] = wr[k]!;
      bi[m - k] = -wi[k]!;
    }
  }
  inner.run(br, bi, false);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  return {
    n,
    run(re, im, inverse) {
      // The inverse is the forward transform of the conjugate, conjugated.
      const s = inverse ? -1 : 1;
      ar.fill(0);
      ai.fill(0);
      for (let k = 0; k < n; k++) {
        const [xr, xi] = [re[k]!, s * im[k]!];
        ar[k] = xr * wr[k]! - xi * wi[k]!;
        ai[k] = xr * wi[k]! + xi * wr[k]!;
      }
      inner.run(ar, ai, false);
      for (let k = 0; k < m; k++) {
        const [x, y] = [ar[k]!, ai[k]!];
        ar[k] = x * br[k]! - y * bi[k]!;
        ai[k] = x * bi[k]! + y * br[k]!;
      }
      inner.run(ar, ai, true);
      for (let k = 0; k < n; k++) {
        const [x, y] = [ar[k]! / m, ai[k]! / m];
        re[k] = x * wr[k]! - y * wi[k]!;
        im[k] = s * (x * wi[k]! + y * wr[k]!);
      }
    },
  };
}
