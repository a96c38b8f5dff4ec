// The offline defender: evolves policies in the policy language. Per request (everything it needs is
// in the request):
// - the population is the request's rated policies, with the baselines added while it is small
//   (seed-population.ts); policies that do not compile are never parents;
// - for each child: an island is chosen by a tournament on the islands' best ratings, a parent by an
//   ELO tournament within it (islands.ts, tournament.ts); an operator is drawn by the search state's
//   rates; crossover takes its second parent from the same island, or from another one on migration
//   iterations (or when the island has one member);
// - the child is simplified (constant folding), refused when it outgrows the size and depth limits or
//   repeats a policy already in the population or the reply, and compiled with compilePolicy; a child
//   that fails is retried with fresh draws, and after MAX_ATTEMPTS the last failure is returned in
//   `rejected` with every error met.
// Ids are `p-<iteration>-<scenarioId>-<k>`.
import type { PoliciesProposed, ProposePolicies, RatedPolicy } from '../../protocol.js';
import type { Expr } from '../../../sim/policy/ast.js';
import { sizeOf } from '../../../sim/policy/ast.js';
import { checkExpression } from '../../../sim/policy/check.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import type { OrderSpec, PolicyDocument } from '../../../sim/policy/document.js';
import { printExpression } from '../../../sim/policy/printer.js';
import { rngFor } from '../../../sim/random.js';
import type { DefenderMind } from '../ports.js';
import { pickByRates } from '../rates.js';
import { breed, type Offspring } from './breed.js';
import type { ParentParts } from './crossover.js';
import { chooseIsland, groupByIsland, isMigration } from './islands.js';
import { orderKey, showOrder } from './order.js';
import { DEFENDER_OPERATORS, readDefenderSearch, type DefenderOperator } from './search.js';
import { withBaselines } from './seed-population.js';
import { bloatProblem, simplify } from './simplify.js';
import { tournament } from './tournament.js';

export const DEFENDER_AUTHOR = 'defender:offline';
export const TOURNAMENT_SIZE = 3;
export const MAX_ATTEMPTS = 8;

/** How a child is made from its parents; tests may replace it to exercise the failure paths. */
export type Breeder = (operator: DefenderOperator, a: ParentParts, b: ParentParts | null, rng: Parameters<typeof breed>[3]) => Offspring | null;

export interface OfflineDefenderOptions {
  breeder?: Breeder;
}

interface Member extends RatedPolicy {
  parts: ParentParts;
}

type Json = NonNullable<PoliciesProposed['rejected'][number]['raw']>;

function partsOf(policy: PolicyDocument): ParentParts | null {
  try {
    const program = compilePolicy(policy);
    return { score: program.expressions.score.expr, filter: program.expressions.filter.expr, order: program.document.order };
  } catch {
    return null;
  }
}

/** What makes two policies the same program: order, filter and score as printed. */
function programKey(order: OrderSpec, filter: string, score: string): string {
  return JSON.stringify([typeof order === 'string' ? order : [order.key, order.direction], filter, score]);
}

const orderSize = (order: OrderSpec) => (typeof order === 'string' ? 0 : sizeOf(orderKey(order).key));

/** A child's bloat problem, tolerated when the parent was already at least as large. */
function bloat(child: ParentParts, parent: ParentParts): string | null {
  const checks: [Expr, Expr, 'score' | 'filter'][] = [
    [child.score, parent.score, 'score'],
    [child.filter, parent.filter, 'filter'],
  ];
  for (const [c, p, field] of checks) {
    const problem = bloatProblem(c, field);
    if (problem !== null && sizeOf(c) > sizeOf(p)) return problem;
  }
  if (typeof child.order !== 'string') {
    const problem = bloatProblem(orderKey(child.order).key, 'order');
    if (problem !== null && orderSize(child.order) > orderSize(parent.order)) return problem;
  }
  return null;
}

function describeChange(label: string, before: string, after: string): string | null {
  return before === after ? null : `${label}: ${before} ⟶ ${after}`;
}

export function createOfflineDefender(options: OfflineDefenderOptions = {}): DefenderMind {
  return {
    name: DEFENDER_AUTHOR,
    async proposePolicies(req: ProposePolicies): Promise<PoliciesProposed> {
      return proposePolicies(req, options);
    },
  };
}

