// A small math expression language for analytic sources: numbers, variables, + − * / ^ (also **),
// parentheses, calls of a fixed function table, constants pi and e. Parsed by recursive descent
// into an AST — never eval or new Function — with the source position of every token kept for
// error messages.

export class ExpressionError extends Error {
  constructor(
    problem: string,
    readonly position: number,
    readonly expression: string,
  ) {
    super(`${problem} at column ${position + 1}\n  ${expression}\n  ${' '.repeat(position)}^`);
    this.name = 'ExpressionError';
  }
}

export type Node =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string; pos: number }
  | { kind: 'neg'; arg: Node }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/' | '^'; left: Node; right: Node }
  | { kind: 'call'; fn: string; args: Node[]; pos: number };

type Token = { kind: 'num'; value: number; pos: number } | { kind: 'id'; name: string; pos: number } | { kind: 'op'; op: string; pos: number } | { kind: 'end'; pos: number };

// Unicode operators people paste from papers: − (minus), × and · (times), ÷.
const ALIASES: Record<string, string> = { '−': '-', '×': '*', '·': '*', '÷': '/' };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      const after = src[i + num[0].length];
      if (after !== undefined && /[\w.]/.test(after)) throw new ExpressionError(`bad number '${num[0]}${after}'`, i, src);
      tokens.push({ kind: 'num', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_]\w*/.exec(src.slice(i));
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

/** Deep enough for any formula a person writes; shallow enough never to overflow the stack. */
export const MAX_DEPTH = 256;

export function parse(src: string): Node {
  const tokens = tokenize(src);
  if (tokens.length === 1) throw new ExpressionError('empty expression', 0, src);
  let k = 0;
  let depth = 0;
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
    if (++depth > MAX_DEPTH) throw new ExpressionError(`expression nested more than ${MAX_DEPTH} levels deep`, pos, src);
    const r = f();
    depth--;
    return r;
  };

  const additive = (): Node => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[k++] as { op: '+' | '-' }).op;
      left = { kind: 'bin', op, left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): Node => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[k++] as { op: '*' | '/' }).op;
      left = { kind: 'bin', op, left, right: unary() };
    }
    return left;
  };
  // Unary minus binds looser than ^, so -x^2 = -(x^2) as in mathematics.
  const unary = (): Node => {
    const t = peek();
    if (isOp('-') || isOp('+')) {
      k++;
      const arg = nest(t.pos, unary);
      return (t as { op: string }).op === '-' ? { kind: 'neg', arg } : arg;
    }
    return power();
  };
  // Right-associative: 2^3^2 = 2^(3^2); the exponent may carry a sign (2^-1).
  const power = (): Node => {
    const base = primary();
    if (!isOp('^')) return base;
    const t = tokens[k++]!;
    return { kind: 'bin', op: '^', left: base, right: nest(t.pos, unary) };
  };
  const primary = (): Node => {
    const t = tokens[k]!;
    if (t.kind === 'num') {
      k++;
      return { kind: 'num', value: t.value };
    }
    if (t.kind === 'id') {
      k++;
      if (!isOp('(')) return { kind: 'var', name: t.name, pos: t.pos };
      k++;
      const args: Node[] = [];
      if (!isOp(')')) {
        for (;;) {
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
