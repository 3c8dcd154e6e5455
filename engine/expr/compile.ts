// Compiles a parsed expression into closures that evaluate a whole block of points at once
// (float64 scratch buffers of BLOCK entries), so a 256³ grid costs one closure call per AST node
// per 4096 points instead of an AST walk per point.
import { editDistance } from '../names';
import { ExpressionError, parse, type ChainOp, type Node } from './parser';

const BLOCK = 4096;

const UNARY: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs,
  tanh: Math.tanh, sinh: Math.sinh, cosh: Math.cosh, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  floor: Math.floor, ceil: Math.ceil, sign: Math.sign,
};
const BINARY: Record<string, (x: number, y: number) => number> = { pow: Math.pow, atan2: Math.atan2 };
const VARIADIC: Record<string, (...xs: number[]) => number> = { min: Math.min, max: Math.max };
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const has = (table: object, name: string) => Object.hasOwn(table, name);
const FUNCTIONS = [...Object.keys(UNARY), ...Object.keys(BINARY), ...Object.keys(VARIADIC)];

export interface CompiledExpression {
  readonly source: string;
  /** The allowed variables the expression uses, in the order of the allowed list. */
  readonly variables: readonly string[];
  evaluate(values: Readonly<Record<string, number>>): number;
  /** Evaluates n ≤ BLOCK points; inputs[i] holds the values of variables[i]. */
  evaluateBlock(inputs: readonly Float64Array[], n: number): Float64Array;
  /** Operations per point (each +, −, ×, ÷, negation, power and call), for cost estimates. */
  readonly operations: number;
}

/** A block evaluator returns a buffer of at least n values (it may be an input buffer). */
type Eval = (inputs: readonly Float64Array[], n: number) => Float64Array;

/**
 * Parses and checks now, so a bad expression throws here (validation needs no more); the block
 * evaluators and their buffers are built on first evaluation.
 */
export function compileExpression(source: string, allowed: readonly string[]): CompiledExpression {
  const ast = parse(source);
  const used = new Set<string>();
  check(ast, source, allowed, used);
  const variables = allowed.filter((v) => used.has(v));
  let built: Eval | undefined;
  const run: Eval = (inputs, n) => (built ??= evaluator(build(ast, variables)))(inputs, n);
  return {
    source,
    variables,
    operations: countOperations(ast),
    evaluateBlock: run,
    evaluate(values) {
      const inputs = variables.map((v) => {
        const x = values[v];
        if (x === undefined) throw new Error(`no value given for variable '${v}'`);
        return Float64Array.of(x);
      });
      return run(inputs, 1)[0]!;
    },
  };
}

// Recursion here follows the tree's depth, which the parser bounds (chains are flat).
function countOperations(node: Node): number {
  switch (node.kind) {
    case 'num':
    case 'var':
      return 0;
    case 'neg':
      return 1 + countOperations(node.arg);
    case 'pow':
      return 1 + countOperations(node.base) + countOperations(node.exponent);
    case 'chain':
      return node.terms.length - 1 + node.terms.reduce((n, t) => n + countOperations(t), 0);
    case 'call':
      return Math.max(1, node.args.length - 1) + node.args.reduce((n, a) => n + countOperations(a), 0);
  }
}

function check(node: Node, src: string, allowed: readonly string[], used: Set<string>): void {
  switch (node.kind) {
    case 'num':
      return;
    case 'var': {
      if (allowed.includes(node.name)) used.add(node.name);
      else if (!has(CONSTANTS, node.name)) throw unknownName(node.name, node.pos, src, allowed);
      return;
    }
    case 'neg':
      return check(node.arg, src, allowed, used);
    case 'pow':
      check(node.base, src, allowed, used);
      return check(node.exponent, src, allowed, used);
    case 'chain':
      for (const t of node.terms) check(t, src, allowed, used);
      return;
    case 'call': {
      const n = node.args.length;
      const arity = has(UNARY, node.fn) ? 1 : has(BINARY, node.fn) ? 2 : has(VARIADIC, node.fn) ? -2 : 0;
      if (arity === 0) throw unknownName(node.fn, node.pos, src, allowed, true);
      if (arity > 0 && n !== arity) throw new ExpressionError(`${node.fn}() takes ${arity} argument${arity > 1 ? 's' : ''}, got ${n}`, node.pos, src);
      if (arity < 0 && n < 2) throw new ExpressionError(`${node.fn}() takes at least 2 arguments, got ${n}`, node.pos, src);
      for (const a of node.args) check(a, src, allowed, used);
    }
  }
}

