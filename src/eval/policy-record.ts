// A policy as shipped in library/ and as `aurora policy export` writes it: the policy document plus where
// it came from, so anyone can tell how it was made and reproduce it. Validated with zod on every read.
import { z } from 'zod';
import { PolicyDocument } from '../../sim/policy/document.js';

export const POLICY_RECORD_FORMAT = 'aurora-policy/1';

export const Provenance = z
  .object({
    /** evolve: `aurora evolve`; run: exported from a self-play run; import: brought in from a file. */
    source: z.enum(['evolve', 'run', 'import']),
    /** The suite (or `self-play:<domain>`) it was trained on, e.g. binpack:weibull@1, trace-azure@1. */
    trainingSuite: z.string().min(1),
    /** cloud, edge, network, hybrid, or binpack: the compiler's domain. */
    domain: z.enum(['binpack', 'cloud', 'edge', 'network', 'hybrid']),
    seed: z.number().int().min(0).nullable(),
    runId: z.string().nullable(),
    policyId: z.string().nullable(),
    config: z.json().describe('the resolved configuration of the run or evolution'),
    codeVersion: z.string(),
    /** The command that produced it, for people. */
    command: z.string().nullable(),
    /** Information only (never a decision input). */
    createdAt: z.string().nullable(),
    /** Figures measured when it was made: training, validation, test. */
    results: z.json().nullable(),
  })
  .strict();
export type Provenance = z.infer<typeof Provenance>;

export const PolicyRecord = z
  .object({
    format: z.literal(POLICY_RECORD_FORMAT),
    /** Library name: lower-case letters, digits and dashes. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a library name is 1–64 lower-case letters, digits or dashes, starting with a letter or digit'),
    summary: z.string().max(500).default(''),
    policy: PolicyDocument,
    provenance: Provenance,
  })
  .strict();
export type PolicyRecord = z.infer<typeof PolicyRecord>;
export type PolicyRecordInput = z.input<typeof PolicyRecord>;

export function looksLikeRecord(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && (json as { format?: unknown }).format === POLICY_RECORD_FORMAT;
}

/** The first problem of a record, as one line naming the field; null when it validates. */
export function recordProblem(json: unknown): string | null {
  const r = PolicyRecord.safeParse(json);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return `${path === '' ? 'record' : path}: ${issue.message}`;
}
