// The evaluation reports as text for the terminal, Markdown and JSON for files, and SVG figures.
// Every number is printed from the report object, so the four renderings always agree.
import type { BinpackSuiteReport } from './binpack-suite-eval.js';
import { METRIC_INFO, METRICS, TARGET_GAIN, type MetricName, type ScenarioSuiteReport } from './scenario-suite-eval.js';
import type { Interval } from './stats.js';
import { panelsSvg, type Bar, type Panel } from './svg.js';
import type { TransferReport } from './transfer-eval.js';

export type EvalReport = BinpackSuiteReport | ScenarioSuiteReport | TransferReport;

type Align = 'left' | 'right';

/** Aligned plain-text table: first column left, the rest right. */
export function textTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

export function markdownTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = rows[0]!;
  const rule = head.map((_, i) => ((align[i] ?? (i === 0 ? 'left' : 'right')) === 'left' ? ':---' : '---:'));
  return [head, rule, ...rows.slice(1)].map((r) => `| ${r.map(esc).join(' | ')} |`);
}

const pct = (x: number | null, digits = 2) => (x === null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(digits)}%`);

function intervalText(iv: Interval | null, scale: number, digits: number): string {
  if (iv === null || !Number.isFinite(iv.mean)) return 'n/a';
  const m = (iv.mean * scale).toFixed(digits);
  return iv.halfWidth === null ? m : `${m} ± ${(iv.halfWidth * scale).toFixed(digits)}`;
}

// ---- bin packing -------------------------------------------------------------------------------------

function binpackTables(r: BinpackSuiteReport): { funsearch: string[][]; excess: string[][]; bins: string[][] } {
  const head = ['', ...r.sets.map((s) => s.name)];
  const funsearch = [head, ...r.funSearchTable.map((row) => [row.label, ...row.values.map((v) => pct(v))])];
  const cell = (row: BinpackSuiteReport['policies'][number], f: (c: BinpackSuiteReport['policies'][number]['cells'][number]) => string) =>
    row.error !== null ? r.sets.map(() => 'n/a') : row.cells.map((c) => (c.error !== null ? 'fault' : f(c)));
  const excess = [['policy', ...r.sets.map((s) => s.name)], ...r.policies.map((p) => [p.label, ...cell(p, (c) => pct(c.excessPercent))])];
  const bins = [
    ['policy', ...r.sets.map((s) => s.name)],
    ['L1 bound', ...r.sets.map((s) => s.meanL1.toFixed(2))],
    ...r.policies.map((p) => [p.label, ...cell(p, (c) => (c.meanBins === null ? 'n/a' : c.meanBins.toFixed(2)))]),
  ];
  return { funsearch, excess, bins };
}

function binpackNotes(r: BinpackSuiteReport): string[] {
  const notes = [
    `Protocol: ${r.protocol}.`,
    ...r.sets.filter((s) => !s.sameInstancesAsPublished).map((s) => `${s.name}: ${s.source}; FunSearch's own ${s.name} instances were not released, so its published figures are on other instances of the same recipe.`),
    ...r.funSearchTable.filter((f) => f.label.startsWith('AURORA')).map((f) => `AURORA row: ${f.note}.`),
  ];
  for (const p of r.policies) {
    if (p.error !== null) notes.push(`${p.label}: ${p.error}`);
    for (const c of p.cells) if (c.error !== null) notes.push(`${p.label} on ${c.set}: ${c.error}`);
  }
  if (r.notApplicable.length > 0) notes.push(`Baselines that do not apply to bin packing: ${r.notApplicable.join(', ')}.`);
  return notes;
}

function binpackText(r: BinpackSuiteReport): string {
  const t = binpackTables(r);
  return [
    `${r.suite.name} suite v${r.suite.version}: excess bins over the L1 lower bound (lower is better)`,
    '',
    "FunSearch's Table 1 with AURORA",
    '',
    ...textTable(t.funsearch),
    '',
    'every policy: excess over the L1 bound',
    '',
    ...textTable(t.excess),
    '',
    'mean bins per instance',
    '',
    ...textTable(t.bins),
    '',
    ...binpackNotes(r),
  ].join('\n') + '\n';
}

