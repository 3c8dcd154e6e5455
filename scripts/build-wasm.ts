// npm run build:wasm — writes engine/tensor/wasm/gemm.wat and gemm-wasm.ts (the modules as base64).
// The kernel: C (+)= A·Btᵀ on a block of row-major float64 A (m × kc, row stride lda) and Bt (n × kc,
// row stride ldb) into C (row stride ldc), 2×4 register blocks of f64x2 accumulators (8 of the 15
// SIMD registers V8 allocates on x64, plus 3 for loads), each output's two lanes summed at the end,
// an odd kc's last term added in scalar; with `acc` the sums are added to C. Edge blocks repeat the
// last row/column and do not store the copies. Two builds: one with f64x2.relaxed_madd (a fused
// multiply-add where the CPU has one: twice the arithmetic per instruction), one with a multiply
// and an add for engines without relaxed SIMD. Both import one shared memory, so the workers of
// engine/tensor/wasm/pool.ts compute in the same operands. A test checks the checked-in files match.
import { writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const R = 2; // rows per block
const C = 4; // columns per block
const acc = (r: number, c: number) => `$c${r}${c}`;

export function gemmWat(fma: boolean): string {
  const lines: string[] = [];
  const L = (s: string) => lines.push(s);
  const madd = (x: string, y: string, z: string) => (fma ? `(f64x2.relaxed_madd ${x} ${y} ${z})` : `(f64x2.add ${z} (f64x2.mul ${x} ${y}))`);
  L('(module');
  L('  (import "env" "memory" (memory 1 32768 shared))');
  L('  ;; kernel(a, bt, c, m, n, kc, lda, ldb, ldc, acc): c[i·ldc + j] (+)= Σ_{p<kc} a[i·lda + p]·bt[j·ldb + p];');
  L('  ;; a, bt and c are byte offsets, lda, ldb and ldc counts of float64s.');
  L('  (func (export "kernel") (param $a i32) (param $bt i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32) (param $lda i32) (param $ldb i32) (param $ldc i32) (param $acc i32)');
  L('    (local $i i32) (local $j i32) (local $p i32) (local $kEven i32) (local $rowA i32) (local $rowB i32) (local $at i32)');
  for (let r = 0; r < R; r++) L(`    (local $a${r} i32) (local $x${r} v128)`);
  for (let c = 0; c < C; c++) L(`    (local $b${c} i32)`);
  L('    (local $y v128) (local $s f64)');
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) L(`    (local ${acc(r, c)} v128)`);
  L('    (local.set $kEven (i32.and (local.get $k) (i32.const -2)))');
  L('    (local.set $rowA (i32.shl (local.get $lda) (i32.const 3)))');
  L('    (local.set $rowB (i32.shl (local.get $ldb) (i32.const 3)))');
  L('    (block $doneI (loop $loopI');
  L('      (br_if $doneI (i32.ge_u (local.get $i) (local.get $m)))');
  for (let r = 0; r < R; r++) {
    const idx = r === 0 ? '(local.get $i)' : `(select (i32.add (local.get $i) (i32.const ${r})) (i32.sub (local.get $m) (i32.const 1)) (i32.lt_u (i32.add (local.get $i) (i32.const ${r})) (local.get $m)))`;
    L(`      (local.set $a${r} (i32.add (local.get $a) (i32.mul ${idx} (local.get $rowA))))`);
  }
  L('      (local.set $j (i32.const 0))');
  L('      (block $doneJ (loop $loopJ');
  L('        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $n)))');
  for (let c = 0; c < C; c++) {
    const idx = c === 0 ? '(local.get $j)' : `(select (i32.add (local.get $j) (i32.const ${c})) (i32.sub (local.get $n) (i32.const 1)) (i32.lt_u (i32.add (local.get $j) (i32.const ${c})) (local.get $n)))`;
    L(`        (local.set $b${c} (i32.add (local.get $bt) (i32.mul ${idx} (local.get $rowB))))`);
  }
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) L(`        (local.set ${acc(r, c)} (v128.const f64x2 0 0))`);
  L('        (local.set $p (i32.const 0))');
  L('        (block $doneP (loop $loopP');
  L('          (br_if $doneP (i32.ge_u (local.get $p) (i32.shl (local.get $kEven) (i32.const 3))))');
  for (let r = 0; r < R; r++) L(`          (local.set $x${r} (v128.load (i32.add (local.get $a${r}) (local.get $p))))`);
  for (let c = 0; c < C; c++) {
    L(`          (local.set $y (v128.load (i32.add (local.get $b${c}) (local.get $p))))`);
    for (let r = 0; r < R; r++) L(`          (local.set ${acc(r, c)} ${madd(`(local.get $x${r})`, '(local.get $y)', `(local.get ${acc(r, c)})`)})`);
  }
  L('          (local.set $p (i32.add (local.get $p) (i32.const 16)))');
  L('          (br $loopP)))');
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      const v = acc(r, c);
      L(`        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get ${v})) (f64x2.extract_lane 1 (local.get ${v}))))`);
      // odd kc: the last term
      L(`        (if (i32.ne (local.get $kEven) (local.get $k)) (then (local.set $s (f64.add (local.get $s) (f64.mul`);
      L(`          (f64.load (i32.add (local.get $a${r}) (i32.shl (local.get $kEven) (i32.const 3))))`);
      L(`          (f64.load (i32.add (local.get $b${c}) (i32.shl (local.get $kEven) (i32.const 3)))))))))`);
      L(`        (if (i32.and (i32.lt_u (i32.add (local.get $i) (i32.const ${r})) (local.get $m)) (i32.lt_u (i32.add (local.get $j) (i32.const ${c})) (local.get $n)))`);
      L(`          (then`);
      L(`            (local.set $at (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $ldc)) (i32.add (local.get $j) (i32.const ${c}))) (i32.const 3))))`);
      L(`            (if (local.get $acc) (then (local.set $s (f64.add (f64.load (local.get $at)) (local.get $s)))))`);
      L(`            (f64.store (local.get $at) (local.get $s))))`);
    }
  }
  L(`        (local.set $j (i32.add (local.get $j) (i32.const ${C})))`);
  L('        (br $loopJ)))');
  L(`      (local.set $i (i32.add (local.get $i) (i32.const ${R})))`);
  L('      (br $loopI)))');
  L('  )');
  gemvWat(L, madd);
  transposeWat(L);
  L(')');
  return `${lines.join('\n')}\n`;
}

