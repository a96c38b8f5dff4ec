// The offline attacker: an evolutionary search over the generator's parameter space for scenarios the
// defender solves sometimes but not always. Per request (everything it needs is in the request):
// 1. start from an elite of the search state, chosen by a tournament on attacker reward (or from the
//    level's defaults: when there is none, and with probability EXPLORE to keep exploring);
// 2. apply one or two operators drawn by the state's rates, within the state's search ranges;
// 3. force the curriculum's domain, level and sizes; generate with a seed derived from the request's;
// 4. check it is solvable (solvability.ts); an unsolvable one is rejected with its reason and
//    replaced, first by relaxing it (at most twice), then by a fresh proposal from the level defaults,
//    within a bounded number of attempts;
// 5. with incumbents in the context, generate spares and keep the candidates the incumbents solve
//    sometimes but not always (prescreen.ts).
// Ids are `s-<iteration>-<k>`, k from 0 in the order chosen.
import type { ProposeScenarios, ScenariosProposed } from '../../protocol.js';
import { baselines } from '../../../sim/baselines/index.js';
import { hashName, rngFor, type Rng } from '../../../sim/random.js';
import type { Scenario } from '../../../sim/scenario.js';
import { validateScenario } from '../../../sim/validate.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../sim/workload/generate.js';
import { parseParams, type GeneratorParams } from '../../../sim/workload/params.js';
import type { AttackerMind } from '../ports.js';
import { baselinePolicyId } from '../baseline-ids.js';
import { pickByRates } from '../rates.js';
import { readAttackerContext } from './context.js';
import { fitToLevel, sizesFor } from './level-fit.js';
import { mutateParams, operatorsFor } from './mutate.js';
import { oversampling, prescreen, prescreenIncumbents, prescreenRank, type Prescreen } from './prescreen.js';
import { rationale } from './rationale.js';
import { readAttackerSearch, type AttackerElite } from './search.js';
import { checkSolvable, type Solvability, type Witness } from './solvability.js';

export const ATTACKER_AUTHOR = 'attacker:offline';

/** Chance of starting from the level defaults even when there are elites. */
export const EXPLORE = 0.15;
/** Relaxations of an unsolvable proposal before starting afresh. */
export const MAX_RELAXATIONS = 2;
/** Attempts allowed beyond the candidates wanted, per scenario asked for. */
export const SPARE_ATTEMPTS = 3;

type Json = NonNullable<ScenariosProposed['rejected'][number]['raw']>;
/** Plain data (numbers, strings, arrays, objects) as the protocol's JSON type. */
const asJson = (x: object): Json => x as Json;

interface Elite {
  scenarioId: string;
  reward: number;
  params: GeneratorParams;
}

interface Draft {
  params: GeneratorParams;
  operators: string[];
  changes: string[];
  parent: Elite | null;
  relaxations: number;
}

interface Candidate extends Draft {
  attempt: number;
  seed: number;
  scenario: Scenario;
  solvability: Solvability;
  screen: Prescreen;
}

/** Elites of the domain, those of the requested level only when there are any (a new level starts from the old). */
function usableElites(elites: readonly AttackerElite[], domain: string, level: number): Elite[] {
  const sameLevel = elites.some((e) => e.domain === domain && e.level === level);
  return elites.flatMap((e) => {
    if (e.domain !== domain || (sameLevel && e.level !== level)) return [];
    try {
      return [{ scenarioId: e.scenarioId, reward: e.reward, params: parseParams(e.params) }];
    } catch {
      return [];
    }
  });
}

/** Tournament of two on attacker reward (ties: the lower scenario id). */
function pickElite(rng: Rng, elites: readonly Elite[], except?: Elite): Elite | null {
  const pool = elites.filter((e) => e !== except);
  if (pool.length === 0) return null;
  const a = pool[rng.int(0, pool.length - 1)]!;
  const b = pool[rng.int(0, pool.length - 1)]!;
  if (a.reward !== b.reward) return a.reward > b.reward ? a : b;
  return a.scenarioId <= b.scenarioId ? a : b;
}

export function createOfflineAttacker(): AttackerMind {
  return {
    name: ATTACKER_AUTHOR,
    async proposeScenarios(req: ProposeScenarios): Promise<ScenariosProposed> {
      return proposeScenarios(req);
    },
  };
}

