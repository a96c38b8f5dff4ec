// Curriculum levels: the proposal's five named levels (basic 5 tasks / 3 nodes, intermediate 20 / 10,
// advanced 50 / 25, expert 100 / 50, master 500 / 100, at difficulties 1, 3, 5, 7, 10) on a 1–10 scale.
// Sizes at the anchors are the proposal's; levels between anchors are interpolated geometrically
// (sizes grow by a constant factor per level) and rounded.

export const LEVEL_ANCHORS = [
  { level: 1, name: 'basic', tasks: 5, nodes: 3 },
  { level: 3, name: 'intermediate', tasks: 20, nodes: 10 },
  { level: 5, name: 'advanced', tasks: 50, nodes: 25 },
  { level: 7, name: 'expert', tasks: 100, nodes: 50 },
  { level: 10, name: 'master', tasks: 500, nodes: 100 },
] as const;

export type LevelName = (typeof LEVEL_ANCHORS)[number]['name'];

export interface LevelSize {
  level: number;
  name: LevelName;
  tasks: number;
  nodes: number;
}

/** Name band: 1–2 basic, 3–4 intermediate, 5–6 advanced, 7–9 expert, 10 master. */
export function levelName(level: number): LevelName {
  let name: LevelName = 'basic';
  for (const a of LEVEL_ANCHORS) if (level >= a.level) name = a.name;
  return name;
}

export function levelSize(level: number): LevelSize {
  if (!Number.isInteger(level) || level < 1 || level > 10) throw new RangeError(`level must be an integer 1–10, got ${level}`);
  let lo: (typeof LEVEL_ANCHORS)[number] = LEVEL_ANCHORS[0];
  let hi: (typeof LEVEL_ANCHORS)[number] = LEVEL_ANCHORS[0];
  for (const a of LEVEL_ANCHORS) {
    if (a.level <= level) lo = a;
    if (a.level >= level) {
      hi = a;
      break;
    }
  }
  const t = hi.level === lo.level ? 0 : (level - lo.level) / (hi.level - lo.level);
  const geo = (a: number, b: number) => Math.round(a * Math.pow(b / a, t));
  return { level, name: levelName(level), tasks: geo(lo.tasks, hi.tasks), nodes: geo(lo.nodes, hi.nodes) };
}

/** 0 at level 1, 1 at level 10: the position on the difficulty ramp. */
export function levelRamp(level: number): number {
  return (level - 1) / 9;
}