function binpackMarkdown(r: BinpackSuiteReport, command: string): string {
  const t = binpackTables(r);
  return [
    `# Suite \`${r.suite.name}\` v${r.suite.version}: online bin packing`,
    '',
    r.suite.description,
    '',
    `Split: ${r.suite.split}.`,
    '',
    ...(command === '' ? [] : ['Produced by:', '', '```', command, '```', '']),
    "## FunSearch's Table 1 with AURORA",
    '',
    'Excess bins over the L1 lower bound, (mean bins − mean L1) / mean L1; lower is better.',
    '',
    ...markdownTable(t.funsearch),
    '',
    '## Every policy',
    '',
    ...markdownTable(t.excess),
    '',
    'Mean bins per instance:',
    '',
    ...markdownTable(t.bins),
    '',
    '## Test sets',
    '',
    ...markdownTable([['set', 'instances', 'items', 'mean L1', 'source'], ...r.sets.map((s) => [s.name, String(s.instances), String(s.items), s.meanL1.toFixed(2), s.source])]),
    '',
    '## Notes',
    '',
    ...binpackNotes(r).map((n) => `- ${n}`),
    '',
  ].join('\n');
}

function binpackSvg(r: BinpackSuiteReport): string {
  const panels: Panel[] = r.sets.map((s, i) => ({
    title: `${s.name} (${s.instances} × ${Math.round(s.items / s.instances).toLocaleString('en')} items)`,
    format: (x: number) => `${x.toFixed(2)}%`,
    bars: r.funSearchTable.map(
      (row): Bar => ({ label: row.label, value: row.values[i] ?? null, highlight: row.label.startsWith('AURORA'), published: row.label.endsWith('(published)') }),
    ),
  }));
  return panelsSvg(`${r.suite.name} v${r.suite.version}: excess bins over the L1 bound (lower is better)`, panels, 'grey: published by FunSearch (Nature 2024); orange: AURORA, measured');
}

// ---- scenario suites ----------------------------------------------------------------------------------

const ROLE_MARK: Record<string, string> = { champion: '* ', random: '', baseline: '', policy: '' };

function scenarioTable(r: ScenarioSuiteReport): string[][] {
  const head = ['policy', ...METRICS.map((m) => `${METRIC_INFO[m].head}${METRIC_INFO[m].unit === '' ? '' : ` (${METRIC_INFO[m].unit})`}`), 'faults'];
  const rows = r.policies.map((p) => {
    if (p.summary === null) return [ROLE_MARK[p.role] + p.label, ...METRICS.map(() => 'n/a'), 'does not compile'];
    return [
      ROLE_MARK[p.role] + p.label,
      ...METRICS.map((m) => intervalText(p.summary![m], METRIC_INFO[m].scale, METRIC_INFO[m].digits)),
      String(p.cases.filter((c) => c.failure !== null).length),
    ];
  });
  return [head, ...rows];
}

function comparisonLines(r: ScenarioSuiteReport): string[] {
  const c = r.comparison;
  if (c === null) return ['No champion in the table: nothing to compare with the baselines.'];
  const sign = c.rewardGain >= 0 ? '+' : '';
  return [
    `AURORA (${c.champion}) against the best baseline by mean reward (${c.bestBaseline}): reward ${sign}${(100 * c.rewardGain).toFixed(1)} % (target +${(100 * TARGET_GAIN).toFixed(0)} %), ` +
      `SLA violations ${(100 * c.slaChampion).toFixed(1)} % vs ${(100 * c.slaBaseline).toFixed(1)} %, cost per hour ${c.costChampion.toFixed(3)} vs ${c.costBaseline.toFixed(3)}, dropped ${(100 * c.dropChampion).toFixed(2)} % vs ${(100 * c.dropBaseline).toFixed(2)} %; ` +
      `at least as good on ${c.wins}/${c.cases} cases: ${c.meetsTarget ? 'meets the target' : 'misses the target'}.`,
  ];
}

