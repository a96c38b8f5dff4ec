// The reports in their four forms: text, Markdown (tables with as many cells per row as the header),
// JSON (parses, numbers finite or null) and SVG (well-formed, one bar per row).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baselines } from '../../sim/baselines/index.js';
import { evaluateBinpackSuite } from '../../src/eval/binpack-suite-eval.js';
import type { EvalPolicy } from '../../src/eval/choices.js';
import { renderJson, renderMarkdown, renderSvg, renderText, type EvalReport } from '../../src/eval/render.js';
import { evaluateScenarioSuite } from '../../src/eval/scenario-suite-eval.js';
import { escapeXml, niceTicks } from '../../src/eval/svg.js';
import { evaluateTransfer } from '../../src/eval/transfer-eval.js';
import { BINPACK_SUITE } from '../../src/suites/registry.js';
import { suiteByName } from '../../src/suites/registry.js';
import type { ScenarioSuiteDef } from '../../src/suites/scenario-suite.js';
import { xmlProblem } from './xml.js';

const base = (name: string): EvalPolicy => ({ label: name, source: 'baseline', document: baselines[name] });
const champion = (doc: unknown, suite: string, track: string | null = null): EvalPolicy => ({ label: `library:${suite}`, source: 'library', document: doc, champion: { suite, track } });

const edge = suiteByName('edge') as ScenarioSuiteDef;
const network = suiteByName('network') as ScenarioSuiteDef;
const edgeCases = edge.test('').slice(0, 3);

function checkMarkdown(md: string): void {
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || (i > 0 && lines[i - 1]!.startsWith('|'))) continue;
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    const width = cells(lines[i]!);
    assert.match(lines[i + 1]!, /^\| (:?-+:? \| )*:?-+:? \|$/, `rule under line ${i + 1}`);
    for (let j = i; j < lines.length && lines[j]!.startsWith('|'); j++) assert.is(cells(lines[j]!), width, `line ${j + 1}: ${lines[j]}`);
  }
}

function checkAll(report: EvalReport, bars: number): { md: string; json: Record<string, unknown>; svg: string; text: string } {
  const text = renderText(report);
  const md = renderMarkdown(report, 'aurora eval --suite x');
  checkMarkdown(md);
  assert.match(md, /```\naurora eval --suite x\n```/);
  const json = JSON.parse(renderJson(report, { command: 'c' })) as Record<string, unknown>;
  assert.is(json.kind, report.kind);
  const svg = renderSvg(report);
  assert.is(xmlProblem(svg), null, xmlProblem(svg) ?? '');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.is((svg.match(/<rect [^>]*class="bar/g) ?? []).length, bars);
  return { md, json, svg, text };
}

test('given a scenario suite report, when rendered, then the proposal table has a mean ± interval per metric and the champion is compared with the best baseline', () => {
  const report = evaluateScenarioSuite(edge, edgeCases, [base('random'), base('best-fit'), champion(baselines['first-fit'], 'edge')]);
  assert.is(report.cases.length, 3);
  const c = report.comparison!;
  assert.ok(c);
  assert.ok(['random', 'best-fit'].includes(c.bestBaseline));
  assert.is(c.champion, 'library:edge');
  // 3 policies × 6 metrics = 18 bars.
  const { md, json, text } = checkAll(report, 18);
  assert.match(text, /avg latency \(s\)/);
  assert.match(text, /^\* library:edge +\d/m);
  assert.match(md, /\| random \| [\d.]+ ± [\d.]+ \|/);
  assert.match(text, /(meets|misses) the target/);
  const rows = json.policies as { summary: { reward: { n: number; halfWidth: number } } }[];
  assert.is(rows[0]!.summary.reward.n, 3);
  assert.ok(Number.isFinite(rows[0]!.summary.reward.halfWidth));
});

test('given a bin-packing report on small generated sets, when rendered, then FunSearch\'s table has its published rows and AURORA\'s measured one', () => {
  const sets = BINPACK_SUITE.testSets.filter((s) => s.name === 'Weibull10k');
  const report = evaluateBinpackSuite({ ...BINPACK_SUITE, testSets: sets }, '', [base('first-fit'), base('best-fit'), champion({ name: 'w', score: '-abs(node.free_cores_after - 40)' }, 'binpack', 'weibull')]);
  const labels = report.funSearchTable.map((r) => r.label);
  assert.equal(labels, ['First Fit (published)', 'First Fit (measured)', 'Best Fit (published)', 'Best Fit (measured)', 'FunSearch (published)', 'AURORA (measured)']);
  assert.equal(report.funSearchTable[0]!.values, [4.2]);
  // One panel with six bars.
  const { text } = checkAll(report, 6);
  assert.match(text, /AURORA \(measured\) +\d+\.\d\d%/);
});

test('given a transfer report, when rendered, then each pair is a percentage of the in-domain champion', () => {
  const report = evaluateTransfer([
    { from: edge, to: network, toCases: network.test('').slice(0, 2), transferred: champion(baselines['best-fit'], 'edge'), inDomain: champion(baselines['best-fit'], 'network'), baselines: [base('first-fit')] },
  ]);
  assert.is(report.rows[0]!.percent, 100);
  assert.is(report.rows[0]!.bestBaseline, 'first-fit');
  const { text } = checkAll(report, 3);
  assert.match(text, /edge → network/);
  assert.match(text, /100\.0 %/);
});

test('given labels with markup characters and a range, when drawn, then text is escaped and ticks are round', () => {
  assert.is(escapeXml('a<b & "c">'), 'a&lt;b &amp; &quot;c&quot;&gt;');
  assert.equal(niceTicks(0, 4.3), [0, 1, 2, 3, 4]);
  assert.equal(niceTicks(-0.2, 0.6), [-0.2, 0, 0.2, 0.4, 0.6]);
  assert.is(xmlProblem('<a><b></a>'), '</a> closes nothing open at offset 6');
});

test.run();
