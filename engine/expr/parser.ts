// A small math expression language for analytic sources: numbers, variables, + − * / ^ (also **),
// parentheses, calls of a fixed function table, constants pi and e. Parsed by recursive descent
// into an AST — never eval or new Function — with the source position of every token kept for
// error messages. The parser's work is bounded (MAX_LENGTH, MAX_DEPTH, MAX_ARGS, MAX_NODES), each
// limit checked before the work it bounds, so a pasted or generated monster is refused with a
// message instead of a stack overflow or gigabytes of scratch buffers (issue 12, item 21).

/** How much of a long expression an error message shows around the problem. */
const SHOWN = 72;

export class ExpressionError extends Error {
  constructor(
    problem: string,
    readonly position: number,
    readonly expression: string,
  ) {
    const [text, at] = excerpt(expression, position);
    super(`${problem} at column ${position + 1}\n  ${text}\n  ${' '.repeat(at)}^`);
    this.name = 'ExpressionError';
  }
}

/** The expression, or a window of it around pos for long ones, and pos within what is shown. */
function excerpt(src: string, pos: number): [string, number] {
  if (src.length <= SHOWN) return [src, pos];
  const start = Math.max(0, Math.min(pos - SHOWN / 2, src.length - SHOWN));
  const end = start + SHOWN;
  return [`${start > 0 ? '…' : ''}${src.slice(start, end)}${end < src.length ? '…' : ''}`, pos - start + (start > 0 ? 1 : 0)];
}

export type ChainOp = '+' | '-' | '*' | '/';

/**
 * A left-associative run of one precedence level (a − b + c, a * b / c) is one `chain` node
 * evaluated in a loop, ((a − b) + c), so the tree's depth grows with nesting, never with the
 * number of terms: walking it cannot overflow the stack.
 */
export type Node =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string; pos: number }
  | { kind: 'neg'; arg: Node }
  | { kind: 'chain'; terms: Node[]; ops: ChainOp[] }
  | { kind: 'pow'; base: Node; exponent: Node }
  | { kind: 'call'; fn: string; args: Node[]; pos: number };

type Token = { kind: 'num'; value: number; pos: number } | { kind: 'id'; name: string; pos: number } | { kind: 'op'; op: string; pos: number } | { kind: 'end'; pos: number };

// Unicode operators people paste from papers: − (minus), × and · (times), ÷.
const ALIASES: Record<string, string> = { '−': '-', '×': '*', '·': '*', '÷': '/' };

