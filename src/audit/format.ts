// Human output of the audit queries: short sections, one fact per line, numbers rounded for reading
// (--json has them exact).
import { curriculumLevels } from '../../projections/curriculum.js';
import { formatExplanation } from '../commands/simulate.js';
import type { EvaluationAudit } from './evaluation-audit.js';
import type { IterationAudit } from './iteration-audit.js';
import type { LineageNode, PolicyAudit } from './policy-audit.js';
import type { ScenarioAudit } from './scenario-audit.js';

const r4 = (x: number) => x.toFixed(4);
const r1 = (x: number) => x.toFixed(1);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const cut = (text: string, max = 110) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
const levelName = (index: number) => `level ${index} (${curriculumLevels[index]?.name ?? '?'})`;

function lineageLines(node: LineageNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth + 1);
  const head = depth === 0 ? node.policyId : `← ${node.policyId}`;
  if (node.origin === 'unknown') {
    out.push(`${pad}${head}  (not recorded in this run)`);
    return;
  }
  const where = node.iteration === null ? '' : `, iteration ${node.iteration}`;
  const written = node.scenarioId === null ? '' : `, for ${node.scenarioId}`;
  out.push(`${pad}${head}  ${node.operator} by ${node.author}${where}${written}${node.repeated ? '  (shown above)' : ''}`);
  if (!node.repeated && node.rationale) out.push(`${pad}    ${cut(node.rationale)}`);
  for (const p of node.parents) lineageLines(p, depth + 1, out);
}

export function formatPolicyAudit(a: PolicyAudit): string {
  const out: string[] = [`policy ${a.policyId} in run ${a.runId} (position ${a.position})`];
  out.push(`  order  ${a.policy.order ?? '—'}`);
  if (a.policy.filter) out.push(`  filter ${a.policy.filter}`);
  out.push(`  score  ${a.policy.score}`);
  out.push('', `lineage (${a.ancestors} ancestor${a.ancestors === 1 ? '' : 's'}):`);
  lineageLines(a.lineage, 0, out);
  if (a.modelCalls.length > 0) {
    out.push('', 'written by the model calls:');
    for (const c of a.modelCalls) out.push(`  ${c.callId}  ${c.model}, ${c.tokens} tokens${c.error ? `, error: ${cut(c.error, 60)}` : ''}`);
  }
  const s = a.summary;
  out.push('', `evaluations: ${s.evaluations}, solved ${s.solved}, failed ${s.failures}${s.meanReward === null ? '' : `, mean reward ${r4(s.meanReward)}`}`);
  if (a.evaluations.length > 0) {
    out.push('  it  scenario        reward    solved  SLA viol.  avg lat s  p95 lat s  cost     energy kJ  util     evaluation');
    for (const e of a.evaluations) {
      const m = e.metrics;
      out.push(
        `  ${String(e.iteration).padEnd(3)} ${e.scenarioId.padEnd(15)} ${r4(e.reward).padStart(7)}   ${(e.failure ? 'FAILED' : e.solved ? 'yes' : 'no').padEnd(6)}  ${pct(m.slaViolationRate).padStart(8)}  ${r1(m.avgLatency).padStart(9)}  ${r1(m.p95Latency).padStart(9)}  ${r4(m.cost).padStart(7)}  ${(m.energy / 1000).toFixed(1).padStart(9)}  ${pct(m.utilisation).padStart(7)}  ${e.evaluationId}`,
      );
      if (e.failure) out.push(`      ${cut(e.failure)}`);
    }
  }
  out.push('');
  if (a.standing === null) out.push('rating: never rated');
  else {
    const st = a.standing;
    out.push(`rating ${r1(st.rating)}: rank ${st.rank} of ${st.of}, ${st.played} matches (${st.wins} won, ${st.draws} drawn, ${st.losses} lost)`);
    out.push('  by round, one per scenario: its reward and place among the policies evaluated there, its games against them (--json names the opponents):');
    out.push('  it   scenario        reward    place  won  drawn  lost   rating before → after');
    for (const r of a.ratings) {
      const place = r.place === null || r.players === null ? '—' : `${r.place}/${r.players}`;
      out.push(
        `  ${String(r.iteration).padEnd(4)} ${(r.scenarioId ?? '—').padEnd(15)} ${(r.reward === null ? '—' : r4(r.reward)).padStart(7)}  ${place.padStart(6)}  ${String(r.beat.length).padStart(3)}  ${String(r.drew.length).padStart(5)}  ${String(r.lostTo.length).padStart(4)}   ${r1(r.before).padStart(6)} → ${r1(r.after).padStart(6)} (${signed(r.after - r.before)})`,
      );
      if (r.lostTo.length > 0) out.push(`       lost to ${cut(r.lostTo.join(', '), 100)}`);
    }
  }
  return out.join('\n');
}

