#!/usr/bin/env node
// Runs every test under test/ with uvu (TypeScript through tsx) under c8 coverage, then prints the
// plain closing line 'N passed, N failed' that CI tooling reads. Extra arguments narrow the files
// (a uvu pattern), e.g. `npm test -- sim/engine`.
import { spawn } from 'node:child_process';

const pattern = process.argv[2] ? `${process.argv[2]}.*\\.test\\.ts$` : '\\.test\\.ts$';
const child = spawn(
  process.execPath,
  [
    'node_modules/c8/bin/c8.js', '--reporter=text-summary', '--reporter=lcov', '--exclude=test/**', '--exclude=scripts/**',
    process.execPath, '--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } },
);
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const failed = Math.max(0, total - passed - skipped) + (code !== 0 && total === passed ? 1 : 0);
  process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(code === 0 && total > 0 ? 0 : 1);
});