// Sticky (y) patterns matched at lastIndex: no slice of the rest per token, so tokenizing is linear.
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_]\w*/y;
const at = (re: RegExp, src: string, i: number) => ((re.lastIndex = i), re.exec(src));

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = at(NUMBER, src, i);
    if (num) {
      const after = src[i + num[0].length];
      if (after !== undefined && /[\w.]/.test(after)) throw new ExpressionError(`bad number '${num[0]}${after}'`, i, src);
      tokens.push({ kind: 'num', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = at(IDENT, src, i);
    if (id) {
      tokens.push({ kind: 'id', name: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (src.startsWith('**', i)) {
      tokens.push({ kind: 'op', op: '^', pos: i });
      i += 2;
      continue;
    }
    const op = ALIASES[c] ?? c;
    if ('+-*/^(),'.includes(op)) {
      tokens.push({ kind: 'op', op, pos: i });
      i++;
      continue;
    }
    throw new ExpressionError(`unexpected character '${c}'`, i, src);
  }
  tokens.push({ kind: 'end', pos: src.length });
  return tokens;
}

// Far beyond any formula a person writes, small enough that parsing, checking and compiling stay
// in milliseconds and in a few MB (compiling keeps a float64 block buffer per operation).
/** Characters, whitespace included; bounds tokenizing and everything after it. */
export const MAX_LENGTH = 32768;
/** Parentheses, signs and exponents inside each other; bounds the parser's recursion. */
export const MAX_DEPTH = 256;
/** Arguments of one call (min, max); bounds one call node. */
export const MAX_ARGS = 256;
/** Numbers, names, operators and calls in the parsed tree; bounds checking, compiling and evaluation. */
export const MAX_NODES = 2048;

export function parse(src: string): Node {
  if (src.length > MAX_LENGTH) {
    throw new ExpressionError(`expression is ${src.length} characters long, over the limit of ${MAX_LENGTH}; shorten it (e.g. 3*x for x+x+x, or a closed form for a long sum)`, MAX_LENGTH, src);
  }
  const tokens = tokenize(src);
  if (tokens.length === 1) throw new ExpressionError('empty expression', 0, src);
  let k = 0;
  let depth = 0;
  let nodes = 0;
  const peek = () => tokens[k]!;
  const isOp = (op: string) => {
    const t = peek();
    return t.kind === 'op' && t.op === op;
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'end of expression' : t.kind === 'num' ? `number ${src.slice(t.pos).match(/^[\d.eE+-]+/)?.[0]}` : t.kind === 'id' ? `'${t.name}'` : `'${t.op}'`);
  const expect = (op: string, what: string) => {
    if (!isOp(op)) throw new ExpressionError(`expected ${what} but found ${describe(peek())}`, peek().pos, src);
    k++;
  };
  const nest = <T>(pos: number, f: () => T): T => {
    if (++depth > MAX_DEPTH) throw new ExpressionError(`expression nested more than ${MAX_DEPTH} levels deep (the limit); remove redundant parentheses or signs, or split it into simpler terms`, pos, src);
    const r = f();
    depth--;
    return r;
  };
  // Counted as each node is made, so a tree over the limit is never finished, let alone compiled.
  const grow = (pos: number) => {
    if (++nodes > MAX_NODES) throw new ExpressionError(`expression has more than ${MAX_NODES} numbers, names and operators (the limit); simplify it (e.g. 3*x for x+x+x, or a closed form for a long sum)`, pos, src);
  };

  // One loop per precedence level, however many terms: see Node's `chain`.
  const chain = (ops: readonly ChainOp[], operand: () => Node): Node => {
    const first = operand();
    const isChainOp = () => {
      const t = peek();
      return t.kind === 'op' && (ops as readonly string[]).includes(t.op);
    };
    if (!isChainOp()) return first;
    const node = { kind: 'chain' as const, terms: [first], ops: [] as ChainOp[] };
    while (isChainOp()) {
      const t = tokens[k++] as { op: ChainOp; pos: number };
      grow(t.pos);
      node.ops.push(t.op);
      node.terms.push(operand());
    }
    return node;
  };
  const additive = (): Node => chain(['+', '-'], multiplicative);
  const multiplicative = (): Node => chain(['*', '/'], unary);
  // Unary minus binds looser than ^, so -x^2 = -(x^2) as in mathematics.
  const unary = (): Node => {
    const t = peek();
    if (isOp('-') || isOp('+')) {
      k++;
      const arg = nest(t.pos, unary);
      if ((t as { op: string }).op === '+') return arg;
      grow(t.pos);
      return { kind: 'neg', arg };
    }
    return power();
  };
  // Right-associative: 2^3^2 = 2^(3^2); the exponent may carry a sign (2^-1).
  const power = (): Node => {
    const base = primary();
    if (!isOp('^')) return base;
    const t = tokens[k++]!;
    grow(t.pos);
    return { kind: 'pow', base, exponent: nest(t.pos, unary) };
  };
  const primary = (): Node => {
    const t = tokens[k]!;
    if (t.kind === 'num') {
      k++;
      grow(t.pos);
      return { kind: 'num', value: t.value };
    }
    if (t.kind === 'id') {
      k++;
      grow(t.pos);
      if (!isOp('(')) return { kind: 'var', name: t.name, pos: t.pos };
      k++;
      const args: Node[] = [];
      if (!isOp(')')) {
        for (;;) {
          if (args.length === MAX_ARGS) {
            throw new ExpressionError(`${t.name}() has more than ${MAX_ARGS} arguments (the limit); nest the calls, e.g. ${t.name}(${t.name}(a, b), ${t.name}(c, d))`, peek().pos, src);
          }
          args.push(nest(t.pos, additive));
          if (!isOp(',')) break;
          k++;
        }
      }
      expect(')', `',' or ')' to close the call of '${t.name}'`);
      return { kind: 'call', fn: t.name, args, pos: t.pos };
    }
    if (isOp('(')) {
      k++;
      const inner = nest(t.pos, additive);
      expect(')', "')'");
      return inner;
    }
    if (t.kind === 'end') throw new ExpressionError('unexpected end of expression (an operand is missing)', t.pos, src);
    throw new ExpressionError(`unexpected ${describe(t)}`, t.pos, src);
  };

  const root = additive();
  if (peek().kind !== 'end') {
    const t = peek();
    throw new ExpressionError(t.kind === 'op' && t.op === ')' ? "unbalanced ')' (no matching '(')" : `unexpected ${describe(t)} (an operator is missing?)`, t.pos, src);
  }
  return root;
}
