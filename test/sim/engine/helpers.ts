// Test helpers: hand-written policies (closures, no policy language) and compact scenario builders.
import type { DecisionContext, TaskView } from '../../../sim/decision-context.js';
import type { CompiledPolicy, ScoreTerm } from '../../../sim/policy/compiled.js';
import { PolicyDocument } from '../../../sim/policy/document.js';
import { Scenario, type ScenarioInput } from '../../../sim/scenario.js';
import type { IndexOrderHint } from '../../../sim/simulate.js';

export interface HandPolicy {
  name?: string;
  filter?: (ctx: DecisionContext) => boolean;
  score: (ctx: DecisionContext) => number;
  order?: (task: TaskView, ctx: DecisionContext) => number;
  dynamicOrder?: boolean;
  admit?: (ctx: DecisionContext) => boolean;
  nodesToScore?: number;
  scoreNonIncreasingInIndex?: boolean;
}

export function handPolicy(p: HandPolicy): CompiledPolicy & IndexOrderHint {
  const filter = p.filter ?? (() => true);
  return {
    document: PolicyDocument.parse({
      name: p.name ?? 'hand',
      score: 'hand-written',
      ...(p.nodesToScore !== undefined ? { nodesToScore: p.nodesToScore } : {}),
    }),
    orderKey: p.order ?? ((task) => task.readyAt),
    dynamicOrder: p.dynamicOrder ?? false,
    filter,
    score: p.score,
    admit: p.admit ?? (() => true),
    nodeFeatures: new Set<string>(),
    scoreNonIncreasingInIndex: p.scoreNonIncreasingInIndex ?? false,
    explain(ctx) {
      const score = filter(ctx) ? p.score(ctx) : Number.NEGATIVE_INFINITY;
      const terms: ScoreTerm[] = [{ label: 'hand', value: score }];
      return { terms, score, failed: filter(ctx) ? [] : ['hand filter'] };
    },
  };
}

/** Every task goes to the node given for it (by task index); other nodes score 0. */
export function pinned(target: (taskIndex: number) => number): CompiledPolicy {
  return handPolicy({ name: 'pinned', score: (c) => (c.node!.index === target(c.task.index) ? 1 : 0) });
}

/** First fit on free cores (lowest index), written as `-node.index` with the monotonicity promise. */
export const firstFitHand = (): CompiledPolicy =>
  handPolicy({
    name: 'first-fit-hand',
    filter: (c) => c.task.spec.cores <= c.node!.freeCores,
    score: (c) => -c.node!.index,
    scoreNonIncreasingInIndex: true,
  });

/** Best fit on free cores (fewest left after placement), ties to the lowest index. */
export const bestFitHand = (): CompiledPolicy =>
  handPolicy({
    name: 'best-fit-hand',
    filter: (c) => c.task.spec.cores <= c.node!.freeCores,
    score: (c) => -(c.node!.freeCores - c.task.spec.cores),
  });

export function scenario(input: Partial<ScenarioInput> & Pick<ScenarioInput, 'nodes' | 'tasks'>): Scenario {
  return Scenario.parse({ id: 'test', domain: 'cloud', ...input });
}

export function node(id: string, cores: number, mips: number, extra: Record<string, unknown> = {}) {
  return { id, cores, mips, ...extra };
}

export function task(id: string, cores: number, length: number, extra: Record<string, unknown> = {}) {
  return { id, arrival: 0, cores, length, ...extra };
}