function scenarioNotes(r: ScenarioSuiteReport): string[] {
  const n = r.cases.length;
  const notes = [
    `Mean ± half-width of the 95 % Student t interval over the ${n} held-out cases (t with ${n - 1} degrees of freedom).`,
    'Cost per hour: the run\'s cost (Σ open time × price) ÷ its makespan in hours. SLA violations: completed late or dropped with an SLA, ÷ tasks. Dropped: infeasible, rejected, killed too often or never placed, ÷ tasks. Reward: sim/reward.ts.',
  ];
  for (const p of r.policies) {
    if (p.error !== null) notes.push(`${p.label}: ${p.error}`);
    for (const c of p.cases) if (c.failure !== null) notes.push(`${p.label} on ${c.case}: ${c.failure}`);
  }
  return notes;
}

function scenarioText(r: ScenarioSuiteReport): string {
  return [
    `${r.suite.name} suite v${r.suite.version} (${r.suite.domain}): ${r.cases.length} held-out cases`,
    '',
    "the proposal's table (§6.1), mean ± 95 % CI over the cases; * AURORA's champion",
    '',
    ...textTable(scenarioTable(r)),
    '',
    ...comparisonLines(r),
    ...scenarioNotes(r),
  ].join('\n') + '\n';
}

function scenarioMarkdown(r: ScenarioSuiteReport, command: string): string {
  return [
    `# Suite \`${r.suite.name}\` v${r.suite.version} (${r.suite.domain})`,
    '',
    r.suite.description,
    '',
    `Split: ${r.suite.split}.`,
    '',
    ...(command === '' ? [] : ['Produced by:', '', '```', command, '```', '']),
    "## The proposal's table (§6.1)",
    '',
    "Mean ± 95 % confidence interval over the held-out cases; `*` marks AURORA's champion.",
    '',
    ...markdownTable(scenarioTable(r)),
    '',
    ...comparisonLines(r),
    '',
    '## Cases',
    '',
    ...markdownTable([['case', 'tasks', 'nodes'], ...r.cases.map((c) => [c.id, String(c.tasks), String(c.nodes)])]),
    '',
    '## Notes',
    '',
    ...scenarioNotes(r).map((x) => `- ${x}`),
    '',
  ].join('\n');
}

function scenarioSvg(r: ScenarioSuiteReport): string {
  const panel = (m: MetricName): Panel => {
    const info = METRIC_INFO[m];
    return {
      title: `${info.head}${info.unit === '' ? '' : ` (${info.unit})`}, ${info.better} is better`,
      format: (x: number) => x.toFixed(info.digits),
      bars: r.policies.map(
        (p): Bar => ({
          label: p.label,
          value: p.summary === null ? null : p.summary[m].mean * info.scale,
          low: p.summary?.[m].low == null ? null : p.summary[m].low! * info.scale,
          high: p.summary?.[m].high == null ? null : p.summary[m].high! * info.scale,
          highlight: p.role === 'champion',
        }),
      ),
    };
  };
  return panelsSvg(
    `${r.suite.name} v${r.suite.version}: the proposal's table on ${r.cases.length} held-out cases`,
    (['avgLatency', 'utilisation', 'costPerHour', 'slaViolationRate', 'dropRate', 'reward'] as const).map(panel),
    'bars: mean; whiskers: 95 % Student t interval; orange: AURORA',
  );
}

// ---- transfer ------------------------------------------------------------------------------------------

function transferTable(r: TransferReport): string[][] {
  return [
    ['transfer', 'zero-shot policy', 'reward (zero-shot)', 'in-domain champion', 'reward (in-domain)', 'zero-shot, % of in-domain', 'best baseline, % of in-domain'],
    ...r.rows.map((x) => [
      `${x.from} → ${x.to}`,
      x.transferred,
      intervalText(x.transferReward, 1, 4),
      x.inDomain,
      intervalText(x.inDomainReward, 1, 4),
      x.percent === null ? 'n/a' : `${x.percent.toFixed(1)} %`,
      x.baselinePercent === null ? 'n/a' : `${x.baselinePercent.toFixed(1)} % (${x.bestBaseline})`,
    ]),
  ];
}

