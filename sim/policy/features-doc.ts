// docs/features.md, generated from the feature registry so the two never drift (a test compares them).
// Regenerate: UPDATE_DOCS=1 npm test -- sim/policy/features-doc
import { FUNCTIONS, FUNCTION_NAMES } from './ast.js';
import { FEATURES, NO_FIT, NO_SLA, REFERENCE_MIPS, UNREACHABLE, type FeatureDef } from './features.js';

const DEPENDS_DOC: Record<FeatureDef['depends'], string> = {
  static: "the node's spec and the task only (for task features: constant while the task waits)",
  dynamic: "the node's live state (free cores and memory, running, queued, open) or run state such as tenant shares",
  index: "the node's position (ties between equal scores also go to the lowest position)",
  rr: 'the node that received the previous placement',
  random: "a fresh draw from the run's seeded policy stream",
  time: 'the clock, or values that change with it (prices, congestion, energy, uptime)',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function table(features: readonly FeatureDef[]): string[] {
  const rows = ['| feature | unit | depends | meaning | in bin packing |', '|---|---|---|---|---|'];
  for (const f of features) {
    const bin = f.binpack ? cell(f.binpack.doc) : '—';
    const meaning = f.scheduling === false ? '— (bin packing only)' : cell(f.doc);
    rows.push(`| \`${f.name}\` | ${cell(f.unit)} | ${f.depends} | ${meaning} | ${bin} |`);
  }
  return rows;
}

export function renderFeaturesDoc(): string {
  const task = FEATURES.filter((f) => !f.needsNode);
  const nodeFeatures = FEATURES.filter((f) => f.needsNode);
  const lines = [
    '# Policy features',
    '',
    '<!-- Generated from sim/policy/features.ts by sim/policy/features-doc.ts. Do not edit by hand:',
    '     regenerate with `UPDATE_DOCS=1 npm test -- sim/policy/features-doc`. -->',
    '',
    'Every feature is a number; conditions come from comparisons (`node.free_cores_after >= 0`). Units:',
    'time in s, memory in GB, work in million instructions (MI), speed in MIPS, power in W, price per hour,',
    'data in MB. See docs/policy-language.md for the language itself.',
    '',
    'Stand-in values keep every feature finite:',
    '',
    `- no SLA: \`task.sla\` is ${NO_SLA} s and \`task.deadline\` is arrival + ${NO_SLA} s (use \`task.has_sla\` to tell);`,
    `- unreachable: \`node.latency\`, \`node.transfer\` are ${UNREACHABLE} s (use \`node.reachable\`);`,
    `- no fit: \`node.cpu_residual\` and \`node.mem_residual\` are ${NO_FIT} when nothing is free;`,
    '- memory not modelled (a node with memory 0): the task\'s memory is ignored there, free memory is 0,',
    '  the memory free fractions are 1 and the memory allocated fractions are 0;',
    `- \`task.duration_est\` assumes cores of ${REFERENCE_MIPS} MIPS.`,
    '',
    'The `depends` column tells the engine when an exact index over nodes is safe:',
    '',
    ...Object.entries(DEPENDS_DOC).map(([k, v]) => `- **${k}**: ${v}.`),
    '',
    '## Task and run features',
    '',
    'Valid everywhere: in `order` and `admit` (which see no node) and in `filter` and `score`.',
    '',
    ...table(task),
    '',
    '## Node features',
    '',
    'Valid in `filter` and `score` only; in `order` or `admit` they are a compile error.',
    '',
    ...table(nodeFeatures),
    '',
    '## Functions',
    '',
    '| function | meaning |',
    '|---|---|',
    ...FUNCTION_NAMES.map((name) => {
      const f = FUNCTIONS[name];
      const args = name === 'clamp' ? 'x, lo, hi' : f.maxArgs === 1 ? 'x' : 'a, b, …';
      return `| \`${name}(${args})\` | ${cell(f.doc)} |`;
    }),
    '',
    '## Bin packing',
    '',
    'In online bin packing (`sim/binpack`, `aurora eval` on a bin-packing suite) a node is a bin and a task',
    'is an item; the last column says what each feature means there. A feature marked — has no meaning for',
    'bins and is a compile error in a bin-packing policy.',
    '',
    'A few features exist for bin packing only (the meaning column says "bin packing only"; they are a compile',
    'error in a scheduling policy, whose engine keeps no such counts). They read what the packer keeps',
    'besides the bin being scored: how many open bins have each remaining capacity, and the sizes of the items',
    'packed so far (the online history). Each read is O(1) (the bin counts) or O(log capacity) (the item',
    'counts, a Fenwick tree over sizes), and bins with the same remaining capacity read the same value, so',
    'the packer stays on its exact index (one representative bin per remaining capacity); it cannot remember',
    'their scores across items, since the counts change with every item.',
    '',
    '| feature | in bin packing |',
    '|---|---|',
    ...FEATURES.filter((f) => f.scheduling === false).map((f) => `| \`${f.name}\` | ${cell(f.binpack!.doc)} |`),
    '',
    'With them the language can write the sum-of-squares rule of Csirik, Johnson, Kenyon, Orlin, Shor and',
    'Weber (2006), which keeps Σ_g N(g)² small (N(g): open bins with remaining capacity g): placing an item',
    'of size s in an open bin with gap g changes the sum by 2·N(g − s) + 1 − (2·N(g) − 1) (no N(0) term: full',
    'bins do not count), in a new bin (capacity C) by 2·N(C − s) + 1, so its score, minus the change, is',
    '`(if node.open == 1 then 2 * node.same_free_bins - 1 else 0) - (if node.free_cores_after == 0 then 0 else 2 * node.same_free_bins_after + 1)`',
    '(the seed `sum-of-squares` of `aurora evolve`, src/evolve/seed-policies.ts).',
    '',
  ];
  return lines.join('\n');
}
