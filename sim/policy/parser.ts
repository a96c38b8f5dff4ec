// Recursive-descent parser. Precedence, lowest first:
//   if … then … else  <  or  <  and  <  not  <  comparisons (do not chain)  <  + -  <  * /
//   <  unary minus  <  ^ (right-associative; its exponent may start with a minus)  <  atoms
// `if` and `not` need parentheses when they are an operand of a tighter operator, so every tree has
// one canonical text (see printer.ts). A minus directly before a number literal is part of the
// number (`-3` is the constant −3), unless a `^` follows it (`-3 ^ 2` is −(3²), as in mathematics).
import type { BinaryOp, Expr, Span, Spans } from './ast.js';
import { isFunctionName, FUNCTIONS, FUNCTION_NAMES } from './ast.js';
import { didYouMean } from './suggest.js';
import { SyntaxProblem, describeToken, tokenize, type Token } from './lexer.js';

/** Longest source text accepted: policies are small; this bounds work and memory. */
export const MAX_SOURCE_LENGTH = 10_000;
/** Deepest nesting of parentheses, calls and prefix operators accepted. */
export const MAX_NESTING = 64;

export interface Parsed {
  readonly expr: Expr;
  readonly spans: Spans;
}

const COMPARISONS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '==', '!=']);

/** Parses one expression; throws SyntaxProblem with a position on malformed text. */
export function parseExpression(source: string): Parsed {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new SyntaxProblem(`expression too long (${source.length} characters; the limit is ${MAX_SOURCE_LENGTH})`, 0);
  }
  const tokens = tokenize(source);
  if (tokens.length === 1) throw new SyntaxProblem('empty expression', 0);
  const parser = new Parser(tokens);
  const expr = parser.parseExpr();
  const next = parser.peek();
  if (next.kind !== 'end') {
    const hint = next.kind === ')' ? " (a ')' without its '(')" : '';
    throw new SyntaxProblem(`unexpected ${describeToken(next)} after a complete expression${hint}`, next.start);
  }
  return { expr, spans: parser.spans };
}

class Parser {
  readonly spans: Spans = new WeakMap();
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private take(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === text;
  }

  private isKeyword(text: string): boolean {
    const t = this.peek();
    return t.kind === 'keyword' && t.text === text;
  }

  private node(e: Expr, start: number, end: number): Expr {
    this.spans.set(e, { start, end } satisfies Span);
    return e;
  }

  private spanOf(e: Expr): Span {
    return this.spans.get(e) as Span;
  }

  private enter(at: Token): void {
    if (++this.depth > MAX_NESTING) throw new SyntaxProblem(`expression nested too deeply (the limit is ${MAX_NESTING})`, at.start);
  }

  parseExpr(): Expr {
    const first = this.peek();
    this.enter(first);
    try {
      if (first.kind === 'keyword' && first.text === 'if') return this.parseIf();
      return this.parseOr();
    } finally {
      this.depth--;
    }
  }

  private parseIf(): Expr {
    const start = this.take().start;
    const cond = this.parseExpr();
    this.expectKeyword('then', "'if' needs 'then': if condition then a else b");
    const a = this.parseExpr();
    this.expectKeyword('else', "'if … then …' needs 'else': if condition then a else b");
    const b = this.parseExpr();
    return this.node({ op: 'if', args: [cond, a, b] }, start, this.spanOf(b).end);
  }

  private expectKeyword(word: string, message: string): void {
    if (this.isKeyword(word)) {
      this.take();
      return;
    }
    const t = this.peek();
    throw new SyntaxProblem(`${message}; found ${describeToken(t)}`, t.start);
  }