/**
 * transpose(src, dst, rows, cols, lds, ldd): dst[j·ldd + i] = src[i·lds + j]. Eight rows at a time:
 * for each column j their eight entries (eight sequential read streams) go out as one 64-byte run
 * of dst's row j (four f64x2 stores); the last rows one by one.
 */
function transposeWat(L: (s: string) => void): void {
  L('  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $lds i32) (param $ldd i32)');
  L('    (local $i i32) (local $j i32) (local $rowS i32) (local $rowD i32) (local $s i32) (local $d i32)');
  L('    (local.set $rowS (i32.shl (local.get $lds) (i32.const 3)))');
  L('    (local.set $rowD (i32.shl (local.get $ldd) (i32.const 3)))');
  L('    (block $doneI (loop $loopI');
  L('      (br_if $doneI (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $rows)))');
  L('      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rowS))))');
  L('      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))');
  L('      (local.set $j (i32.const 0))');
  L('      (block $doneJ (loop $loopJ');
  L('        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))');
  const at = (r: number) => `(f64.load (i32.add (local.get $s) (i32.mul (i32.const ${r}) (local.get $rowS))))`;
  for (let p = 0; p < 4; p++) {
    L(`        (v128.store offset=${16 * p} (local.get $d) (f64x2.replace_lane 1 (f64x2.splat ${at(2 * p)}) ${at(2 * p + 1)}))`);
  }
  L('        (local.set $s (i32.add (local.get $s) (i32.const 8)))');
  L('        (local.set $d (i32.add (local.get $d) (local.get $rowD)))');
  L('        (local.set $j (i32.add (local.get $j) (i32.const 1)))');
  L('        (br $loopJ)))');
  L('      (local.set $i (i32.add (local.get $i) (i32.const 8)))');
  L('      (br $loopI)))');
  L('    (block $doneR (loop $loopR');
  L('      (br_if $doneR (i32.ge_u (local.get $i) (local.get $rows)))');
  L('      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rowS))))');
  L('      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))');
  L('      (local.set $j (i32.const 0))');
  L('      (block $doneJ (loop $loopJ');
  L('        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $cols)))');
  L('        (f64.store (local.get $d) (f64.load (local.get $s)))');
  L('        (local.set $s (i32.add (local.get $s) (i32.const 8)))');
  L('        (local.set $d (i32.add (local.get $d) (local.get $rowD)))');
  L('        (local.set $j (i32.add (local.get $j) (i32.const 1)))');
  L('        (br $loopJ)))');
  L('      (local.set $i (i32.add (local.get $i) (i32.const 1)))');
  L('      (br $loopR)))');
  L('  )');
}

