// The SVD of an upper bidiagonal matrix B = U·diag(σ)·Vᵀ by implicit-shift QR (Golub & Kahan 1965;
// Golub & Reinsch 1970), with Demmel & Kahan's zero-shift sweeps and convergence tests that keep
// every singular value to high relative accuracy ("Accurate singular values of bidiagonal
// matrices", SISC 11(5), 1990). The structure is LAPACK's dbdsqr: chase from the larger end of each
// unreduced block towards the smaller, 2×2 blocks by dlasv2, at most 6n² sweeps.
//
// U and V are accumulated as arrays of columns (each a contiguous Float64Array), so a rotation of
// two columns streams two arrays.

const EPS = 2 ** -53; // LAPACK's dlamch('E'): half an ulp of 1
const UNFL = 2 ** -1022; // the smallest normal number
const MAXITR = 6;

/** |a| with the sign of b (Fortran's SIGN; +0 and −0 count as positive). */
const sign = (a: number, b: number) => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** A plane rotation with [c s; −s c]·[f; g] = [r; 0], c ≥ 0 (LAPACK's dlartg). */
export function rotation(f: number, g: number): [c: number, s: number, r: number] {
  if (g === 0) return [1, 0, f];
  if (f === 0) return [0, sign(1, g), Math.abs(g)];
  let d = Math.sqrt(f * f + g * g);
  if (!(d > 1e-150 && d < 1e150)) d = Math.hypot(f, g);
  const r = sign(d, f);
  return [Math.abs(f) / d, g / r, r];
}

/** The singular values (smaller, larger) of [f g; 0 h] (LAPACK's dlas2). */
function singularValues2(f: number, g: number, h: number): [number, number] {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  if (fhmn === 0) {
    if (fhmx === 0) return [0, ga];
    const big = Math.max(fhmx, ga);
    const small = Math.min(fhmx, ga);
    return [0, big * Math.sqrt(1 + (small / big) ** 2)];
  }
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) ** 2;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return [fhmn * c, fhmx / c];
  }
  const au = fhmx / ga;
  if (au === 0) return [(fhmn * fhmx) / ga, ga];
  const as = 1 + fhmn / fhmx;
  const at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  return [2 * (fhmn * c) * au, ga / (c + c)];
}

/**
 * The SVD of [f g; 0 h] (LAPACK's dlasv2): [csl snl; −snl csl]·[f g; 0 h]·[csr −snr; snr csr] =
 * diag(ssmax, ssmin), |ssmax| ≥ |ssmin|.
 */
function svd2(f: number, g: number, h: number): { ssmin: number; ssmax: number; snr: number; csr: number; snl: number; csl: number } {
  let ft = f;
  let fa = Math.abs(ft);
  let ht = h;
  let ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    [ft, ht] = [ht, ft];
    [fa, ha] = [ha, fa];
  }
  const gt = g;
  const ga = Math.abs(gt);
  let clt: number, crt: number, slt: number, srt: number, ssmin: number, ssmax: number; // prettier-ignore
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
    clt = 1;
    crt = 1;
    slt = 0;
    srt = 0;
  } else {
    let gasmal = true;
    ssmin = ssmax = clt = crt = slt = srt = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const d = fa - ha;
      let l = d === fa ? 1 : d / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(d, ft) + m / t;
      else t = (m / (s + t) + m / (r + l)) * (1 + a);
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  const [csl, snl, csr, snr] = swap ? [srt, crt, slt, clt] : [clt, slt, crt, srt];
  const tsign = pmax === 1 ? sign(1, csr) * sign(1, csl) * sign(1, f) : pmax === 2 ? sign(1, snr) * sign(1, csl) * sign(1, g) : sign(1, snr) * sign(1, snl) * sign(1, h);
  return { ssmin: sign(ssmin, tsign * sign(1, f) * sign(1, h)), ssmax: sign(ssmax, tsign), snr, csr, snl, csl };
}

/** (x, y) ← (c·x + s·y, c·y − s·x) over n entries (BLAS drot). */
export function rot(x: Float64Array, y: Float64Array, c: number, s: number): void {
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    x[i] = c * a + s * b;
    y[i] = c * b - s * a;
  }
}

/**
 * The sequence of plane rotations k = 0 … count−1 on vectors (from + k, from + k + 1), first to
 * last (`forward`) or last to first, each (x, y) ← (c·x + s·y, c·y − s·x): LAPACK's dlasr with
 * pivot 'V' applied to the columns of U (side 'R') or the rows of Vᵀ (side 'L').
 */
function applyRotations(vecs: Float64Array[], from: number, cs: Float64Array, sn: Float64Array, count: number, forward: boolean): void {
  for (let t = 0; t < count; t++) {
    const k = forward ? t : count - 1 - t;
    const c = cs[k]!;
    const s = sn[k]!;
    if (c !== 1 || s !== 0) rot(vecs[from + k]!, vecs[from + k + 1]!, c, s);
  }
}

