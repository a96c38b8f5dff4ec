// The human report of a replay: one line when the run replayed exactly; the first mismatch with its
// field-level differences otherwise.
import { showValue } from './diff.js';
import type { ReplayResult } from './replay.js';

const seconds = (s: number) => `${s.toFixed(2)} s`;

function where(r: ReplayResult): string {
  const m = r.mismatch!;
  const position = m.position === null ? '' : `, position ${m.position}`;
  return `event ${m.revision + 1} of ${r.events} (revision ${m.revision}${position})`;
}

export function formatReplay(r: ReplayResult): string {
  const lines: string[] = [];
  const took = r.recordedSeconds === null ? '' : `; the recorded run spans ${seconds(r.recordedSeconds)}`;
  if (r.status === 'identical') {
    lines.push(`run ${r.runId}: replayed exactly: ${r.matched} of ${r.events} events match (${seconds(r.seconds)}${took})`);
    if (r.incomplete) lines.push('  the run never completed: replayed up to its last recorded event');
  } else if (r.status === 'failed') {
    lines.push(`run ${r.runId}: replay failed after ${r.matched} matching events of ${r.events}: ${r.failure}`);
  } else {
    const m = r.mismatch!;
    switch (m.kind) {
      case 'differs':
        lines.push(`run ${r.runId}: MISMATCH at ${where(r)}: ${m.recordedType}${m.replayedType !== m.recordedType ? ` (replayed: ${m.replayedType})` : ''}`);
        lines.push(`  ${r.matched} events matched before it (${seconds(r.seconds)}); ${m.detail}:`);
        for (const d of m.differences) {
          const recorded = d.absent === 'recorded' ? '(absent)' : showValue(d.recorded);
          const replayed = d.absent === 'replayed' ? '(absent)' : showValue(d.replayed);
          lines.push(`    ${d.path}: recorded ${recorded}, replayed ${replayed}`);
        }
        if (m.differenceCount > m.differences.length) lines.push(`    … and ${m.differenceCount - m.differences.length} more`);
        break;
      case 'unreadable':
        lines.push(`run ${r.runId}: MISMATCH at ${where(r)}: the recorded event cannot be read back`);
        lines.push(`  ${m.detail}`);
        lines.push(`  ${r.matched} events matched before it (${seconds(r.seconds)})${m.replayedType ? `; the replay produced ${m.replayedType} ${m.replayedEventId} there` : ''}`);
        break;
      case 'missing':
        lines.push(`run ${r.runId}: MISMATCH at ${where(r)}: ${m.recordedType} ${m.recordedEventId} is recorded, the replay produced nothing more`);
        lines.push(`  ${m.detail}`);
        break;
      case 'cut':
        lines.push(`run ${r.runId}: MISMATCH at ${where(r)}: the replay produced ${m.replayedType} ${m.replayedEventId}, the recorded run has nothing more`);
        lines.push(`  ${m.detail}`);
        break;
    }
  }
  if (r.resumes > 0) lines.push(`  stopped and resumed ${r.resumes} time${r.resumes === 1 ? '' : 's'}, as the recorded run was`);
  if (r.matchedAfterUpcast > 0) lines.push(`  ${r.matchedAfterUpcast} events matched once upcast (recorded with older schema versions)`);
  const { recorded, replaying } = r.codeVersion;
  if (recorded !== null && replaying !== null && recorded !== replaying) lines.push(`  recorded by ${recorded}, replayed by ${replaying}`);
  return lines.join('\n');
}