export function proposePolicies(req: ProposePolicies, options: OfflineDefenderOptions = {}): PoliciesProposed {
  const breeder = options.breeder ?? breed;
  const search = readDefenderSearch(req.search);
  const members: Member[] = withBaselines(req.population)
    .sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0))
    .flatMap((p) => {
      const parts = partsOf(p.policy);
      return parts === null ? [] : [{ ...p, parts }];
    });
  const policies: PoliciesProposed['policies'] = [];
  const rejected: PoliciesProposed['rejected'] = [];
  if (members.length === 0) {
    for (let k = 0; k < req.count; k++) {
      rejected.push({ author: DEFENDER_AUTHOR, reason: 'no parent: no policy of the population compiles', errors: [], raw: null });
    }
    return { policies, rejected };
  }
  const groups = groupByIsland(members, search.islands);
  const seen = new Set(members.map((m) => programKey(m.policy.order, printExpression(m.parts.filter), printExpression(m.parts.score))));
  const migration = isMigration(req.iteration);

  for (let k = 0; k < req.count; k++) {
    const policyId = `p-${req.iteration}-${req.scenarioId}-${k}`;
    const errors: string[] = [];
    let last: PolicyDocument | null = null;
    let made = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !made; attempt++) {
      const rng = rngFor(req.seed, `defender/${k}/${attempt}`);
      const island = chooseIsland(rng, groups);
      const a = tournament(rng, island.members, TOURNAMENT_SIZE);
      const donors = migration || island.members.length < 2 ? members.filter((m) => !island.members.includes(m)) : island.members.filter((m) => m !== a);
      const b = donors.length === 0 ? null : tournament(rng, donors, TOURNAMENT_SIZE);
      const operator = pickByRates(rng, search.rates, b === null ? DEFENDER_OPERATORS.filter((o) => o !== 'crossover') : DEFENDER_OPERATORS) as DefenderOperator;
      const child = breeder(operator, a.parts, operator === 'crossover' ? b!.parts : null, rng);
      if (child === null) {
        errors.push(`attempt ${attempt + 1}: ${operator} does not apply to ${a.policyId}`);
        continue;
      }
      const where = `attempt ${attempt + 1}: ${operator} of ${a.policyId}`;
      let parts: ParentParts;
      let score: string;
      let filter: string;
      try {
        // Check before anything prints or folds the trees: a malformed tree is a compile error too.
        checkExpression(child.score, { field: 'score', expected: 'number', nodeAllowed: true });
        checkExpression(child.filter, { field: 'filter', expected: 'boolean', nodeAllowed: true });
        parts = { score: simplify(child.score), filter: simplify(child.filter), order: child.order };
        score = printExpression(parts.score);
        filter = printExpression(parts.filter);
      } catch (err) {
        errors.push(`${where}: ${(err as Error).message}`);
        continue;
      }
      const problem = bloat(parts, a.parts);
      if (problem !== null) {
        errors.push(`${where}: ${problem}`);
        continue;
      }
      const key = programKey(parts.order, filter, score);
      if (seen.has(key)) {
        errors.push(`${where}: repeats a known policy`);
        continue;
      }
      const parents = operator === 'crossover' ? [a.policyId, b!.policyId] : [a.policyId];
      const changes = [
        describeChange('score', printExpression(a.parts.score), score),
        describeChange('filter', printExpression(a.parts.filter), filter),
        describeChange('order', showOrder(a.policy.order), showOrder(parts.order)),
      ].filter((c): c is string => c !== null);
      const rationale = `${operator} of ${parents.join(' × ')}: ${child.details.join('; ')}. ${changes.join('; ')}`;
      const doc: PolicyDocument = { ...a.policy, name: policyId, explain: rationale.slice(0, 10_000), order: parts.order, filter, score, author: DEFENDER_AUTHOR };
      last = doc;
      try {
        compilePolicy(doc);
      } catch (err) {
        errors.push(`${where}: ${(err as Error).message}`);
        continue;
      }
      seen.add(key);
      policies.push({ policyId, policy: doc, parents, operator, rationale, author: DEFENDER_AUTHOR });
      made = true;
    }
    if (!made) {
      rejected.push({
        author: DEFENDER_AUTHOR,
        reason: `no valid child for ${policyId} after ${MAX_ATTEMPTS} attempts`,
        errors,
        raw: last === null ? null : (last as unknown as Json),
      });
    }
  }
  return { policies, rejected };
}
