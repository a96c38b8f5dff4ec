// The projections the controller decides with, kept current as events are recorded. They are the same
// folds a rebuild runs, so a resumed run decides exactly as an uninterrupted one.
import type { AuroraEvent } from '../events/catalogue.js';
import { eloProjection, type EloState } from '../projections/elo.js';
import { curriculumProjection, type CurriculumState } from '../projections/curriculum.js';
import { policyLibraryProjection, type PolicyLibraryState } from '../projections/policy-library.js';
import { scenarioArchiveProjection, type ScenarioArchiveState } from '../projections/scenario-archive.js';
import { searchStateProjection, type SearchState } from '../projections/search-state.js';

export class RunProjections {
  elo: EloState = eloProjection.initialState();
  curriculum: CurriculumState = curriculumProjection.initialState();
  library: PolicyLibraryState = policyLibraryProjection.initialState();
  archive: ScenarioArchiveState = scenarioArchiveProjection.initialState();
  search: SearchState = searchStateProjection.initialState();
  /** Events folded so far. */
  count = 0;

  apply(event: AuroraEvent): void {
    this.elo = eloProjection.evolve(this.elo, event);
    this.curriculum = curriculumProjection.evolve(this.curriculum, event);
    this.library = policyLibraryProjection.evolve(this.library, event);
    this.archive = scenarioArchiveProjection.evolve(this.archive, event);
    this.search = searchStateProjection.evolve(this.search, event);
    this.count += 1;
  }

  applyAll(events: Iterable<AuroraEvent>): this {
    for (const e of events) this.apply(e);
    return this;
  }
}
