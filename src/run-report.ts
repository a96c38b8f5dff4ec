// What a run found, for people and scripts: the champion (formula and explanation) against the run's
// reference baselines, re-evaluated on every scenario the run produced.
import type { EventStore } from '../events/store.js';
import { runStream } from '../events/store.js';
import type { EventOf } from '../events/catalogue.js';
import { compilePolicy } from '../sim/policy/compile.js';
import { simulate } from '../sim/simulate.js';
import { RunConfig } from '../actors/run-config.js';
import { baselines } from '../sim/baselines/index.js';

type PolicyDocument = EventOf<'PolicyProposed'>['data']['policy'];

export interface PolicyStanding {
  policyId: string;
  name: string;
  meanReward: number;
  meanSlaViolationRate: number;
  meanCost: number;
  meanLatency: number;
  failures: number;
}

export interface RunReport {
  runId: string;
  iterations: number;
  scenarios: number;
  events: number;
  champion: (PolicyStanding & { policy: PolicyDocument; rating: number | null }) | null;
  bestBaseline: PolicyStanding | null;
  baselines: PolicyStanding[];
  /** Scenarios on which the champion's reward is at least the best baseline's on that scenario. */
  championWins: number;
  /** (champion − best baseline) / |best baseline|, mean rewards over the run's scenarios. */
  improvement: number | null;
}

function standing(policyId: string, policy: PolicyDocument, scenarios: EventOf<'ScenarioProposed'>['data']['scenario'][]) {
  const compiled = compilePolicy(policy);
  const rewards: number[] = [];
  let sla = 0;
  let cost = 0;
  let latency = 0;
  let failures = 0;
  for (const s of scenarios) {
    const r = simulate(s, compiled);
    rewards.push(r.reward.reward);
    sla += r.metrics.slaViolationRate;
    cost += r.metrics.cost;
    latency += r.metrics.avgLatency;
    if (r.failure) failures += 1;
  }
  const n = Math.max(1, scenarios.length);
  const out: PolicyStanding = {
    policyId,
    name: policy.name,
    meanReward: rewards.reduce((a, b) => a + b, 0) / n,
    meanSlaViolationRate: sla / n,
    meanCost: cost / n,
    meanLatency: latency / n,
    failures,
  };
  return { out, rewards };
}

/** `championSoFar` names the champion of a run that has not completed (stopped): RunCompleted names it otherwise. */
export async function buildRunReport(store: EventStore, runId: string, championSoFar: string | null = null): Promise<RunReport> {
  const events = await store.readStream(runStream(runId), { maxCount: Number.MAX_SAFE_INTEGER });
  const scenarios: EventOf<'ScenarioProposed'>['data']['scenario'][] = [];
  const policies = new Map<string, PolicyDocument>();
  const ratings = new Map<string, number>();
  let config = RunConfig.parse({});
  let iterations = 0;
  let champion: string | null = championSoFar;
  for (const e of events) {
    if (e.type === 'RunStarted') config = RunConfig.parse(e.data.config);
    else if (e.type === 'ScenarioProposed') scenarios.push(e.data.scenario);
    else if (e.type === 'PolicyProposed' || e.type === 'PolicyImported') policies.set(e.data.policyId, e.data.policy);
    else if (e.type === 'RatingChanged') ratings.set(e.data.policyId, e.data.after);
    else if (e.type === 'IterationCompleted') iterations = e.data.iteration;
    else if (e.type === 'RunCompleted') champion = e.data.champion;
  }
  const base = config.referenceBaselines
    .filter((name) => baselines[name] !== undefined)
    .map((name) => standing(`b-${name}`, baselines[name]!, scenarios));
  const best = [...base].sort((a, b) => b.out.meanReward - a.out.meanReward)[0] ?? null;
  let championStanding: RunReport['champion'] = null;
  let wins = 0;
  if (champion !== null && policies.has(champion)) {
    const policy = policies.get(champion)!;
    const c = standing(champion, policy, scenarios);
    championStanding = { ...c.out, policy, rating: ratings.get(champion) ?? null };
    for (let i = 0; i < scenarios.length; i++) {
      const bestHere = Math.max(...base.map((b) => b.rewards[i]!));
      if (c.rewards[i]! >= bestHere) wins += 1;
    }
  }
  const improvement =
    championStanding && best && best.out.meanReward !== 0
      ? (championStanding.meanReward - best.out.meanReward) / Math.abs(best.out.meanReward)
      : null;
  return {
    runId,
    iterations,
    scenarios: scenarios.length,
    events: events.length,
    champion: championStanding,
    bestBaseline: best?.out ?? null,
    baselines: base.map((b) => b.out),
    championWins: wins,
    improvement,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function formatRunReport(r: RunReport, status: string, seconds: number): string {
  const lines = [`run ${r.runId} ${status}: ${r.iterations} iterations, ${r.scenarios} scenarios, ${r.events} events in ${seconds.toFixed(1)} s`];
  if (r.champion) {
    const p = r.champion.policy;
    lines.push('', `champion ${r.champion.policyId} (${p.name}), rating ${r.champion.rating?.toFixed(0) ?? '—'}`);
    lines.push(`  order  ${typeof p.order === 'string' ? p.order : `${p.order.key} ${p.order.direction}`}`);
    lines.push(`  filter ${p.filter}`);
    lines.push(`  score  ${p.score}`);
    if (p.explain) lines.push(`  why    ${p.explain}`);
  }
  lines.push('', 'on every scenario of the run (mean):', '  policy                              reward   SLA viol.   cost      latency s');
  const row = (s: PolicyStanding, mark = '') =>
    `  ${(mark + s.name).padEnd(34)} ${s.meanReward.toFixed(4).padStart(8)}  ${pct(s.meanSlaViolationRate).padStart(9)}  ${s.meanCost.toFixed(3).padStart(8)}  ${s.meanLatency.toFixed(3).padStart(9)}`;
  if (r.champion) lines.push(row(r.champion, '* '));
  for (const b of r.baselines) lines.push(row(b));
  if (r.champion && r.bestBaseline) {
    lines.push(
      '',
      `champion vs best baseline (${r.bestBaseline.name}): ${r.improvement === null ? 'n/a' : (r.improvement >= 0 ? '+' : '') + pct(r.improvement)} mean reward; at least as good on ${r.championWins}/${r.scenarios} scenarios`,
    );
  }
  lines.push(`replay or audit it with run id ${r.runId}`);
  return lines.join('\n');
}