export function proposeScenarios(req: ProposeScenarios): ScenariosProposed {
  const search = readAttackerSearch(req.search);
  const context = readAttackerContext(req.context);
  const tau = context.slaTolerance;
  const sizes = sizesFor(req.level, context);
  const defaults = fitToLevel(defaultParams(req.domain, req.level), req.domain, req.level, sizes);
  const elites = usableElites(search.elites, req.domain, req.level);
  const references: Witness[] = context.referenceBaselines.flatMap((name) =>
    Object.prototype.hasOwnProperty.call(baselines, name) ? [{ policyId: baselinePolicyId(name), policy: baselines[name]! }] : [],
  );
  const referenceIds = new Set(references.map((w) => w.policyId));
  const witnesses: Witness[] = [...references, ...context.incumbents.filter((w) => !referenceIds.has(w.policyId))];
  const screeners = context.incumbents.slice(0, prescreenIncumbents(req.level));
  const wanted = screeners.length > 0 ? Math.ceil(req.count * oversampling(req.level)) : req.count;
  const attempts = wanted + SPARE_ATTEMPTS * req.count;
  const ops = operatorsFor(req.domain);

  const pool: Candidate[] = [];
  const rejected: ScenariosProposed['rejected'] = [];
  let carry: Draft | null = null;

  for (let attempt = 0; attempt < attempts && pool.length < wanted; attempt++) {
    const rng = rngFor(req.seed, `attacker/attempt/${attempt}`);
    let draft: Draft;
    if (carry !== null && carry.relaxations < MAX_RELAXATIONS) {
      const m = mutateParams('relax', carry.params, { rng, domain: req.domain, ranges: search.ranges, other: null });
      draft = { ...carry, params: m.params, operators: [...carry.operators, 'relax'], changes: [...carry.changes, ...m.changes], relaxations: carry.relaxations + 1 };
    } else {
      const explore = rng.float() < EXPLORE;
      // A carry here stayed unsolvable through its relaxations: start afresh from the defaults.
      const parent = elites.length === 0 || explore || carry !== null ? null : pickElite(rng, elites);
      let params = parent?.params ?? defaults;
      const operators: string[] = [];
      const changes: string[] = [];
      const count = rng.float() < 0.4 ? 2 : 1;
      for (let i = 0; i < count; i++) {
        const other = parent === null ? null : pickElite(rng, elites, parent);
        const op = pickByRates(rng, search.rates, other === null ? ops.filter((o) => o !== 'crossover') : ops) as (typeof ops)[number];
        const m = mutateParams(op, params, { rng, domain: req.domain, ranges: search.ranges, other: other?.params ?? null });
        params = m.params;
        operators.push(op);
        changes.push(...m.changes);
      }
      draft = { params, operators, changes, parent, relaxations: 0 };
    }
    carry = null;

    const raw = (params: unknown, seed: number | null) => asJson({ params, seed, operators: draft.operators, parent: draft.parent?.scenarioId ?? null });
    let params: GeneratorParams;
    try {
      params = fitToLevel(draft.params, req.domain, req.level, sizes);
    } catch (err) {
      rejected.push({ author: ATTACKER_AUTHOR, reason: 'invalid generator parameters', errors: [(err as Error).message], raw: raw(draft.params, null) });
      continue;
    }
    const seed = hashName(req.seed, `scenario/${attempt}`);
    let scenario: Scenario;
    try {
      const checked = validateScenario(generateFromParams(params, seed));
      if (!checked.ok) throw new Error(checked.errors.join('; '));
      scenario = checked.scenario;
    } catch (err) {
      rejected.push({ author: ATTACKER_AUTHOR, reason: 'the generator could not build a valid scenario', errors: [(err as Error).message], raw: raw(params, seed) });
      continue;
    }
    const solvability = checkSolvable(scenario, witnesses, tau, screeners.length > 0);
    if (!solvability.solvable) {
      rejected.push({
        author: ATTACKER_AUTHOR,
        reason: solvability.reason,
        errors: solvability.trials.map((t) => `${t.policyId}: SLA violations ${(100 * t.slaViolationRate).toFixed(1)} %${t.failure === null ? '' : `, fault: ${t.failure}`}`),
        raw: raw(params, seed),
      });
      carry = { ...draft, params };
      continue;
    }
    const referenceTrials = solvability.trials.filter((t) => referenceIds.has(t.policyId));
    const screen = prescreen(scenario, screeners, referenceTrials, tau);
    pool.push({ ...draft, params, attempt, seed, scenario, solvability, screen });
  }

  const chosen = [...pool].sort((a, b) => prescreenRank(a.screen, b.screen) || a.attempt - b.attempt).slice(0, req.count);
  const scenarios = chosen.map((c, k) => {
    const scenarioId = `s-${req.iteration}-${k}`;
    return {
      scenarioId,
      scenario: { ...c.scenario, id: scenarioId },
      generator: asJson({ params: c.params, seed: c.seed, operators: c.operators, parent: c.parent?.scenarioId ?? null }),
      rationale: rationale({
        parent: c.parent,
        operators: c.operators,
        changes: c.changes,
        params: c.params,
        defaults,
        solvability: c.solvability,
        prescreen: c.screen,
      }),
      author: ATTACKER_AUTHOR,
    };
  });
  return { scenarios, rejected };
}
