// A small well-formedness check for the SVG reports: tags nest and close, attributes are quoted, text
// has no bare '<' or '&'. Enough to catch a broken hand-written SVG without an XML library.
export function xmlProblem(text: string): string | null {
  const stack: string[] = [];
  const re = /<\/?([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let at = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const between = text.slice(at, m.index);
    if (/[<]/.test(between)) return `stray '<' before offset ${m.index}`;
    if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(between)) return `bare '&' before offset ${m.index}`;
    at = re.lastIndex;
    const tag = m[0];
    if (tag.startsWith('<!--') || tag.startsWith('<?')) continue;
    const name = m[1]!;
    if (tag.startsWith('</')) {
      if (stack.pop() !== name) return `</${name}> closes nothing open at offset ${m.index}`;
    } else if (m[3] !== '/') stack.push(name);
  }
  if (/[<]/.test(text.slice(at))) return 'stray < at the end';
  if (stack.length > 0) return `unclosed <${stack.at(-1)}>`;
  return null;
}
