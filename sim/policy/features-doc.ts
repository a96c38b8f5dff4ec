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
    rows.push(`| \`${f.name}\` | ${cell(f.unit)} | ${f.depends} | ${cell(f.doc)} | ${bin} |`);
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
  ];
  return lines.join('\n');
}