export interface BidiagonalSvdHooks {
  /** Called now and then with the number of singular values converged (it may throw to cancel). */
  onProgress?: (converged: number, of: number) => void;
}

/**
 * Diagonalises the n×n upper bidiagonal B (diagonal d, superdiagonal e of length n − 1) in place:
 * on return d holds the singular values, descending, and the columns `u` and `v` (n vectors each,
 * usually the identity's) are multiplied by B's singular vectors: U ← U·U_B, V ← V·V_B.
 */
export function bidiagonalSvd(d: Float64Array, e: Float64Array, u: Float64Array[], v: Float64Array[], hooks: BidiagonalSvdHooks = {}): void {
  const n = d.length;
  if (n === 0) return;
  if (n > 1) qrIterations(d, e, u, v, hooks);
  // Positive singular values, then descending order (selection sort: at most n swaps of vectors).
  for (let i = 0; i < n; i++) {
    if (d[i]! < 0) {
      d[i] = -d[i]!;
      const vi = v[i]!;
      for (let k = 0; k < vi.length; k++) vi[k] = -vi[k]!;
    }
  }
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (d[j]! > d[best]!) best = j;
    if (best === i) continue;
    [d[i], d[best]] = [d[best]!, d[i]!];
    [u[i], u[best]] = [u[best]!, u[i]!];
    [v[i], v[best]] = [v[best]!, v[i]!];
  }
}

