// Every named suite by name: `aurora eval --suite <name>` and `aurora evolve --suite <name>`.
import { BINPACK_SUITE_VERSION, BINPACK_TEST_SETS, BINPACK_TRACK_DEFS, type BinpackTestSet, type BinpackTrack, type BinpackTrackName } from './binpack.js';
import { GENERATED_SUITES } from './generated.js';
import type { ScenarioSuiteDef } from './scenario-suite.js';
import { TRACE_SUITES } from './traces.js';

export interface BinpackSuiteDef {
  readonly kind: 'binpack';
  readonly name: 'binpack';
  readonly version: number;
  readonly description: string;
  readonly split: string;
  readonly testSets: readonly BinpackTestSet[];
  readonly tracks: Readonly<Record<BinpackTrackName, BinpackTrack>>;
}

export type SuiteDef = BinpackSuiteDef | ScenarioSuiteDef;

export const BINPACK_SUITE: BinpackSuiteDef = {
  kind: 'binpack',
  name: 'binpack',
  version: BINPACK_SUITE_VERSION,
  description:
    "FunSearch's online bin-packing benchmark: OR1–OR4 and Weibull 5k as released, Weibull 10k and 100k generated with FunSearch's recipe from fixed seeds. Score: excess bins over the L1 bound, (mean bins − mean L1) / mean L1.",
  split:
    'held out: every test set (OR1–OR4, Weibull 5k, 10k, 100k; never trained on); training and validation: fresh Weibull (track weibull) or U[20, 100] (track or) instances from seeds ≥ 2^31',
  testSets: BINPACK_TEST_SETS,
  tracks: BINPACK_TRACK_DEFS,
};

const ALL: readonly SuiteDef[] = [BINPACK_SUITE, ...TRACE_SUITES, ...GENERATED_SUITES];

export const SUITES: Readonly<Record<string, SuiteDef>> = Object.fromEntries(ALL.map((s) => [s.name, s]));

/** Suite names in a fixed, documented order. */
export const SUITE_NAMES: readonly string[] = ALL.map((s) => s.name);

export function suiteByName(name: string): SuiteDef | undefined {
  return Object.prototype.hasOwnProperty.call(SUITES, name) ? SUITES[name] : undefined;
}

/** The suite a name with a track names, e.g. `binpack:weibull` → binpack, weibull. */
export function parseSuiteRef(ref: string): { suite: SuiteDef; track: BinpackTrackName | null } | undefined {
  const [name, track] = ref.split(':') as [string, string | undefined];
  const suite = suiteByName(name);
  if (suite === undefined) return undefined;
  if (track === undefined) return { suite, track: null };
  if (suite.kind !== 'binpack' || !Object.prototype.hasOwnProperty.call(BINPACK_TRACK_DEFS, track)) return undefined;
  return { suite, track: track as BinpackTrackName };
}

/** The transfer pairs the proposal reports (§6.1): source domain → target domain. */
export const TRANSFER_PAIRS: readonly (readonly [string, string])[] = [
  ['cloud', 'edge'],
  ['edge', 'network'],
  ['network', 'hybrid'],
];
