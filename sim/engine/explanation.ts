// Why a task went where it went: one placement decision re-derived node by node.
import type { ScoreTerm } from '../policy/compiled.js';

export interface CandidateExplanation {
  readonly node: string;
  readonly index: number;
  readonly score: number;
  /** The score's top-level terms, from policy.explain. */
  readonly terms: ScoreTerm[];
}

export interface ExcludedExplanation {
  readonly node: string;
  readonly index: number;
  /** 'engine': a hard limit (down, cores, memory, reachability); 'filter': the policy's filter said no; 'limit': nodesToScore was reached. */
  readonly by: 'engine' | 'filter' | 'limit';
  readonly reason: string;
}

export interface Explanation {
  readonly task: string;
  /** Time of the decision, s. */
  readonly time: number;
  /** Failed attempts before this decision (kills by node failures). */
  readonly attempts: number;
  /** The node chosen, or null when no node passed (the task stayed queued). */
  readonly chosen: string | null;
  /** Nodes that passed the filter, best first (ties: lowest index first): the winner and its runners-up. */
  readonly candidates: CandidateExplanation[];
  /** Every other node, in node order, with the reason it was not a candidate. */
  readonly excluded: ExcludedExplanation[];
}