/**
 * The matrix–vector products of the bidiagonalisation (memory-bound: one pass over A each):
 * gemvt(a, v, y, m, n, ld): y[j] += Σ_{i<m} a[i·ld + j]·v[i] for j < n, four rows a pass over y;
 * gemvn(a, u, x, m, n, ld): x[i] = Σ_{j<n} a[i·ld + j]·u[j], four rows at once. Pairs of columns in
 * f64x2, an odd last column in scalar.
 */
function gemvWat(L: (s: string) => void, madd: (x: string, y: string, z: string) => string): void {
  const g = (n: string) => `(local.get $${n})`;
  const addr = (base: string, idx: string) => `(i32.add ${base} (i32.shl ${idx} (i32.const 3)))`;
  L('  (func (export "gemvt") (param $a i32) (param $v i32) (param $y i32) (param $m i32) (param $n i32) (param $ld i32)');
  L('    (local $i i32) (local $j i32) (local $nEven i32) (local $row i32) (local $acc v128) (local $s f64)');
  for (let r = 0; r < 4; r++) L(`    (local $p${r} i32) (local $v${r} v128)`);
  L('    (local.set $nEven (i32.and (local.get $n) (i32.const -2)))');
  L('    (local.set $row (i32.shl (local.get $ld) (i32.const 3)))');
  L('    (block $doneI (loop $loopI');
  L('      (br_if $doneI (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))');
  for (let r = 0; r < 4; r++) {
    L(`      (local.set $p${r} (i32.add (local.get $a) (i32.mul (i32.add (local.get $i) (i32.const ${r})) (local.get $row))))`);
    L(`      (local.set $v${r} (v128.load64_splat ${addr(g('v'), `(i32.add (local.get $i) (i32.const ${r}))`)}))`);
  }
  L('      (local.set $j (i32.const 0))');
  L('      (block $doneJ (loop $loopJ');
  L('        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $nEven)))');
  L(`        (local.set $acc (v128.load ${addr(g('y'), g('j'))}))`);
  for (let r = 0; r < 4; r++) L(`        (local.set $acc ${madd(`(v128.load ${addr(g(`p${r}`), g('j'))})`, g(`v${r}`), g('acc'))})`);
  L(`        (v128.store ${addr(g('y'), g('j'))} (local.get $acc))`);
  L('        (local.set $j (i32.add (local.get $j) (i32.const 2)))');
  L('        (br $loopJ)))');
  L('      (if (i32.ne (local.get $nEven) (local.get $n)) (then');
  L(`        (local.set $s (f64.load ${addr(g('y'), g('nEven'))}))`);
  for (let r = 0; r < 4; r++) L(`        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load ${addr(g(`p${r}`), g('nEven'))}) (f64x2.extract_lane 0 (local.get $v${r})))))`);
  L(`        (f64.store ${addr(g('y'), g('nEven'))} (local.get $s))))`);
  L('      (local.set $i (i32.add (local.get $i) (i32.const 4)))');
  L('      (br $loopI)))');
  // The last rows, one at a time.
  L('    (block $doneR (loop $loopR');
  L('      (br_if $doneR (i32.ge_u (local.get $i) (local.get $m)))');
  L('      (local.set $p0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row))))');
  L(`      (local.set $v0 (v128.load64_splat ${addr(g('v'), g('i'))}))`);
  L('      (local.set $j (i32.const 0))');
  L('      (block $doneJ (loop $loopJ');
  L('        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $nEven)))');
  L(`        (v128.store ${addr(g('y'), g('j'))} ${madd(`(v128.load ${addr(g('p0'), g('j'))})`, g('v0'), `(v128.load ${addr(g('y'), g('j'))})`)})`);
  L('        (local.set $j (i32.add (local.get $j) (i32.const 2)))');
  L('        (br $loopJ)))');
  L('      (if (i32.ne (local.get $nEven) (local.get $n)) (then');
  L(`        (f64.store ${addr(g('y'), g('nEven'))} (f64.add (f64.load ${addr(g('y'), g('nEven'))}) (f64.mul (f64.load ${addr(g('p0'), g('nEven'))}) (f64x2.extract_lane 0 (local.get $v0)))))))`);
  L('      (local.set $i (i32.add (local.get $i) (i32.const 1)))');
  L('      (br $loopR)))');
  L('  )');

  L('  (func (export "gemvn") (param $a i32) (param $u i32) (param $x i32) (param $m i32) (param $n i32) (param $ld i32)');
  L('    (local $i i32) (local $j i32) (local $nEven i32) (local $row i32) (local $w v128) (local $s f64) (local $last i32)');
  for (let r = 0; r < 4; r++) L(`    (local $p${r} i32) (local $c${r} v128)`);
  L('    (local.set $nEven (i32.and (local.get $n) (i32.const -2)))');
  L('    (local.set $row (i32.shl (local.get $ld) (i32.const 3)))');
  L('    (local.set $last (i32.sub (local.get $m) (i32.const 1)))');
  L('    (block $doneI (loop $loopI');
  L('      (br_if $doneI (i32.ge_u (local.get $i) (local.get $m)))');
  // Rows beyond the last repeat it (their sums are not stored).
  for (let r = 0; r < 4; r++) {
    const idx = r === 0 ? g('i') : `(select (i32.add (local.get $i) (i32.const ${r})) (local.get $last) (i32.lt_u (i32.add (local.get $i) (i32.const ${r})) (local.get $m)))`;
    L(`      (local.set $p${r} (i32.add (local.get $a) (i32.mul ${idx} (local.get $row))))`);
    L(`      (local.set $c${r} (v128.const f64x2 0 0))`);
  }
  L('      (local.set $j (i32.const 0))');
  L('      (block $doneJ (loop $loopJ');
  L('        (br_if $doneJ (i32.ge_u (local.get $j) (local.get $nEven)))');
  L(`        (local.set $w (v128.load ${addr(g('u'), g('j'))}))`);
  for (let r = 0; r < 4; r++) L(`        (local.set $c${r} ${madd(`(v128.load ${addr(g(`p${r}`), g('j'))})`, g('w'), g(`c${r}`))})`);
  L('        (local.set $j (i32.add (local.get $j) (i32.const 2)))');
  L('        (br $loopJ)))');
  for (let r = 0; r < 4; r++) {
    L(`      (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $c${r})) (f64x2.extract_lane 1 (local.get $c${r}))))`);
    L(`      (if (i32.ne (local.get $nEven) (local.get $n)) (then (local.set $s (f64.add (local.get $s) (f64.mul (f64.load ${addr(g(`p${r}`), g('nEven'))}) (f64.load ${addr(g('u'), g('nEven'))}))))))`);
    L(`      (if (i32.lt_u (i32.add (local.get $i) (i32.const ${r})) (local.get $m)) (then (f64.store ${addr(g('x'), `(i32.add (local.get $i) (i32.const ${r}))`)} (local.get $s))))`);
  }
  L('      (local.set $i (i32.add (local.get $i) (i32.const 4)))');
  L('      (br $loopI)))');
  L('  )');
}