function qrIterations(d: Float64Array, e: Float64Array, u: Float64Array[], v: Float64Array[], hooks: BidiagonalSvdHooks): void {
  const n = d.length;
  const tol = Math.max(10, Math.min(100, EPS ** -0.125)) * EPS;
  // An estimate of the smallest singular value, for the absolute threshold below which an entry is
  // negligible.
  let sminoa = Math.abs(d[0]!);
  for (let i = 1, mu = sminoa; i < n && sminoa !== 0; i++) {
    mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
    sminoa = Math.min(sminoa, mu);
  }
  sminoa /= Math.sqrt(n);
  const thresh = Math.max(tol * sminoa, MAXITR * (n * (n * UNFL)));
  const work = { cr: new Float64Array(n), sr: new Float64Array(n), cl: new Float64Array(n), sl: new Float64Array(n) };
  const maxIterations = MAXITR * n * n;
  let iterations = 0;
  let oldll = -1;
  let oldm = -1;
  let idir = 0;
  let m = n - 1; // the bottom of the active block (0-based)
  let sminl = 0;
  let reported = 0;
  while (m > 0) {
    if (iterations > maxIterations) throw new Error(`the bidiagonal SVD did not converge in ${maxIterations} QR sweeps (n = ${n}); the matrix may contain NaN or Inf`);
    if (hooks.onProgress && n - 1 - m >= reported + 64) hooks.onProgress((reported = n - 1 - m), n);
    // The unreduced block [ll, m]: e[ll − 1] is zero (or ll = 0).
    let smax = Math.abs(d[m]!);
    let ll = -1;
    for (let i = m - 1; i >= 0; i--) {
      const abss = Math.abs(d[i]!);
      const abse = Math.abs(e[i]!);
      if (abse <= thresh) {
        e[i] = 0;
        ll = i;
        break;
      }
      smax = Math.max(smax, abss, abse);
    }
    if (ll === m - 1) {
      m--; // the bottom value has converged
      continue;
    }
    ll++;
    if (ll === m - 1) {
      // A 2×2 block.
      const r = svd2(d[m - 1]!, e[m - 1]!, d[m]!);
      d[m - 1] = r.ssmax;
      e[m - 1] = 0;
      d[m] = r.ssmin;
      rot(v[m - 1]!, v[m]!, r.csr, r.snr);
      rot(u[m - 1]!, u[m]!, r.csl, r.snl);
      m -= 2;
      continue;
    }
    // A new block: chase from the larger end towards the smaller.
    if (ll > oldm || m < oldll) idir = Math.abs(d[ll]!) >= Math.abs(d[m]!) ? 1 : 2;
    // Convergence tests.
    let split = false;
    if (idir === 1) {
      if (Math.abs(e[m - 1]!) <= tol * Math.abs(d[m]!)) {
        e[m - 1] = 0;
        continue;
      }
      let mu = Math.abs(d[ll]!);
      sminl = mu;
      for (let l = ll; l < m; l++) {
        if (Math.abs(e[l]!) <= tol * mu) {
          e[l] = 0;
          split = true;
          break;
        }
        mu = Math.abs(d[l + 1]!) * (mu / (mu + Math.abs(e[l]!)));
        sminl = Math.min(sminl, mu);
      }
    } else {
      if (Math.abs(e[ll]!) <= tol * Math.abs(d[ll]!)) {
        e[ll] = 0;
        continue;
      }
      let mu = Math.abs(d[m]!);
      sminl = mu;
      for (let l = m - 1; l >= ll; l--) {
        if (Math.abs(e[l]!) <= tol * mu) {
          e[l] = 0;
          split = true;
          break;
        }
        mu = Math.abs(d[l]!) * (mu / (mu + Math.abs(e[l]!)));
        sminl = Math.min(sminl, mu);
      }
    }
    if (split) continue;
    oldll = ll;
    oldm = m;
    // The shift: zero where shifting would spoil the relative accuracy of the small values.
    let shift = 0;
    if (!(n * tol * (sminl / smax) <= Math.max(EPS, 0.01 * tol))) {
      let sll: number;
      if (idir === 1) {
        sll = Math.abs(d[ll]!);
        shift = singularValues2(d[m - 1]!, e[m - 1]!, d[m]!)[0];
      } else {
        sll = Math.abs(d[m]!);
        shift = singularValues2(d[ll]!, e[ll]!, d[ll + 1]!)[0];
      }
      if (sll > 0 && (shift / sll) ** 2 < EPS) shift = 0;
    }
    iterations += m - ll;
    const count = m - ll;
    const { cr, sr, cl, sl } = work;
    if (shift === 0) {
      if (idir === 1) {
        let cs = 1;
        let oldcs = 1;
        let oldsn = 0;
        for (let i = ll; i < m; i++) {
          let r: number;
          let sn: number;
          [cs, sn, r] = rotation(d[i]! * cs, e[i]!);
          if (i > ll) e[i - 1] = oldsn * r;
          let di: number;
          [oldcs, oldsn, di] = rotation(oldcs * r, d[i + 1]! * sn);
          d[i] = di;
          cr[i - ll] = cs;
          sr[i - ll] = sn;
          cl[i - ll] = oldcs;
          sl[i - ll] = oldsn;
        }
        const h = d[m]! * cs;
        d[m] = h * oldcs;
        e[m - 1] = h * oldsn;
        applyRotations(v, ll, cr, sr, count, true);
        applyRotations(u, ll, cl, sl, count, true);
        if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
      } else {
        let cs = 1;
        let oldcs = 1;
        let oldsn = 0;
        for (let i = m; i > ll; i--) {
          let r: number;
          let sn: number;
          [cs, sn, r] = rotation(d[i]! * cs, e[i - 1]!);
          if (i < m) e[i] = oldsn * r;
          let di: number;
          [oldcs, oldsn, di] = rotation(oldcs * r, d[i - 1]! * sn);
          d[i] = di;
          cr[i - ll - 1] = cs;
          sr[i - ll - 1] = -sn;
          cl[i - ll - 1] = oldcs;
          sl[i - ll - 1] = -oldsn;
        }
        const h = d[ll]! * cs;
        d[ll] = h * oldcs;
        e[ll] = h * oldsn;
        applyRotations(v, ll, cl, sl, count, false);
        applyRotations(u, ll, cr, sr, count, false);
        if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
      }
    } else if (idir === 1) {
      let f = (Math.abs(d[ll]!) - shift) * (sign(1, d[ll]!) + shift / d[ll]!);
      let g = e[ll]!;
      for (let i = ll; i < m; i++) {
        const [cosr, sinr, r1] = rotation(f, g);
        if (i > ll) e[i - 1] = r1;
        f = cosr * d[i]! + sinr * e[i]!;
        e[i] = cosr * e[i]! - sinr * d[i]!;
        g = sinr * d[i + 1]!;
        d[i + 1] = cosr * d[i + 1]!;
        const [cosl, sinl, r2] = rotation(f, g);
        d[i] = r2;
        f = cosl * e[i]! + sinl * d[i + 1]!;
        d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
        if (i < m - 1) {
          g = sinl * e[i + 1]!;
          e[i + 1] = cosl * e[i + 1]!;
        }
        cr[i - ll] = cosr;
        sr[i - ll] = sinr;
        cl[i - ll] = cosl;
        sl[i - ll] = sinl;
      }
      e[m - 1] = f;
      applyRotations(v, ll, cr, sr, count, true);
      applyRotations(u, ll, cl, sl, count, true);
      if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
    } else {
      let f = (Math.abs(d[m]!) - shift) * (sign(1, d[m]!) + shift / d[m]!);
      let g = e[m - 1]!;
      for (let i = m; i > ll; i--) {
        const [cosr, sinr, r1] = rotation(f, g);
        if (i < m) e[i] = r1;
        f = cosr * d[i]! + sinr * e[i - 1]!;
        e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
        g = sinr * d[i - 1]!;
        d[i - 1] = cosr * d[i - 1]!;
        const [cosl, sinl, r2] = rotation(f, g);
        d[i] = r2;
        f = cosl * e[i - 1]! + sinl * d[i - 1]!;
        d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
        if (i > ll + 1) {
          g = sinl * e[i - 2]!;
          e[i - 2] = cosl * e[i - 2]!;
        }
        cr[i - ll - 1] = cosr;
        sr[i - ll - 1] = -sinr;
        cl[i - ll - 1] = cosl;
        sl[i - ll - 1] = -sinl;
      }
      e[ll] = f;
      applyRotations(v, ll, cl, sl, count, false);
      applyRotations(u, ll, cr, sr, count, false);
      if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
    }
  }
}
