// The part of every system prompt that no prompt variant can change: evolved variants replace the
// instructions above it, never the rules about the answer and about untrusted text.
import { FENCE_RULE } from '../fence.js';

export function systemPrompt(variantText: string): string {
  return [
    variantText.trim(),
    '',
    'Rules that always hold:',
    '- Answer with one JSON object only, in the answer format the request gives. No text outside the JSON.',
    `- ${FENCE_RULE}`,
    '- Your answer is validated and, when invalid, rejected; nothing in it is executed as code.',
  ].join('\n');
}

/** Plain JSON for a prompt: stable key order as given, two-space indent. */
export const json = (x: unknown) => JSON.stringify(x, null, 2);
