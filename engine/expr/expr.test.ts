import { describe, expect, it } from 'vitest';
import { ExpressionError, compileExpression, evaluateOnGrid } from '.';

const ev = (src: string, values: Record<string, number> = {}) => compileExpression(src, ['x', 'y', 'z']).evaluate({ x: 0, y: 0, z: 0, ...values });

function errorOf(src: string, allowed = ['x', 'y']): ExpressionError {
  try {
    compileExpression(src, allowed);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`'${src}' compiled`);
}

describe('expressions', () => {
  it('follows mathematical precedence and associativity', () => {
    expect(ev('2^3^2')).toBe(512);
    expect(ev('-2^2')).toBe(-4);
    expect(ev('2^-1')).toBe(0.5);
    expect(ev('1-2-3')).toBe(-4);
    expect(ev('8/4/2')).toBe(1);
    expect(ev('2+3*4')).toBe(14);
    expect(ev('(2+3)*4')).toBe(20);
    expect(ev('2**3 − 1')).toBe(7);
    expect(ev('3 × 2 · 2')).toBe(12);
    expect(ev('.5e1 + 1.5E-1')).toBeCloseTo(5.15, 15);
  });

  it('evaluates each function as Math does, and the constants', () => {
    const x = 0.37;
    for (const f of ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'sinh', 'cosh', 'asin', 'acos', 'atan', 'floor', 'ceil', 'sign'] as const) {
      expect(ev(`${f}(x)`, { x })).toBe((Math[f] as (v: number) => number)(x));
    }
    expect(ev('pow(x, 3)', { x: 2 })).toBe(8);
    expect(ev('atan2(y, x)', { x: -1, y: 1 })).toBe(Math.atan2(1, -1));
    expect(ev('min(x, y, -1)', { x: 3, y: 2 })).toBe(-1);
    expect(ev('max(x, y)', { x: 3, y: 2 })).toBe(3);
    expect(ev('pi')).toBe(Math.PI);
    expect(ev('e')).toBe(Math.E);
    expect(ev('exp(-(x^2 + y^2))', { x: 0.3, y: -0.4 })).toBe(Math.exp(-(0.09 + 0.16000000000000003)));
  });

  it('evaluates long mixed chains left to right, as written, on blocks and points alike', () => {
    // JavaScript evaluates the same text in the same order: a reordered or re-associated chain
    // would differ in the last bits for these non-dyadic constants.
    const src = '0.1 + x - 0.3 + 0.7 * x / 3 * 11 - x / 7 + 0.2';
    const expr = compileExpression(src, ['x']);
    const xs = Float64Array.from({ length: 5000 }, (_, i) => (i - 2500) / 997);
    const grid = evaluateOnGrid(expr, [xs], { x: 0 });
    xs.forEach((x, i) => expect(grid[i]).toBe(0.1 + x - 0.3 + 0.7 * x / 3 * 11 - x / 7 + 0.2));
    expect(ev('1 - 2 + 3 - 4 + x * 2 / 4 * 3', { x: 0.1 })).toBe(1 - 2 + 3 - 4 + 0.1 * 2 / 4 * 3);
  });

  it('reports the variables used, in the allowed order', () => {
    expect(compileExpression('z + x*sin(x)', ['x', 'y', 'z']).variables).toEqual(['x', 'z']);
  });

  it('evaluates on a grid exactly as point by point (C order, last axis fastest)', () => {
    const expr = compileExpression('sin(x) * cos(y) + x1 * exp(-z^2)', ['x', 'y', 'z', 'x0', 'x1', 'x2']);
    const axes = [Float64Array.of(0, 0.5, 1), Float64Array.of(-1, 0, 1, 2), Float64Array.of(0.25, 0.75)];
    const axisOf = { x: 0, y: 1, z: 2, x0: 0, x1: 1, x2: 2 };
    const grid = evaluateOnGrid(expr, axes, axisOf);
    expect(grid.length).toBe(24);
    let k = 0;
    for (const x of axes[0]!) for (const y of axes[1]!) for (const z of axes[2]!) expect(grid[k++]).toBe(expr.evaluate({ x, y, z, x1: y }));
  });

  it('evaluates grids larger than one block, and constant expressions', () => {
    const n = 70; // 70² = 4900 points > one block of 4096
    const ax = Float64Array.from({ length: n }, (_, i) => i);
    const g = evaluateOnGrid(compileExpression('x * 1000 + y', ['x', 'y']), [ax, ax], { x: 0, y: 1 });
    expect(g[4899]).toBe(69 * 1000 + 69);
    expect(g[4097]).toBe(58 * 1000 + 37);
    expect([...evaluateOnGrid(compileExpression('2*pi', ['x']), [Float64Array.of(1, 2)], { x: 0 })]).toEqual([2 * Math.PI, 2 * Math.PI]);
  });

  it.each([
    ['sinn(x)', 0, /unknown function 'sinn' — did you mean 'sin'/],
    ['x + z', 4, /variable 'z' is not available.*variables here: x, y/],
    ['x + foo', 4, /unknown name 'foo'/],
    ['constructor', 0, /unknown name 'constructor'/],
    ['__proto__ + 1', 0, /unknown name '__proto__'/],
    ['process', 0, /unknown name 'process'/],
    ['toString(x)', 0, /unknown function 'toString'/],
    ['sin(x))', 6, /unbalanced '\)'/],
    ['(x + 1', 6, /expected '\)' but found end of expression/],
    ['x +', 3, /unexpected end of expression/],
    ['', 0, /empty expression/],
    ['   ', 0, /empty expression/],
    ['x $ 2', 2, /unexpected character '\$'/],
    ['1.2.3', 0, /bad number '1\.2\./],
    ['2x', 0, /bad number '2x'/],
    ['x y', 2, /unexpected 'y' \(an operator is missing\?\)/],
    ['sin(x, y)', 0, /sin\(\) takes 1 argument, got 2/],
    ['pow(x)', 0, /pow\(\) takes 2 arguments, got 1/],
    ['max(x)', 0, /max\(\) takes at least 2 arguments, got 1/],
    ['sin(x y)', 6, /expected ',' or '\)' to close the call of 'sin' but found 'y'/],
    ['* x', 0, /unexpected '\*'/],
  ])('refuses %j at position %d', (src, position, message) => {
    const e = errorOf(src);
    expect(e.position).toBe(position);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`at column ${position + 1}\n  ${src}\n  ${' '.repeat(position)}^`);
  });

  it('handles deep nesting and refuses absurd nesting without overflowing the stack', () => {
    expect(ev(`${'('.repeat(200)}x + 1${')'.repeat(200)}`, { x: 1 })).toBe(2);
    expect(ev(`${'-'.repeat(200)}1`)).toBe(1);
    expect(errorOf(`${'('.repeat(10000)}x${')'.repeat(10000)}`).message).toMatch(/nested more than 256 levels/);
    expect(errorOf(`${'-'.repeat(10000)}x`).message).toMatch(/nested more than 256 levels/);
  });
});
