// The expression parser's work limits (issue 12, item 21) end to end: an expression past a limit
// is a param problem of source.function's `expr` — `corespace validate` and `run` exit 2 naming the
// limit and the fix, with a short excerpt — instead of a stack overflow, an exit 1 or gigabytes of
// memory; an expression exactly at the limits parses and evaluates as its closed form.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './cli/harness';
import { tempDir } from './temp';
import { compileExpression, evaluateOnGrid } from '../engine';
import { MAX_ARGS, MAX_DEPTH, MAX_LENGTH, MAX_NODES } from '../engine/expr';

function graphWith(expr: string): string {
  const file = join(tempDir('expr'), 'g.json');
  const nodes = [{ id: 'f', type: 'source.function', params: { expr, shape: [9], domain: [[-1, 1]] } }];
  writeFileSync(file, JSON.stringify({ format: 'corespace.graph', version: 1, name: 'g', nodes, edges: [] }));
  return file;
}

const sum = (terms: number) => Array(terms).fill('x').join('+');
/** `-x+x+…+x`: `terms` variables, terms − 1 additions and one negation — 2·terms nodes, value (terms − 2)·x. */
const negSum = (terms: number) => `-${sum(terms)}`;

describe('expression limits through corespace validate', () => {
  it.each([
    ['a 5000-term sum (10 KB)', sum(5000), new RegExp(`expression has more than ${MAX_NODES} numbers, names and operators \\(the limit\\); simplify it \\(e\\.g\\. 3\\*x for x\\+x\\+x`)],
    ['min() of 200 000 arguments', `min(${sum(200000).replaceAll('+', ',')})`, new RegExp(`expression is 400004 characters long, over the limit of ${MAX_LENGTH}; shorten it`)],
    ['10 000 nested parentheses', `${'('.repeat(10000)}x${')'.repeat(10000)}`, new RegExp(`expression nested more than ${MAX_DEPTH} levels deep \\(the limit\\); remove redundant parentheses`)],
    [`min() of ${MAX_ARGS + 1} arguments`, `min(${sum(MAX_ARGS + 1).replaceAll('+', ',')})`, new RegExp(`min\\(\\) has more than ${MAX_ARGS} arguments \\(the limit\\); nest the calls, e\\.g\\. min\\(min\\(a, b\\), min\\(c, d\\)\\)`)],
  ])('refuses %s as a problem of param expr, exit 2, with a short excerpt', async (_, expr, message) => {
    const r = await cli('validate', graphWith(expr));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\(node 'f'\): source\.function param 'expr': /);
    expect(r.err).toMatch(message);
    // The message quotes a window of the expression around the column, not all of it.
    expect(r.err.length).toBeLessThan(1000);
    expect(r.err).toMatch(/at column \d+\n {2}…?[-+x(),min]+…?\n {2} *\^/);
  });

  it('run refuses the 5000-term sum before running, exit 2 with the same message', async () => {
    const r = await cli('run', graphWith(sum(5000)), '--out', tempDir('expr-out'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/param 'expr': expression has more than 2048 numbers, names and operators \(the limit\)/);
    expect(r.err).not.toMatch(/RangeError|call stack/);
  });
});

describe('an expression exactly at the limits', () => {
  const terms = MAX_NODES / 2;
  // Padded with spaces to exactly MAX_LENGTH characters.
  const atLimit = negSum(terms).padEnd(MAX_LENGTH, ' ');

  it(`is accepted (${MAX_NODES} nodes, ${MAX_LENGTH} characters, ${MAX_ARGS} arguments) and evaluates as its closed form; one more of any is refused`, async () => {
    expect(atLimit.length).toBe(MAX_LENGTH);
    expect((await cli('validate', graphWith(atLimit))).code).toBe(0);
    // Dyadic grid points (step 1/4): every partial sum k·x is exact in float64, so equality holds.
    const grid = Float64Array.from({ length: 9 }, (_, i) => -1 + i / 4);
    expect([...evaluateOnGrid(compileExpression(atLimit, ['x']), [grid], { x: 0 })]).toEqual([...grid].map((x) => (terms - 2) * x));
    // Past one evaluation block (4096 points), with x not dyadic: within the rounding of a
    // left-to-right sum of n = `terms` terms, about n²·2⁻⁵³·|x| (Higham, Accuracy and Stability of Numerical Algorithms, ch. 4).
    const many = Float64Array.from({ length: 5000 }, (_, i) => i / 4999);
    const values = evaluateOnGrid(compileExpression(atLimit, ['x']), [many], { x: 0 });
    const worst = many.reduce((w, x, i) => Math.max(w, Math.abs(values[i]! - (terms - 2) * x)), 0);
    expect(worst).toBeLessThanOrEqual(terms ** 2 * 2 ** -53);
    const minAtLimit = `min(${Array.from({ length: MAX_ARGS }, (_, i) => `x - ${i}`).join(', ')})`;
    expect((await cli('validate', graphWith(minAtLimit))).code).toBe(0);
    expect(compileExpression(minAtLimit, ['x']).evaluate({ x: 0.5 })).toBe(0.5 - (MAX_ARGS - 1));

    const longer = await cli('validate', graphWith(`${atLimit} `));
    expect([longer.code, longer.err]).toEqual([2, expect.stringMatching(new RegExp(`is ${MAX_LENGTH + 1} characters long, over the limit of ${MAX_LENGTH}`))]);
    const bigger = await cli('validate', graphWith(`-${negSum(terms)}`));
    expect([bigger.code, bigger.err]).toEqual([2, expect.stringMatching(new RegExp(`more than ${MAX_NODES} numbers, names and operators`))]);
    const moreArgs = await cli('validate', graphWith(`min(${minAtLimit.slice(4, -1)}, x)`));
    expect([moreArgs.code, moreArgs.err]).toEqual([2, expect.stringMatching(new RegExp(`min\\(\\) has more than ${MAX_ARGS} arguments`))]);
  });
});
