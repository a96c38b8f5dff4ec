// The executable form of a policy document: closures built from checked expressions.
import type { DecisionContext, TaskView } from '../decision-context.js';
import type { PolicyDocument } from './document.js';

/** One named part of a score, for explanations (the top-level terms of a sum). */
export interface ScoreTerm {
  readonly label: string;
  readonly value: number;
}

export interface CompiledPolicy {
  readonly document: PolicyDocument;
  /** Sort key of a ready task (ascending; ties: ready time, then task index). */
  orderKey(task: TaskView, ctx: DecisionContext): number;
  /** True when the order depends on run state (DRF, random) and must be recomputed every pass. */
  readonly dynamicOrder: boolean;
  filter(ctx: DecisionContext): boolean;
  /** Throws PolicyRuntimeError on division by zero or a non-finite result. */
  score(ctx: DecisionContext): number;
  admit(ctx: DecisionContext): boolean;
  /** Feature names the filter and score read: lets the engine use exact indexes when it is safe. */
  readonly nodeFeatures: ReadonlySet<string>;
  /** The score's top-level terms and the filter's failing conjuncts, for one task on one node. */
  explain(ctx: DecisionContext): { terms: ScoreTerm[]; score: number; failed: string[] };
}

/** A policy fault found while running: a recorded failure of that policy, never a crash. */
export class PolicyRuntimeError extends Error {
  constructor(
    message: string,
    readonly expression: 'filter' | 'score' | 'admit' | 'order',
  ) {
    super(message);
    this.name = 'PolicyRuntimeError';
  }
}

/**
 * A policy that does not parse or type-check: one line naming the problem and its position.
 * `position` is 0-based within the field's text; -1 when the problem is not at a place in a text
 * (a schema error of the document itself), and then the message has no column.
 */
export class PolicyCompileError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly position: number,
  ) {
    super(position >= 0 ? `${field}: ${message} (at column ${position + 1})` : `${field}: ${message}`);
    this.name = 'PolicyCompileError';
  }
}
