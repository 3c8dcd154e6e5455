// Complex numbers as vec2f (re, im), and the bit reversal of an FFT's input order.
fn cmul(a: vec2f, b: vec2f) -> vec2f { return vec2f(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
fn conj(a: vec2f) -> vec2f { return vec2f(a.x, -a.y); }
fn bitrev(i: u32, bits: u32) -> u32 { return select(reverseBits(i) >> (32u - bits), 0u, bits == 0u); }