function transferNotes(r: TransferReport): string[] {
  return [
    "Each source domain's champion is run unchanged on the target domain's held-out cases; its mean reward is given as a percentage of the mean reward of the champion evolved on the target domain (the proposal's 'zero-shot' column). The best hand-written baseline on the target is shown the same way, for scale.",
    `Target (issue #6): cloud → edge at least ${r.target} %.`,
    ...r.rows.filter((x) => x.error !== null).map((x) => `${x.from} → ${x.to}: ${x.error}`),
  ];
}

function transferText(r: TransferReport): string {
  return ['zero-shot transfer: mean reward on the target suite\'s held-out cases (± 95 % CI)', '', ...textTable(transferTable(r)), '', ...transferNotes(r)].join('\n') + '\n';
}

function transferMarkdown(r: TransferReport, command: string): string {
  return [
    '# Zero-shot transfer',
    '',
    ...(command === '' ? [] : ['Produced by:', '', '```', command, '```', '']),
    ...markdownTable(transferTable(r)),
    '',
    ...transferNotes(r).map((x) => `- ${x}`),
    '',
  ].join('\n');
}

function transferSvg(r: TransferReport): string {
  const panels: Panel[] = r.rows.map((x) => ({
    title: `${x.from} → ${x.to}: mean reward on ${x.to}'s held-out cases`,
    format: (v: number) => v.toFixed(3),
    bars: [
      { label: `${x.transferred} (zero-shot)`, value: x.transferReward?.mean ?? null, low: x.transferReward?.low ?? null, high: x.transferReward?.high ?? null, highlight: true },
      { label: `${x.inDomain} (in-domain)`, value: x.inDomainReward?.mean ?? null, low: x.inDomainReward?.low ?? null, high: x.inDomainReward?.high ?? null, highlight: true },
      { label: `${x.bestBaseline ?? 'best baseline'} (baseline)`, value: x.baselineReward?.mean ?? null, low: x.baselineReward?.low ?? null, high: x.baselineReward?.high ?? null },
    ],
  }));
  return panelsSvg('Zero-shot transfer between domains', panels, 'bars: mean reward; whiskers: 95 % Student t interval');
}

// ---- dispatch ------------------------------------------------------------------------------------------

export function reportName(r: EvalReport): string {
  return r.kind === 'transfer' ? 'transfer' : r.suite.name;
}

export function renderText(r: EvalReport): string {
  switch (r.kind) {
    case 'binpack-suite':
      return binpackText(r);
    case 'scenario-suite':
      return scenarioText(r);
    case 'transfer':
      return transferText(r);
  }
}

export function renderMarkdown(r: EvalReport, command = ''): string {
  switch (r.kind) {
    case 'binpack-suite':
      return binpackMarkdown(r, command);
    case 'scenario-suite':
      return scenarioMarkdown(r, command);
    case 'transfer':
      return transferMarkdown(r, command);
  }
}

export function renderSvg(r: EvalReport): string {
  switch (r.kind) {
    case 'binpack-suite':
      return binpackSvg(r);
    case 'scenario-suite':
      return scenarioSvg(r);
    case 'transfer':
      return transferSvg(r);
  }
}

/**
 * JSON for report files: the report with `meta` (command, code version) first; numbers to 6 significant
 * digits (more than any figure means) and non-finite ones as null, so the files stay small.
 */
export function renderJson(r: EvalReport, meta: Record<string, unknown> = {}): string {
  return (
    JSON.stringify({ ...meta, ...r }, (_k, v: unknown) => (typeof v !== 'number' ? v : Number.isFinite(v) ? Number(v.toPrecision(6)) : null), 1) + '\n'
  );
}
