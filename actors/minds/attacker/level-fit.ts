// Every proposal is made at the curriculum's level: whatever point the search starts from (an elite of
// another level, the defaults), the domain, the level and the level's sizes (tasks and nodes) are
// forced, and knobs that depend on sizes are kept consistent with them.
import type { Domain } from '../../../sim/scenario.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { levelSize } from '../../../sim/workload/levels.js';
import { parseParams, type GeneratorParams } from '../../../sim/workload/params.js';

export interface LevelSizes {
  tasks: number;
  nodes: number;
}

/** The sizes of `level`: the context's (the curriculum's) when given, else sim/workload's level table. */
export function sizesFor(level: number, given: { tasks?: number | undefined; nodes?: number | undefined }): LevelSizes {
  const table = levelSize(level);
  return { tasks: given.tasks ?? table.tasks, nodes: given.nodes ?? table.nodes };
}

/**
 * `params` at the given domain, level and sizes, checked against the schema (throws on an invalid
 * point). A point from another domain is not reused: the defaults of the domain stand in for it.
 */
export function fitToLevel(params: GeneratorParams, domain: Domain, level: number, sizes: LevelSizes): GeneratorParams {
  const base = params.domain === domain ? params : defaultParams(domain, level);
  const defaults = defaultParams(domain, level);
  return parseParams({
    ...base,
    domain,
    level,
    tasks: sizes.tasks,
    nodes: sizes.nodes,
    // Data sources follow the domain's defaults for the level (pure cloud has none).
    data: { ...base.data, sources: defaults.data.sources },
    edge: { ...base.edge, sites: Math.min(sizes.nodes, base.edge.sites) },
  });
}
