// `npm run bench [-- area …]`: speed and memory figures, each printed with a reference measured in the
// same run and the ratio between them. Areas run one after another in this order; name some to run
// only those. AURORA_BENCH_QUICK=1 skips the largest sizes.
const areas: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  policy: () => import('./policy.js'),
  engine: () => import('./engine.js'),
  store: () => import('./store.js'),
  projections: () => import('./projections.js'),
  transport: () => import('./transport.js'),
  replay: () => import('./replay.js'),
  selfplay: () => import('./selfplay.js'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((a) => !(a in areas));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown area ${unknown.join(', ')} (areas: ${Object.keys(areas).join(', ')})\n`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(areas)) {
  process.stdout.write(`\n== ${name} ==\n`);
  const area = await areas[name]!();
  await area.run();
}
