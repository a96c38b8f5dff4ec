// Every projection the runner keeps, in the order summaries print them.
import { curriculumProjection } from './curriculum.js';
import { eloProjection } from './elo.js';
import type { Projection } from './fold.js';
import { paretoProjection } from './pareto.js';
import { policyLibraryProjection } from './policy-library.js';
import { runSummaryProjection } from './run-summary.js';
import { scenarioArchiveProjection } from './scenario-archive.js';
import { searchStateProjection } from './search-state.js';

export const allProjections: readonly Projection<any>[] = [
  runSummaryProjection,
  eloProjection,
  paretoProjection,
  curriculumProjection,
  policyLibraryProjection,
  scenarioArchiveProjection,
  searchStateProjection,
];