/** Generator parameters as `key=value` pairs, nested keys joined by dots, wrapped to lines. */
function flatParams(value: unknown, prefix = '', out: string[] = []): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value).sort()) flatParams((value as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`, out);
  } else out.push(`${prefix}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return out;
}

function wrap(items: string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && line.length + 1 + item.length > width) {
      lines.push(indent + line);
      line = item;
    } else line = line === '' ? item : `${line} ${item}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

export function formatScenarioAudit(a: ScenarioAudit): string {
  const s = a.shape;
  const out: string[] = [`scenario ${a.scenarioId} in run ${a.runId} (position ${a.position}, iteration ${a.iteration})`];
  out.push(`  ${s.domain} level ${a.level}: ${s.nodes} nodes, ${s.tasks} tasks, ${s.failures} failures, ${s.congestion} congestion windows, ${s.priceChanges} price changes`);
  if (s.description) out.push(`  ${cut(s.description)}`);
  out.push('', `made by ${a.author}:`);
  out.push(`  ${a.rationale}`);
  const g = a.generator as Record<string, unknown> | null;
  if (g !== null && typeof g === 'object' && !Array.isArray(g)) {
    const { params, ...rest } = g;
    out.push(`  generator: ${Object.keys(rest).sort().map((k) => `${k} ${JSON.stringify(rest[k])}`).join(', ')}`);
    if (params !== undefined) {
      out.push('  parameters:');
      out.push(...wrap(flatParams(params), 108, '    '));
    }
  } else out.push('  generator: none (written whole)');
  if (a.modelCalls.length > 0) for (const c of a.modelCalls) out.push(`  model call ${c.callId}: ${c.model}, ${c.tokens} tokens${c.error ? `, error: ${cut(c.error, 60)}` : ''}`);
  out.push('');
  if (a.attackerRewards.length === 0) out.push('attacker reward: none recorded');
  for (const r of a.attackerRewards) {
    out.push(
      `attacker reward ${r4(r.reward)} (iteration ${r.iteration}): solve rate ${r.solveRate.toFixed(2)}, learnability ${r4(r.learnability)}, novelty ${r4(r.novelty)}, closeness ${r4(r.closeness)}`,
    );
  }
  out.push('', `results (${a.results.length}, best first):`);
  out.push('  policy                                       reward    solved  SLA viol.  avg lat s  cost     dropped');
  for (const r of a.results) {
    const name = `${r.policyId}${r.baseline ? ' (baseline)' : ''}`;
    out.push(
      `  ${name.padEnd(44)} ${r4(r.reward).padStart(7)}   ${(r.failure ? 'FAILED' : r.solved ? 'yes' : 'no').padEnd(6)}  ${pct(r.metrics.slaViolationRate).padStart(8)}  ${r1(r.metrics.avgLatency).padStart(9)}  ${r4(r.metrics.cost).padStart(7)}  ${String(r.metrics.dropped).padStart(7)}`,
    );
  }
  out.push('', `Pareto front (${a.paretoFront.length} polic${a.paretoFront.length === 1 ? 'y' : 'ies'}, hypervolume ${r4(a.hypervolume)}):`);
  for (const p of a.paretoFront) {
    out.push(`  ${p.policyId.padEnd(38)} ${Object.entries(p.scores).map(([k, v]) => `${k} ${v.toFixed(3)}`).join('  ')}`);
  }
  return out.join('\n');
}

export function formatEvaluationAudit(a: EvaluationAudit): string {
  const t = a.task;
  const out: string[] = [`evaluation ${a.evaluationId} in run ${a.runId} (position ${a.position}, iteration ${a.iteration}): ${a.policyId} on ${a.scenarioId}`];
  const work = t.length !== undefined ? `${t.length} MI per core` : `${t.duration} s`;
  out.push(
    `task ${t.id}: arrives t=${t.arrival}, ${t.cores} cores, ${t.memory} GB, ${work}, priority ${t.priority}${t.sla === undefined ? '' : `, SLA ${t.sla} s`}${t.deps.length > 0 ? `, after ${t.deps.join(', ')}` : ''}`,
  );
  out.push('');
  if (a.explanation === null) out.push(`no placement decision placed ${t.id}`);
  else out.push(formatExplanation(a.explanation, a.policyId));
  const o = a.outcome;
  out.push('');
  out.push(
    `outcome: ${o.outcome}${o.node === null ? '' : ` on ${o.node}`}; placed ${o.placedAt ?? '—'}, started ${o.start ?? '—'}, finished ${o.finish ?? '—'}${o.attempts > 0 ? `; killed ${o.attempts} time(s) by node failures` : ''}`,
  );
  if (o.finish !== null && t.sla !== undefined) {
    const latency = o.finish - t.arrival;
    out.push(`latency ${latency.toFixed(3)} s against an SLA of ${t.sla} s: ${latency <= t.sla ? 'met' : 'violated'}`);
  }
  if (a.failure) out.push(`the policy faulted: ${a.failure}`);
  out.push(
    a.check.same
      ? `re-derived from the recorded scenario and policy: reward ${r4(a.check.rederivedReward)}, as recorded`
      : `WARNING: the re-run gives reward ${a.check.rederivedReward}, the run recorded ${a.check.recordedReward} (the simulator changed since?)`,
  );
  return out.join('\n');
}

export function formatIterationAudit(a: IterationAudit): string {
  const out: string[] = [`iteration ${a.iteration} of run ${a.runId}: ${a.events} events (positions ${a.positions.first}–${a.positions.last})`];
  if (a.started) out.push(`  run started: seed ${a.started.seed}, ${a.started.mind} minds, ${a.started.codeVersion}`);
  if (a.llmCalls.calls > 0) out.push(`  model calls: ${a.llmCalls.calls} (${a.llmCalls.tokens} tokens, ${a.llmCalls.errors} errors)`);
  if (a.scenarios.length > 0 || a.scenarioRejections.length > 0) {
    out.push('', `scenarios (${a.scenarios.length} proposed, ${a.scenarioRejections.length} rejected):`);
    for (const s of a.scenarios) {
      out.push(`  ${s.scenarioId.padEnd(10)} ${s.domain} level ${s.level}, ${s.nodes} nodes, ${s.tasks} tasks, by ${s.author}`);
      out.push(`             ${cut(s.rationale, 100)}`);
    }
    for (const r of a.scenarioRejections) out.push(`  rejected (${r.author}): ${cut(r.reason, 90)}`);
  }
  if (a.candidates.length > 0 || a.policyRejections.length > 0) {
    out.push('', `policies (${a.candidates.length} proposed, ${a.policyRejections.length} rejected):`);
    for (const c of a.candidates) {
      out.push(`  ${c.policyId.padEnd(16)} ${c.operator}${c.parents.length ? ` of ${c.parents.join(' × ')}` : ''}${c.scenarioId ? `, for ${c.scenarioId}` : ''}, by ${c.author}`);
    }
    for (const r of a.policyRejections) out.push(`  rejected (${r.author}): ${cut(r.reason, 90)}`);
  }
  if (a.evaluations.count > 0) {
    out.push('', `evaluations: ${a.evaluations.count} (${a.evaluations.failures} failed)`);
    for (const s of a.evaluations.perScenario) {
      const best = s.best === null ? '—' : `${s.best.policyId} ${r4(s.best.reward)}`;
      const baseline = s.bestBaseline === null ? '—' : `${s.bestBaseline.policyId} ${r4(s.bestBaseline.reward)}`;
      out.push(`  ${s.scenarioId.padEnd(10)} ${String(s.evaluations).padStart(3)} evaluations; best ${best}; best baseline ${baseline}; defender solved ${s.solved}/${s.defender}`);
    }
  }
  if (a.matches.count > 0) {
    out.push('', `matches: ${a.matches.count} games in ${a.matches.rounds} rounds, one per scenario (${a.matches.draws} drawn)`);
    const move = (m: IterationAudit['ratingMovers']['up'][number]) =>
      `  ${m.policyId.padEnd(16)} ${r1(m.before)} → ${r1(m.after)} (${signed(m.change)} over ${m.matches} matches)`;
    if (a.ratingMovers.up.length > 0) out.push('rating rises:', ...a.ratingMovers.up.map(move));
    if (a.ratingMovers.down.length > 0) out.push('rating falls:', ...a.ratingMovers.down.map(move));
  }
  if (a.attackerRewards.length > 0) {
    out.push('', 'attacker rewards:');
    for (const r of a.attackerRewards) {
      out.push(`  ${r.scenarioId.padEnd(10)} ${r4(r.reward)}  (solve rate ${r.solveRate.toFixed(2)}, learnability ${r4(r.learnability)}, novelty ${r4(r.novelty)}, closeness ${r4(r.closeness)})`);
    }
  }
  if (a.curriculum) {
    const c = a.curriculum;
    out.push('', `curriculum: ${levelName(c.from)} → ${levelName(c.to)} (success rate ${c.successRate.toFixed(2)} over the last ${c.window} scenarios)`);
  } else if (a.completed) out.push('', `curriculum: stays at ${levelName(a.completed.level)}`);
  for (const o of a.operatorsEvolved) {
    out.push('', `evolver: ${o.role} search settings changed`);
    out.push(`  before ${cut(JSON.stringify(o.before), 150)}`);
    out.push(`  after  ${cut(JSON.stringify(o.after), 150)}`);
  }
  for (const p of a.promptsEvolved) out.push('', `prompt evolved: ${p.role} ${p.variantId}${p.parentId ? ` from ${p.parentId}` : ''}${p.score === null ? '' : `, score ${r4(p.score)}`}`);
  if (a.completed) {
    const c = a.completed;
    out.push('', `completed: ${c.evaluations} evaluations, best reward ${r4(c.bestReward)}, leader ${c.leader ?? '—'}${c.leaderRating === null ? '' : ` (${r1(c.leaderRating)})`}`);
  }
  if (a.stopped) out.push('', `run stopped after iteration ${a.stopped.iteration}: ${a.stopped.reason} (${a.stopped.detail})`);
  if (a.runCompleted) out.push('', `run completed: ${a.runCompleted.iterations} iterations, champion ${a.runCompleted.champion ?? '—'}`);
  return out.join('\n');
}
