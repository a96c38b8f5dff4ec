// A synthetic but realistic run, as events: each iteration the attacker proposes scenarios at the current
// curriculum level, the defender proposes candidates for each, the simulator evaluates candidates,
// baselines and the current leaders, matches are played and ratings recorded (as the ELO fold computes
// them), the attacker is rewarded, the curriculum advances when the curriculum fold says so, and the
// iteration completes. Everything comes from one seeded stream, so the same options give the same events.
// Used by the projection tests and by the projections benchmark.
import { eventSchemas, type AuroraEvent, type EventData, type EventOf, type EventType } from '../../events/catalogue.js';
import { rngFor, type Rng } from '../../sim/random.js';
import { curriculumLevels, curriculumProjection, shouldAdvance, type CurriculumState } from '../../projections/curriculum.js';
import { eloProjection, type EloState } from '../../projections/elo.js';
import { roundOutcomes } from '../../projections/match-round.js';
import { getEntry } from '../../projections/fold.js';

export interface SyntheticRunOptions {
  runId: string;
  seed?: number;
  iterations: number;
  scenariosPerIteration?: number;
  candidatesPerScenario?: number;
  /** Leaders (by rating) re-evaluated and matched on every new scenario. */
  leaders?: number;
  /** Tasks per scenario are the level's, capped here (keeps events small). */
  maxTasks?: number;
  config?: EventData<'RunStarted'>['config'];
  /** How the run ends: completed (default), stopped, or open (no final event). */
  end?: 'completed' | 'stopped' | 'open';
}

const domains = ['cloud', 'edge', 'network', 'hybrid'] as const;
const baselineIds = ['baseline:best-fit', 'baseline:first-fit', 'baseline:round-robin'];

function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function scenarioDoc(rng: Rng, id: string, level: number, maxTasks: number, domain: (typeof domains)[number]) {
  const spec = curriculumLevels[level]!;
  const nodes = Math.min(spec.nodes, 12);
  const tasks = Math.min(spec.tasks, maxTasks);
  let t = 0;
  return {
    id,
    domain,
    level: spec.difficulty,
    seed: rng.int(0, 1_000_000),
    nodes: Array.from({ length: nodes }, (_, i) => ({
      id: `n${i}`,
      cores: rng.int(2, 16),
      mips: 500 + rng.int(0, 20) * 100,
      memory: rng.int(0, 1) * rng.int(8, 64),
      pricePerHour: round(rng.float() * 2, 3),
    })),
    tasks: Array.from({ length: tasks }, (_, i) => {
      t += round(rng.float() * rng.float() * 4, 3);
      const task: Record<string, unknown> = { id: `t${i}`, arrival: t, cores: rng.int(1, 4) };
      if (rng.float() < 0.5) task.duration = round(0.5 + rng.float() * 10, 3);
      else task.length = rng.int(1000, 20_000);
      if (rng.float() < 0.6) task.sla = round(2 + rng.float() * 30, 3);
      if (rng.float() < 0.4) task.memory = rng.int(1, 8);
      if (i > 0 && rng.float() < 0.2) task.deps = [`t${rng.int(0, i - 1)}`];
      return task;
    }),
    environment: {
      failures: rng.float() < 0.3 ? [{ node: 'n0', at: round(rng.float() * t, 3) }] : [],
      congestion: rng.float() < 0.3 ? [{ target: 'default', from: 0, until: round(1 + rng.float() * 10, 3), factor: 0.5 }] : [],
      prices: rng.float() < 0.3 ? [{ at: round(rng.float() * t, 3), multiplier: round(0.5 + rng.float() * 2, 3) }] : [],
    },
  };
}

function metricsFor(rng: Rng, tasks: number, quality: number) {
  const dropped = quality > 0.6 ? 0 : rng.int(0, Math.max(0, Math.floor(tasks / 5)));
  const violations = Math.round((1 - quality) * rng.float() * (tasks - dropped));
  return {
    tasks,
    completed: tasks - dropped,
    dropped,
    avgLatency: round(1 + (1 - quality) * 10 * rng.float()),
    p95Latency: round(2 + (1 - quality) * 20 * rng.float()),
    slaViolations: violations,
    slaViolationRate: tasks === 0 ? 0 : round(violations / tasks),
    utilisation: round(0.2 + 0.7 * rng.float()),
    cost: round(rng.float() * 50),
    energy: round(rng.float() * 1e5),
    nodesUsed: rng.int(1, 12),
    killed: rng.int(0, 2),
    makespan: round(10 + rng.float() * 100),
    events: tasks * 4,
  };
}

