// The policies an evaluation runs, as the user named them: baselines, files, library policies
// (`library:<name>`), and `champion`, which a named suite resolves to its library champion.
import type { PolicyDocument } from '../../sim/policy/document.js';

export type PolicySource = 'baseline' | 'file' | 'library';

export interface EvalPolicy {
  /** What the user wrote (or `champion` expanded to `library:<name>`). */
  readonly label: string;
  readonly source: PolicySource;
  /** The document, unchecked: compilation is per suite kind, and its errors are results. */
  readonly document: unknown;
  /** Asked for through a group ('baselines'): left out quietly where it does not apply. */
  readonly optional?: boolean;
  /** A library champion: which suite (and track) it was evolved for. */
  readonly champion?: { readonly suite: string; readonly track: string | null };
}

export type PolicyDoc = PolicyDocument;
