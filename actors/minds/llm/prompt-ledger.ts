// The prompt variants of an LLM run and how each has done, folded from the run's events:
// - variants and the kept set per role, from PromptEvolved;
// - which variant wrote what: PolicyProposed.operator `prompt:<variantId>`, ScenarioProposed.generator
//   `promptVariant`;
// - measured results: a defender variant scores the match points of its policies (MatchPlayed: 1 win,
//   ½ draw, 0 loss), an attacker variant the attacker reward of its scenarios (AttackerRewarded);
// - model usage (LlmCalled: tokens and cost) for the budget, and the iterations after which the evolver
//   was called, so a resumed run neither repeats nor skips a prompt evolution.
// Deterministic: events are folded in log order, and everything read back is sorted.
import type { AuroraEvent } from '../../../events/catalogue.js';
import { forEachGame } from '../../../projections/match-round.js';

export type PromptRole = 'attacker' | 'defender';

export interface VariantRecord {
  variantId: string;
  role: string;
  parentId: string | null;
  prompt: string;
  iteration: number;
}

export interface VariantResult {
  variantId: string;
  /** Matches (defender) or rewarded scenarios (attacker) measured. */
  n: number;
  /** Mean match score or attacker reward; null before any measurement. */
  score: number | null;
}

export interface LlmUsage {
  calls: number;
  prompt: number;
  completion: number;
  total: number;
  cost: number;
}

export interface RejectionTally {
  rejected: number;
  recent: string[];
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const RECENT = 5;

export class PromptLedger {
  private readonly variants = new Map<string, VariantRecord>();
  private readonly keptBy = new Map<string, string[]>();
  private readonly authorOf = new Map<string, string>();
  private readonly sums = new Map<string, { n: number; sum: number }>();
  private readonly rejections = new Map<string, RejectionTally>();
  readonly evolvedAt = new Set<number>();
  readonly usage: LlmUsage = { calls: 0, prompt: 0, completion: 0, total: 0, cost: 0 };

  constructor(private readonly runId: string) {}

  apply(event: AuroraEvent): void {
    if (event.metadata.runId !== this.runId) return;
    switch (event.type) {
      case 'PromptEvolved': {
        const d = event.data;
        this.variants.set(d.variantId, { variantId: d.variantId, role: d.role, parentId: d.parentId, prompt: d.prompt, iteration: event.metadata.iteration });
        this.keptBy.set(d.role, [...d.kept]);
        return;
      }
      case 'PolicyProposed': {
        const op = event.data.operator;
        if (op.startsWith('prompt:')) this.authorOf.set(`policy:${event.data.policyId}`, op.slice('prompt:'.length));
        return;
      }
      case 'ScenarioProposed': {
        const g = event.data.generator;
        if (isObject(g) && typeof g.promptVariant === 'string') this.authorOf.set(`scenario:${event.data.scenarioId}`, g.promptVariant);
        return;
      }
      case 'MatchPlayed': {
        forEachGame(event.data, (a, b, outcome) => {
          this.credit(this.authorOf.get(`policy:${a}`), outcome);
          this.credit(this.authorOf.get(`policy:${b}`), 1 - outcome);
        });
        return;
      }
      case 'AttackerRewarded':
        this.credit(this.authorOf.get(`scenario:${event.data.scenarioId}`), event.data.reward);
        return;
      case 'PolicyRejected':
      case 'ScenarioRejected': {
        const author = event.data.author;
        if (!author.includes(':llm:')) return;
        const role = event.type === 'PolicyRejected' ? 'defender' : 'attacker';
        const t = this.rejections.get(role) ?? { rejected: 0, recent: [] };
        t.rejected += 1;
        const first = event.data.errors[0];
        if (first !== undefined) t.recent = [...t.recent, first].slice(-RECENT);
        this.rejections.set(role, t);
        return;
      }
      case 'LlmCalled': {
        const u = event.data.usage;
        this.usage.calls += 1;
        this.usage.prompt += u.prompt;
        this.usage.completion += u.completion;
        this.usage.total += u.total;
        this.usage.cost += event.data.cost;
        if (event.data.role === 'evolver') this.evolvedAt.add(event.metadata.iteration);
        return;
      }
      default:
        return;
    }
  }

  applyAll(events: Iterable<AuroraEvent>): this {
    for (const e of events) this.apply(e);
    return this;
  }

  private credit(variantId: string | undefined, points: number): void {
    if (variantId === undefined) return;
    const s = this.sums.get(variantId) ?? { n: 0, sum: 0 };
    s.n += 1;
    s.sum += points;
    this.sums.set(variantId, s);
  }

  result(variantId: string): VariantResult {
    const s = this.sums.get(variantId);
    return { variantId, n: s?.n ?? 0, score: s === undefined || s.n === 0 ? null : s.sum / s.n };
  }

  variant(variantId: string): VariantRecord | undefined {
    return this.variants.get(variantId);
  }

  rejectionsOf(role: PromptRole): RejectionTally {
    return this.rejections.get(role) ?? { rejected: 0, recent: [] };
  }

  /** The kept variants of a role, best measured first, then the unmeasured (ties: id). */
  ranked(role: PromptRole): VariantResult[] {
    return (this.keptBy.get(role) ?? [])
      .map((id) => this.result(id))
      .sort((a, b) => {
        if (a.score !== null && b.score !== null && a.score !== b.score) return b.score - a.score;
        if ((a.score === null) !== (b.score === null)) return a.score === null ? 1 : -1;
        return a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0;
      });
  }

  /** The kept variants of a role as request data, best first. */
  prompts(role: PromptRole): { variantId: string; text: string }[] {
    return this.ranked(role).flatMap((r) => {
      const v = this.variants.get(r.variantId);
      return v === undefined ? [] : [{ variantId: v.variantId, text: v.prompt }];
    });
  }
}
