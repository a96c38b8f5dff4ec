// Tokens of the expression language, each with its position, and the one-line errors for characters
// that people coming from other languages type by habit (=, &&, ||, !).
import { KEYWORDS } from './ast.js';

export type TokenKind = 'number' | 'name' | 'keyword' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Source text of the token ('' for end). */
  readonly text: string;
  /** Numeric value of a number token. */
  readonly value: number;
  readonly start: number;
  readonly end: number;
}

/** A problem at a position; the compiler turns it into a PolicyCompileError for a field. */
export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'SyntaxProblem';
  }
}

const OPERATORS = ['<=', '>=', '==', '!=', '+', '-', '*', '/', '^', '<', '>'];
const HABITS: Record<string, string> = {
  '&&': "'&&' is not an operator: write 'and'",
  '||': "'||' is not an operator: write 'or'",
  '**': "'**' is not an operator: write '^' for a power",
  '=': "'=' is not an operator: write '==' to compare",
  '!': "'!' is not an operator: write 'not'",
  '%': "'%' is not an operator (there is no remainder)",
};
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNamePart = (c: string): boolean => isNameStart(c) || isDigit(c);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value = 0): void => {
    tokens.push({ kind, text: source.slice(start, end), value, start, end });
  };
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && isDigit(source[i + 1] ?? ''))) {
      while (isDigit(source[i] ?? '')) i++;
      if (source[i] === '.') {
        i++;
        while (isDigit(source[i] ?? '')) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (!isDigit(source[j] ?? '')) throw new SyntaxProblem(`malformed number '${source.slice(start, j)}'`, start);
        i = j;
        while (isDigit(source[i] ?? '')) i++;
      }
      if (source[i] === '.' || isNameStart(source[i] ?? '')) {
        let j = i;
        while (j < source.length && (isNamePart(source[j] as string) || source[j] === '.')) j++;
        throw new SyntaxProblem(`malformed number '${source.slice(start, j)}'`, start);
      }
      const value = Number(source.slice(start, i));
      if (!Number.isFinite(value)) throw new SyntaxProblem(`number '${source.slice(start, i)}' is too large`, start);
      push('number', start, i, value);
      continue;
    }
    if (isNameStart(c)) {
      // Dotted names (task.cores) are one token; a dot must be followed by a name part.
      while (i < source.length) {
        while (isNamePart(source[i] ?? '')) i++;
        if (source[i] === '.' && isNameStart(source[i + 1] ?? '')) i++;
        else break;
      }
      if (source[i] === '.') throw new SyntaxProblem(`malformed name '${source.slice(start, i + 1)}'`, start);
      const text = source.slice(start, i);
      push(KEYWORD_SET.has(text) ? 'keyword' : 'name', start, i);
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      push(c, i, i + 1);
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (HABITS[two] !== undefined) throw new SyntaxProblem(HABITS[two] as string, i);
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      push('op', i, i + op.length);
      i += op.length;
      continue;
    }
    if (HABITS[c] !== undefined) throw new SyntaxProblem(HABITS[c] as string, i);
    const shown = c.codePointAt(0)! < 32 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c;
    throw new SyntaxProblem(`unexpected character '${shown}'`, i);
  }
  tokens.push({ kind: 'end', text: '', value: 0, start: source.length, end: source.length });
  return tokens;
}

/** How a token reads in an error message. */
export function describeToken(t: Token): string {
  return t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`;
}
