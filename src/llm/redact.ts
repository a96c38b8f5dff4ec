// Secrets never leave in a message: every error text that crosses the LLM client's boundary passes
// here. The configured key is cut out wherever it appears, whole or as a long fragment (servers echo
// "sk-abc…xyz1"), and so is anything shaped like a bearer token or an OpenAI-style key.

const REDACTED = '[redacted]';
/** Fragments of a secret at least this long are cut out too. */
const FRAGMENT = 8;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redact(text: string, secrets: readonly (string | undefined | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    if (secret.length >= 2 * FRAGMENT) {
      for (const part of [secret.slice(0, FRAGMENT), secret.slice(-FRAGMENT)]) out = out.replace(new RegExp(escape(part), 'g'), REDACTED);
    }
  }
  return out
    .replace(/\b(sk|pk|rk|sess)-[A-Za-z0-9_\-*.]{6,}/g, `$1-${REDACTED}`)
    .replace(/(Bearer\s+)[^\s"',}]+/gi, `$1${REDACTED}`)
    .replace(/(api[_-]?key["'\s:=]+)[^\s"',}]+/gi, `$1${REDACTED}`);
}

/** A URL without its user-info part (credentials belong in the environment, not in a URL). */
export function hasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}