/** The events of one synthetic run, in the order a controller would append them. */
export function* syntheticRun(options: SyntheticRunOptions): Generator<AuroraEvent> {
  const { runId, iterations } = options;
  const rng = rngFor(options.seed ?? 1, `synthetic-run:${runId}`);
  const perIteration = options.scenariosPerIteration ?? 5;
  const candidates = options.candidatesPerScenario ?? 3;
  const leaderCount = options.leaders ?? 5;
  const maxTasks = options.maxTasks ?? 30;
  let n = 0;
  let elo: EloState = eloProjection.initialState();
  let curriculum: CurriculumState = curriculumProjection.initialState();
  const quality = new Map<string, number>();
  let leaders: string[] = [];
  let policyCount = 0;

  let iteration = 0;
  const make = <T extends EventType>(type: T, data: EventData<T>, causationId: string | null = null): EventOf<T> => {
    const event = {
      type,
      data,
      metadata: { runId, iteration, eventId: `${runId}-${++n}`, causationId, correlationId: `${runId}-it${iteration}`, schemaVersion: eventSchemas[type].version },
    } as unknown as EventOf<T>;
    elo = eloProjection.evolve(elo, event);
    curriculum = curriculumProjection.evolve(curriculum, event);
    return event;
  };
  const rating = (id: string) => getEntry(getEntry(elo.runs, runId)?.players ?? {}, id)?.rating ?? 1500;

  yield make('RunStarted', { runId, seed: options.seed ?? 1, config: options.config ?? { iterations }, codeVersion: 'synthetic', mind: 'offline' });
  for (const id of baselineIds) {
    quality.set(id, 0.4 + rng.float() * 0.2);
    yield make('PolicyProposed', {
      policyId: id,
      policy: { name: id, score: 'free_cores' },
      parents: [],
      operator: 'baseline',
      author: 'baseline',
      rationale: 'shipped heuristic',
      scenarioId: null,
    } as unknown as EventData<'PolicyProposed'>);
  }
  quality.set('imported:1', 0.55);
  yield make('PolicyImported', {
    policyId: 'imported:1',
    policy: { name: 'imported', score: '-price' },
    source: { run: 'earlier', policyId: 'p-7' },
    rating: 1600,
  } as unknown as EventData<'PolicyImported'>);
  leaders = ['imported:1'];

  for (iteration = 1; iteration <= iterations; iteration++) {
    // As a controller records an iteration (actors/iteration-outcome.ts): scenarios, then every candidate,
    // then every candidate, incumbent and baseline evaluated on every scenario, one round per scenario
    // with each player's rating, the attacker's rewards, the curriculum, IterationCompleted.
    const level = getEntry(curriculum.runs, runId)?.level ?? 0;
    const tasks = Math.min(curriculumLevels[level]!.tasks, maxTasks);
    let bestReward = -Infinity;
    let evaluations = 0;
    const scenarios: { scenarioId: string; hardness: number }[] = [];
    for (let s = 0; s < perIteration; s++) {
      const scenarioId = `s${iteration}-${s}`;
      const domain = domains[(iteration + s) % domains.length]!;
      const scenario = scenarioDoc(rng, scenarioId, level, maxTasks, domain);
      yield make('ScenarioProposed', {
        scenarioId,
        scenario,
        level: curriculumLevels[level]!.difficulty,
        generator: { kind: 'synthetic', seed: scenario.seed },
        author: 'attacker:offline',
        rationale: 'more bursts',
      } as unknown as EventData<'ScenarioProposed'>);
      scenarios.push({ scenarioId, hardness: level * 0.08 + rng.float() * 0.25 });
      if (rng.float() < 0.05) {
        yield make('ScenarioRejected', { scenarioId: null, author: 'attacker:offline', reason: 'invalid', errors: ['tasks[0].cores: too small'], raw: null });
      }
    }
    const entrants: string[] = [];
    for (const { scenarioId } of scenarios) {
      for (let c = 0; c < candidates; c++) {
        const policyId = `p${++policyCount}`;
        const parents = leaders.slice(0, 1 + (c % 2));
        const parentQuality = Math.max(...parents.map((p) => quality.get(p) ?? 0.5));
        quality.set(policyId, Math.min(0.99, Math.max(0.05, parentQuality + (rng.float() - 0.4) * 0.1)));
        yield make('PolicyProposed', {
          policyId,
          policy: { name: policyId, score: `free_cores * ${round(rng.float(), 3)} - price` },
          parents,
          operator: parents.length > 1 ? 'crossover' : 'mutate:weights',
          author: 'defender:offline',
          rationale: 'tune weights',
          scenarioId,
        } as unknown as EventData<'PolicyProposed'>);
        entrants.push(policyId);
      }
      if (rng.float() < 0.03) {
        yield make('PolicyRejected', { policyId: null, author: 'defender:offline', reason: 'parse error', errors: ['score: unexpected )'], raw: null });
      }
    }
    const evaluated = [...new Set([...baselineIds, ...leaders, ...entrants])].sort();
    const rewardsOf = new Map<string, Map<string, number>>();
    const solveRates = new Map<string, number>();
    for (const { scenarioId, hardness } of scenarios) {
      const rewards = new Map<string, number>();
      for (const policyId of evaluated) {
        rewards.set(policyId, round(Math.max(0, (quality.get(policyId) ?? 0.5) - hardness + (rng.float() - 0.5) * 0.1)));
      }
      rewardsOf.set(scenarioId, rewards);
      const bestBaseline = Math.max(...baselineIds.map((b) => rewards.get(b)!));
      let solvedCount = 0;
      let defenders = 0;
      for (const policyId of evaluated) {
        const reward = rewards.get(policyId)!;
        const m = metricsFor(rng, tasks, reward);
        const solved = reward >= bestBaseline && m.slaViolationRate <= 0.2;
        if (!baselineIds.includes(policyId)) {
          defenders++;
          if (solved) solvedCount++;
          bestReward = Math.max(bestReward, reward);
        }
        evaluations++;
        yield make('EvaluationCompleted', {
          evaluationId: `${policyId}@${scenarioId}`,
          policyId,
          scenarioId,
          metrics: m,
          scores: {
            latency: round(Math.min(1, reward + rng.float() * 0.3)),
            cost: round(rng.float()),
            energy: round(rng.float()),
            qos: round(1 - m.slaViolationRate),
            utilisation: m.utilisation,
          },
          reward,
          solved,
          failure: null,
        });
      }
      solveRates.set(scenarioId, defenders === 0 ? 0 : solvedCount / defenders);
    }
    // One round per scenario between every evaluated policy, then each player's rating over it.
    for (const { scenarioId } of scenarios) {
      const rewards = rewardsOf.get(scenarioId)!;
      const players = evaluated;
      const matchId = `m${iteration}-${scenarioId}`;
      const before = players.map(rating);
      const outcomes = roundOutcomes(players, (a, b) => {
        const ra = rewards.get(a)!;
        const rb = rewards.get(b)!;
        return ra > rb ? 1 : ra < rb ? 0 : 0.5;
      });
      const match = make('MatchPlayed', { matchId, scenarioId, players, rewards: players.map((p) => rewards.get(p)!), outcomes });
      yield match;
      for (let i = 0; i < players.length; i++) {
        yield make('RatingChanged', { policyId: players[i]!, matchId, before: before[i]!, after: rating(players[i]!) }, match.metadata.eventId);
      }
    }
    for (const { scenarioId } of scenarios) {
      const p = solveRates.get(scenarioId)!;
      const learnability = p > 0 && p < 1 ? 1 - p : 0;
      const noveltyScore = round(rng.float());
      yield make('AttackerRewarded', {
        scenarioId,
        solveRate: p,
        learnability,
        novelty: noveltyScore,
        closeness: 1,
        reward: round(learnability + 0.2 * noveltyScore),
      });
    }
    // Leaders (incumbents): the best rated non-baseline policies.
    leaders = evaluated
      .filter((id) => !baselineIds.includes(id))
      .sort((x, y) => rating(y) - rating(x) || (x < y ? -1 : 1))
      .slice(0, leaderCount);
    if (iteration % 10 === 0) {
      yield make('LlmCalled', {
        callId: `llm-${iteration}`,
        role: 'defender',
        model: 'local',
        parameters: { temperature: 0.7 },
        prompt: [{ role: 'user', content: 'write a policy' }],
        answer: '{"name":"x","score":"1"}',
        error: null,
        usage: { prompt: 100, completion: 20, total: 120 },
        cost: 0.001,
        latencyMs: 5,
      });
      yield make('PromptEvolved', { role: 'defender', variantId: `v${iteration}`, parentId: null, prompt: 'be brief', score: 0.5, kept: [`v${iteration}`] });
    }
    const decision = shouldAdvance(curriculum, runId);
    if (decision.advance) {
      yield make('CurriculumAdvanced', { from: decision.from, to: decision.to, successRate: decision.successRate, window: decision.window });
    }
    const leader = leaders[0] ?? null;
    yield make('IterationCompleted', {
      iteration,
      level: getEntry(curriculum.runs, runId)?.level ?? 0,
      evaluations,
      bestReward: Number.isFinite(bestReward) ? bestReward : 0,
      leader,
      leaderRating: leader === null ? null : rating(leader),
    });
  }
  iteration = iterations;
  if (options.end === 'stopped') yield make('RunStopped', { iteration, reason: 'interrupted', detail: 'Ctrl-C' });
  else if (options.end !== 'open') yield make('RunCompleted', { iterations, champion: leaders[0] ?? null, summary: { leaders } });
}