  private binaryLoop(ops: readonly string[], keyword: boolean, operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const t = this.peek();
      const matches = keyword ? t.kind === 'keyword' && ops.includes(t.text) : t.kind === 'op' && ops.includes(t.text);
      if (!matches) return left;
      this.take();
      const right = operand();
      left = this.node({ op: t.text as BinaryOp, args: [left, right] }, this.spanOf(left).start, this.spanOf(right).end);
    }
  }

  private parseOr(): Expr {
    return this.binaryLoop(['or'], true, () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.binaryLoop(['and'], true, () => this.parseNot());
  }

  private parseNot(): Expr {
    if (!this.isKeyword('not')) return this.parseComparison();
    const t = this.take();
    this.enter(t);
    try {
      const x = this.parseNot();
      return this.node({ op: 'not', args: [x] }, t.start, this.spanOf(x).end);
    } finally {
      this.depth--;
    }
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind !== 'op' || !COMPARISONS.has(t.text)) return left;
    this.take();
    const right = this.parseAdditive();
    const again = this.peek();
    if (again.kind === 'op' && COMPARISONS.has(again.text)) {
      throw new SyntaxProblem("comparisons do not chain: write 'a < b and b < c'", again.start);
    }
    return this.node({ op: t.text as BinaryOp, args: [left, right] }, this.spanOf(left).start, this.spanOf(right).end);
  }

  private parseAdditive(): Expr {
    return this.binaryLoop(['+', '-'], false, () => this.parseMultiplicative());
  }

  private parseMultiplicative(): Expr {
    return this.binaryLoop(['*', '/'], false, () => this.parseUnary());
  }

  private parseUnary(): Expr {
    if (!this.isOp('-')) {
      if (this.isOp('+')) throw new SyntaxProblem("unary '+' is not supported: leave it out", this.peek().start);
      return this.parsePower();
    }
    const minus = this.take();
    const next = this.peek();
    if (next.kind === 'number' && !this.isOp('^', 1)) {
      this.take();
      return this.node({ op: 'num', value: -next.value }, minus.start, next.end);
    }
    this.enter(minus);
    try {
      const x = this.parseUnary();
      return this.node({ op: 'neg', args: [x] }, minus.start, this.spanOf(x).end);
    } finally {
      this.depth--;
    }
  }

  private parsePower(): Expr {
    const base = this.parsePrimary();
    if (!this.isOp('^')) return base;
    const caret = this.take();
    this.enter(caret);
    try {
      const exponent = this.parseUnary();
      return this.node({ op: '^', args: [base, exponent] }, this.spanOf(base).start, this.spanOf(exponent).end);
    } finally {
      this.depth--;
    }
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.take();
        return this.node({ op: 'num', value: t.value }, t.start, t.end);
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') {
          this.take();
          return this.node({ op: 'bool', value: t.text === 'true' }, t.start, t.end);
        }
        if (t.text === 'if') throw new SyntaxProblem("'if' inside an operator needs parentheses: (if c then a else b)", t.start);
        if (t.text === 'not') throw new SyntaxProblem("'not' inside an operator needs parentheses: (not c)", t.start);
        throw new SyntaxProblem(`expected an expression, found ${describeToken(t)}`, t.start);
      case 'name':
        this.take();
        if (this.peek().kind === '(') return this.parseCall(t);
        if (isFunctionName(t.text)) throw new SyntaxProblem(`'${t.text}' is a function: call it as ${t.text}(…)`, t.start);
        return this.node({ op: 'feature', name: t.text }, t.start, t.end);
      case '(': {
        this.take();
        const inner = this.parseExpr();
        const close = this.peek();
        if (close.kind !== ')') {
          throw new SyntaxProblem(`expected ')' to close the '(' at column ${t.start + 1}, found ${describeToken(close)}`, close.start);
        }
        this.take();
        return inner;
      }
      default:
        throw new SyntaxProblem(`expected an expression, found ${describeToken(t)}`, t.start);
    }
  }

  private parseCall(name: Token): Expr {
    if (!isFunctionName(name.text)) {
      throw new SyntaxProblem(`unknown function '${name.text}'${didYouMean(name.text, FUNCTION_NAMES)}`, name.start);
    }
    this.take();
    const args: Expr[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.parseExpr());
        const t = this.peek();
        if (t.kind === ',') {
          this.take();
          continue;
        }
        if (t.kind === ')') break;
        throw new SyntaxProblem(`expected ',' or ')' in the arguments of ${name.text}(), found ${describeToken(t)}`, t.start);
      }
    }
    const close = this.take();
    const info = FUNCTIONS[name.text];
    if (args.length < info.minArgs || args.length > info.maxArgs) {
      const want =
        info.minArgs === info.maxArgs
          ? `${info.minArgs} argument${info.minArgs === 1 ? '' : 's'}`
          : `at least ${info.minArgs} argument${info.minArgs === 1 ? '' : 's'}`;
      throw new SyntaxProblem(`${name.text}() takes ${want}, got ${args.length}`, name.start);
    }
    return this.node({ op: name.text, args }, name.start, close.end);
  }
}