export async function gemmWasmModuleText(): Promise<{ wat: string; ts: string }> {
  const wabt = await wabtInit();
  const binary = (fma: boolean) => {
    const mod = wabt.parseWat('gemm.wat', gemmWat(fma), { simd: true, threads: true, relaxed_simd: fma });
    const { buffer } = mod.toBinary({});
    mod.destroy();
    return Buffer.from(buffer).toString('base64');
  };
  const ts =
    '// Generated by `npm run build:wasm` (scripts/build-wasm.ts) from gemm.wat; do not edit.\n' +
    `/** With f64x2.relaxed_madd (fused where the CPU has FMA). */\nexport const GEMM_FMA_WASM_BASE64 =\n  '${binary(true)}';\n` +
    `/** With a multiply and an add (engines without relaxed SIMD). */\nexport const GEMM_WASM_BASE64 =\n  '${binary(false)}';\n`;
  return { wat: gemmWat(true), ts };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { wat, ts } = await gemmWasmModuleText();
  writeFileSync(new URL('../engine/tensor/wasm/gemm.wat', import.meta.url), wat);
  writeFileSync(new URL('../engine/tensor/wasm/gemm-wasm.ts', import.meta.url), ts);
  console.log('wrote engine/tensor/wasm/gemm.wat and gemm-wasm.ts');
}
