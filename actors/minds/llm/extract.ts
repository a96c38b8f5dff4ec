// The JSON object in a model's answer. Servers in JSON mode answer with bare JSON; servers without it,
// and small models in any mode, wrap it in prose, in a ```json fence, or after a <think> block. Tried in
// that order: the whole text, each fenced block, then each balanced {…} outside strings.

export type Extracted = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function tryParse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** Each balanced {…} at the top level of the text, skipping braces inside JSON strings. */
function objectSpans(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  return spans;
}

export function extractJson(answer: string): Extracted {
  const text = answer.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  if (text === '') return { ok: false, error: 'the answer is empty' };
  const whole = tryParse(text);
  if (whole) return { ok: true, value: whole };
  for (const m of text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)) {
    const fenced = tryParse(m[1]!.trim());
    if (fenced) return { ok: true, value: fenced };
  }
  for (const span of objectSpans(text)) {
    const found = tryParse(span);
    if (found) return { ok: true, value: found };
  }
  let reason = 'no JSON object found';
  try {
    JSON.parse(text);
    reason = 'the JSON is not an object';
  } catch (err) {
    if (/^\s*[[{]/.test(text)) reason = `malformed JSON: ${(err as Error).message}`;
  }
  return { ok: false, error: `${reason}; answer with one JSON object` };
}
