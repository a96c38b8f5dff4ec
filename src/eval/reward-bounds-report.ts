// `node --import tsx src/eval/reward-bounds-report.ts <suite>… [--champion library-name]`: per held-out case
// of each named scenario suite, the reward upper bound (src/eval/reward-bounds.ts) against every baseline
// and the shipped champion, as Markdown (reports/reward-bounds.md is this command's output). It says how
// much more than the best baseline any policy could score: when the bound is below 1.1 × the best
// baseline, the issue's +10 % is out of reach with the current reward.
import { pathToFileURL } from 'node:url';
import { baselineNames, baselines } from '../../sim/baselines/index.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { simulate } from '../../sim/simulate.js';
import { resolveDataDir } from '../suites/data-dir.js';
import { suiteByName } from '../suites/registry.js';
import { listLibrary } from './library.js';
import { rewardUpperBound } from './reward-bounds.js';

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} %`;

export function boundsMarkdown(suiteName: string, dataDir: string): string {
  const suite = suiteByName(suiteName);
  if (suite === undefined || suite.kind !== 'scenario') throw new Error(`${suiteName}: not a scenario suite`);
  const cases = suite.test(dataDir);
  const champion = listLibrary().find((r) => r.name === suiteName && r.where === 'shipped' && r.record !== null);
  const policies = [
    ...baselineNames.map((n) => ({ label: n, policy: compilePolicy(baselines[n]!) })),
    ...(champion ? [{ label: `AURORA (library:${suiteName})`, policy: compilePolicy(champion.record!.policy) }] : []),
  ];
  const rewards = policies.map((p) => cases.map((c) => simulate(c.scenario, p.policy).reward.reward));
  const bounds = cases.map((c) => rewardUpperBound(c.scenario));
  const baselineMeans = baselineNames.map((_, i) => mean(rewards[i]!));
  const bestIdx = baselineMeans.indexOf(Math.max(...baselineMeans));
  const best = rewards[bestIdx]!;
  const champ = champion ? rewards[rewards.length - 1]! : null;
  const lines = [
    `## ${suiteName} (${cases.length} held-out cases)`,
    '',
    `Best baseline by mean reward: ${baselineNames[bestIdx]}. Bound: src/eval/reward-bounds.ts (latency at the ideal run time, cost and energy of perfect packing at utilisation U, qos 1, the U that maximises the sum).`,
    '',
    '| case | bound | at U | latency ≤ | cost ≤ | energy ≤ | best baseline | bound ÷ best baseline | AURORA | AURORA ÷ best baseline |',
    '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...cases.map((c, k) => {
      const b = bounds[k]!;
      return `| ${c.id} | ${b.reward.toFixed(4)} | ${(100 * b.utilisation).toFixed(0)} % | ${b.scores.latency.toFixed(4)} | ${b.scores.cost.toFixed(4)} | ${b.scores.energy.toFixed(4)} | ${best[k]!.toFixed(4)} | ${pct(b.reward / best[k]! - 1)} | ${champ ? champ[k]!.toFixed(4) : '–'} | ${champ ? pct(champ[k]! / best[k]! - 1) : '–'} |`;
    }),
    `| **mean** | **${mean(bounds.map((b) => b.reward)).toFixed(4)}** | | | | | **${mean(best).toFixed(4)}** | **${pct(mean(bounds.map((b) => b.reward)) / mean(best) - 1)}** | ${champ ? `**${mean(champ).toFixed(4)}**` : '–'} | ${champ ? `**${pct(mean(champ) / mean(best) - 1)}**` : '–'} |`,
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = process.argv.slice(2);
  const dataDir = resolveDataDir();
  process.stdout.write(
    [
      '# Reward upper bounds on held-out cases',
      '',
      'Produced by:',
      '',
      '```',
      `node --import tsx src/eval/reward-bounds-report.ts ${names.join(' ')}`,
      '```',
      '',
      'The bound is what no policy can exceed on a case, whatever it does (it completes every task, or leaves any set out: see src/eval/reward-bounds.ts); it is loose, since its terms cannot all be reached at once. "bound ÷ best baseline" is therefore the most any policy could gain over the best baseline on that case.',
      '',
      ...names.map((n) => boundsMarkdown(n, dataDir)),
    ].join('\n'),
  );
}
