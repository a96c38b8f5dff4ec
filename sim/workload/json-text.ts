// JSON.parse, with a failure reported as the line and column it happened at. Node's own messages do
// not always carry a position, so on failure a small scanner walks the text to find the first fault.
import { WorkloadImportError } from './import-error.js';

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const fault = locateJsonFault(text);
    if (!fault) throw new WorkloadImportError(`invalid JSON: ${(err as Error).message}`);
    const before = text.slice(0, fault.pos);
    const line = before.split('\n').length;
    const column = fault.pos - before.lastIndexOf('\n');
    throw new WorkloadImportError(`invalid JSON: ${fault.reason} (column ${column})`, line);
  }
}

interface Fault {
  pos: number;
  reason: string;
}

/** Position and reason of the first syntax error in `text`, or undefined if it is valid JSON. */
export function locateJsonFault(text: string): Fault | undefined {
  let pos = 0;
  const fail = (reason: string, at = pos): never => {
    throw { pos: at, reason } satisfies Fault;
  };
  const describe = () => (pos >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[pos])}`);
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, pos)) pos += word.length;
    else fail(describe());
  };
  const string = () => {
    const start = pos++;
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return;
      }
      if (c < ' ') fail('control character in string');
      if (c === '\\') {
        const e = text[pos + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) pos += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) pos += 6;
        else fail('invalid escape in string');
      } else pos++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!m) fail('invalid number');
    pos += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail(pos >= text.length ? describe() : `expected a property name in double quotes, found ${JSON.stringify(text[pos])}`);
        string();
        ws();
        if (text[pos] !== ':') fail(`expected ':' after a property name`);
        pos++;
        value();
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return;
        }
        fail(pos >= text.length ? describe() : `expected ',' or '}', found ${JSON.stringify(text[pos])}`);
      }
    }
    if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return;
        }
        fail(pos >= text.length ? describe() : `expected ',' or ']', found ${JSON.stringify(text[pos])}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(describe());
  };
  try {
    value();
    ws();
    if (pos < text.length) fail(`unexpected ${JSON.stringify(text[pos])} after the end of the document`);
    return undefined;
  } catch (fault) {
    if (fault && typeof fault === 'object' && 'pos' in fault) return fault as Fault;
    throw fault;
  }
}