function unknownName(name: string, pos: number, src: string, allowed: readonly string[], called = false): ExpressionError {
  const known = [...allowed, ...Object.keys(CONSTANTS), ...FUNCTIONS];
  const near = known.filter((k) => editDistance(k, name) <= (name.length > 3 ? 2 : 1)).slice(0, 3);
  const hint = near.length ? ` — did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
  const what = called ? `unknown function '${name}'` : /^(x\d+|[xyz])$/.test(name) ? `variable '${name}' is not available` : `unknown name '${name}'`;
  const scope = `variables here: ${allowed.join(', ') || 'none'}; functions: ${FUNCTIONS.join(' ')}; constants: pi e`;
  return new ExpressionError(`${what}${hint} (${scope})`, pos, src);
}

/** A number where the subtree has no variables (folded once, bottom-up), else its block evaluator. */
type Built = number | Eval;

function evaluator(b: Built): Eval {
  if (typeof b !== 'number') return b;
  const buf = new Float64Array(BLOCK).fill(b);
  return () => buf;
}

const apply = (op: ChainOp, x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);

function build(node: Node, variables: readonly string[]): Built {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'var': {
      if (has(CONSTANTS, node.name)) return CONSTANTS[node.name]!;
      const i = variables.indexOf(node.name);
      return (inputs) => inputs[i]!;
    }
    case 'neg': {
      const a = build(node.arg, variables);
      if (typeof a === 'number') return -a;
      const out = new Float64Array(BLOCK);
      return (inputs, n) => {
        const x = a(inputs, n);
        for (let i = 0; i < n; i++) out[i] = -x[i]!;
        return out;
      };
    }
    case 'pow': {
      const a = build(node.base, variables);
      const b = build(node.exponent, variables);
      if (typeof a === 'number' && typeof b === 'number') return a ** b;
      return zip((x, y) => x ** y, evaluator(a), evaluator(b));
    }
    case 'chain': {
      const terms = node.terms.map((t) => build(t, variables));
      if (terms.every((t) => typeof t === 'number')) return (terms as number[]).reduce((acc, v, i) => apply(node.ops[i - 1]!, acc, v));
      return chain(node.ops, terms.map(evaluator));
    }
    case 'call': {
      const args = node.args.map((a) => build(a, variables));
      const f = UNARY[node.fn] ?? BINARY[node.fn] ?? VARIADIC[node.fn]!;
      if (args.every((a) => typeof a === 'number')) return (f as (...x: number[]) => number)(...(args as number[]));
      const evs = args.map(evaluator);
      if (has(UNARY, node.fn)) {
        const g = UNARY[node.fn]!;
        const a = evs[0]!;
        const out = new Float64Array(BLOCK);
        return (inputs, n) => {
          const x = a(inputs, n);
          for (let i = 0; i < n; i++) out[i] = g(x[i]!);
          return out;
        };
      }
      if (has(BINARY, node.fn)) return zip(BINARY[node.fn]!, evs[0]!, evs[1]!);
      // min(a, b, c) = min(min(a, b), c), NaN and −0 included, so a variadic call folds pairwise.
      const g = VARIADIC[node.fn]! as (x: number, y: number) => number;
      return evs.slice(1).reduce((acc, e) => zip(g, acc, e), evs[0]!);
    }
  }
}

function zip(f: (x: number, y: number) => number, a: Eval, b: Eval): Eval {
  const out = new Float64Array(BLOCK);
  return (inp, n) => {
    const x = a(inp, n);
    const y = b(inp, n);
    for (let i = 0; i < n; i++) out[i] = f(x[i]!, y[i]!);
    return out;
  };
}

/** ((t₀ op₀ t₁) op₁ t₂) …, accumulated in one buffer: the order of the written expression. */
function chain(ops: readonly ChainOp[], terms: readonly Eval[]): Eval {
  const out = new Float64Array(BLOCK);
  return (inp, n) => {
    out.set(terms[0]!(inp, n).subarray(0, n));
    for (let t = 1; t < terms.length; t++) {
      const y = terms[t]!(inp, n);
      switch (ops[t - 1]) {
        case '+': for (let i = 0; i < n; i++) out[i] += y[i]!; break;
        case '-': for (let i = 0; i < n; i++) out[i] -= y[i]!; break;
        case '*': for (let i = 0; i < n; i++) out[i] *= y[i]!; break;
        default: for (let i = 0; i < n; i++) out[i] /= y[i]!;
      }
    }
    return out;
  };
}

/**
 * Evaluates on the outer grid of the axis coordinates (numpy.meshgrid(indexing='ij'), C order:
 * the last axis fastest). axisOf maps each variable name to its axis.
 */
export function evaluateOnGrid(expr: CompiledExpression, axes: readonly Float64Array[], axisOf: Readonly<Record<string, number>>): Float64Array {
  const shape = axes.map((a) => a.length);
  const total = shape.reduce((p, n) => p * n, 1);
  const out = new Float64Array(total);
  const varAxes = expr.variables.map((v) => axisOf[v]!);
  const inputs = expr.variables.map(() => new Float64Array(BLOCK));
  const idx = new Array<number>(shape.length).fill(0);
  for (let start = 0; start < total; start += BLOCK) {
    const n = Math.min(BLOCK, total - start);
    for (let p = 0; p < n; p++) {
      for (let v = 0; v < varAxes.length; v++) inputs[v]![p] = axes[varAxes[v]!]![idx[varAxes[v]!]!]!;
      for (let a = shape.length - 1; a >= 0; a--) {
        if (++idx[a]! < shape[a]!) break;
        idx[a] = 0;
      }
    }
    out.set(expr.evaluateBlock(inputs, n).subarray(0, n), start);
  }
  return out;
}
