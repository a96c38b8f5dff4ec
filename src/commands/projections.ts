// `aurora projections rebuild|show [--store URL] [--json]`: rebuild every projection from the first event
// (and save the checkpoints), or bring them up to date from their checkpoints; then print what they say.
import { parseArgs } from 'node:util';
import { DEFAULT_STORE_URL, openStore, StoreUrlError } from '../../events/open-store.js';
import { allProjections } from '../../projections/all.js';
import { curriculumProjection, currentLevel, shouldAdvance } from '../../projections/curriculum.js';
import { eloProjection, ladder } from '../../projections/elo.js';
import { openCheckpointStore } from '../../projections/open-checkpoints.js';
import { overallFront, paretoProjection, scenarioIds } from '../../projections/pareto.js';
import { bestPerDomain, policies, policyLibraryProjection } from '../../projections/policy-library.js';
import { ProjectionRunner } from '../../projections/runner.js';
import { runSummaries, runSummaryProjection } from '../../projections/run-summary.js';
import { archivedScenarios, scenarioArchiveProjection, solveRate } from '../../projections/scenario-archive.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';

const help = `usage: aurora projections rebuild [--store URL] [--json]
       aurora projections show [--store URL] [--json]

rebuild  forgets the saved projection states and folds every event of the store (default
         ${DEFAULT_STORE_URL}) from the first, then saves checkpoints (state + position) next to the events
show     restores the projections from their checkpoints and folds only the events after them
Both print, per run: status, iterations, curriculum level, ELO leaders, Pareto frontier and
hypervolume, policy library and scenario archive figures. --json prints the same as JSON.`;

function summarise(runner: ProjectionRunner) {
  const summaries = runSummaries(runner.state(runSummaryProjection));
  const elo = runner.state(eloProjection);
  const pareto = runner.state(paretoProjection);
  const curriculum = runner.state(curriculumProjection);
  const library = runner.state(policyLibraryProjection);
  const archive = runner.state(scenarioArchiveProjection);
  return summaries.map((run) => {
    const frontier = overallFront(pareto, run.runId); // the front alone: sorting every policy into fronts is quadratic
    const scenarios = archivedScenarios(archive, run.runId);
    const rates = scenarios.map(solveRate).filter((r): r is number => r !== null);
    const decision = shouldAdvance(curriculum, run.runId);
    return {
      ...run,
      levelName: currentLevel(curriculum, run.runId).name,
      ladder: ladder(elo, run.runId)
        .slice(0, 5)
        .map((p) => ({ policyId: p.policyId, rating: p.rating, played: p.played })),
      pareto: {
        scenarios: scenarioIds(pareto, run.runId).length,
        front: frontier.front.map((p) => p.policyId),
        hypervolume: frontier.hypervolume,
      },
      curriculum: { window: decision.window, successRate: decision.successRate, threshold: decision.threshold, wouldAdvance: decision.advance },
      library: { policies: policies(library, run.runId).length, bestPerDomain: bestPerDomain(library, run.runId) },
      archive: { scenarios: scenarios.length, meanSolveRate: rates.length === 0 ? null : rates.reduce((s, r) => s + r, 0) / rates.length },
    };
  });
}

function formatRun(r: ReturnType<typeof summarise>[number]): string {
  const fix = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));
  const lines = [
    `run ${r.runId}  ${r.status}  ${r.iterations} iterations  level ${r.levelName} (${r.level})  ${r.events} events`,
    `  leader ${r.leader ?? '—'} (${fix(r.leaderRating, 0)})  champion ${r.champion ?? '—'}  best reward ${fix(r.bestReward)} (${r.bestPolicy ?? '—'})`,
    `  ELO: ${r.ladder.map((p) => `${p.policyId} ${p.rating.toFixed(0)}`).join(', ') || '—'}  (${r.matches} matches)`,
    `  Pareto: ${r.pareto.front.length} policies on the overall front, hypervolume ${r.pareto.hypervolume.toFixed(6)}, ${r.pareto.scenarios} scenarios`,
    `  curriculum: ${r.curriculum.window} recent results, ${fix(r.curriculum.successRate, 2)} solved (advance at ${fix(r.curriculum.threshold, 2)} over a full window)`,
    `  library: ${r.library.policies} policies; best per domain: ${
      Object.keys(r.library.bestPerDomain)
        .sort()
        .map((d) => `${d} ${r.library.bestPerDomain[d]!.policyId} (${fix(r.library.bestPerDomain[d]!.meanReward)})`)
        .join(', ') || '—'
    }`,
    `  archive: ${r.archive.scenarios} scenarios, mean solve rate ${fix(r.archive.meanSolveRate)}`,
  ];
  return lines.join('\n');
}

export const command: Command = {
  summary: 'rebuild or show the projections (ELO, Pareto, curriculum, library, archive, runs)',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const [action, ...extra] = positionals;
    if (action !== 'rebuild' && action !== 'show') throw new CliError(`expected 'rebuild' or 'show', got ${action === undefined ? 'nothing' : `'${action}'`}`);
    if (extra.length > 0) throw new CliError(`unexpected argument '${extra[0]}'`);
    const url = values.store ?? DEFAULT_STORE_URL;
    let store;
    try {
      store = await openStore(url);
    } catch (err) {
      if (err instanceof StoreUrlError) throw new CliError(err.message);
      throw err;
    }
    const checkpoints = await openCheckpointStore(url, store);
    try {
      const head = await store.headPosition();
      let lastReport = Date.now();
      const progress = (position: number) => {
        if (values.json || !process.stderr.isTTY || Date.now() - lastReport < 1000) return;
        lastReport = Date.now();
        process.stderr.write(`\rfolded ${position} / ${head} events`);
      };
      const runner = new ProjectionRunner(store, allProjections, { checkpoints, onProgress: progress });
      const started = performance.now();
      const cpu = process.cpuUsage();
      const loaded = action === 'show' ? await runner.load() : null;
      const report = action === 'rebuild' ? await runner.rebuild() : await runner.catchUp();
      await runner.flush();
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6; // all threads: what the fold cost, however loaded the machine
      if (!values.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      const runs = summarise(runner);
      if (values.json) {
        process.stdout.write(
          JSON.stringify({
            action,
            store: url,
            folded: report.events,
            position: runner.position,
            seconds,
            cpuSeconds,
            restored: loaded?.restored ?? [],
            projections: allProjections.map((p) => ({ name: p.name, version: p.version, position: runner.positionOf(p) })),
            runs,
          }) + '\n',
        );
      } else {
        const rate = seconds > 0 ? ` (${Math.round(report.events / seconds)} events/s)` : '';
        const from = loaded && loaded.restored.length > 0 ? `, from checkpoints at position ${report.from}` : '';
        process.stdout.write(
          `${action === 'rebuild' ? 'rebuilt' : 'brought up to date'} ${allProjections.length} projections: folded ${report.events} events in ${seconds.toFixed(2)} s${rate}${from}; checkpoints saved at position ${runner.position}\n`,
        );
        if (runs.length === 0) process.stdout.write('no runs in this store\n');
        for (const r of runs) process.stdout.write(formatRun(r) + '\n');
      }
      return 0;
    } finally {
      await checkpoints.close();
      await store.close();
    }
  },
};
