// Deterministic gradient accumulation by fixed-point atomics (the radiance-field backward passes:
// many points add into one plane, line or grid entry). Float atomics would add in whatever order the
// threads arrive, and float addition is not associative; integer addition is, so a sum of fixed-point
// terms is the same bits in any order. Each accumulation covers the gradients of P ≤ 2^16 points
// (p = ⌈log2 P⌉, the binder splits larger batches and adds the chunks' results in order). A bound
// pass first takes B_t = max |term| per parameter tensor t; then each term v of tensor t becomes
// x = v · s_t with s_t = 2^⌊60 − 2p − log2 B_t⌋, so |x| ≤ 2^(60−2p), split exactly into
// hi = ⌊x / 2^L⌋ and lo = x − hi·2^L ∈ [0, 2^L), L = 30 − p, added into two i32 words. At most 2^p
// terms reach an entry, so |Σ hi| ≤ 2^30 and Σ lo < 2^30: neither word overflows. The entry's sum is
// (Σ hi · 2^L + Σ lo) / s_t: exact up to 2^−(60−2p) ≥ 2^−28 of the tensor's largest term, which is
// finer than the float32 rounding of the terms themselves.

/** L: the bits of the low word, for 2^p points. */
fn fixed_low_bits(log2_points: u32) -> f32 { return f32(30u - log2_points); }

/** s_t from the bound's bits (a non-negative float32; 0 when nothing was added). */
fn fixed_scale(bound_bits: u32, log2_points: u32) -> f32 {
  let b = bitcast<f32>(bound_bits);
  if (b <= 0.0) { return 0.0; }
  return exp2(floor(f32(60u - 2u * log2_points) - log2(b)));
}
