// The bindings and chunking of the partial-sum kernels (reduce.wgsl, reduce-subgroups.wgsl; the TS
// side, engine/webgpu/reduce.ts, binds both the same way and uses the same CHUNK = WG × PER_THREAD).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<uniform> params: Params;                // 4 bytes (16 with padding)
@group(0) @binding(1) var<storage, read> x: array<f32>;           // n entries
@group(0) @binding(2) var<storage, read> y: array<f32>;           // n entries
@group(0) @binding(3) var<storage, read_write> partial: array<f32>; // one per workgroup

override WG: u32;         // threads per workgroup (a power of two), set by the binder
override PER_THREAD: u32; // products each thread adds
