// What a scenario suite is: held-out test cases (fixed, versioned), and fresh training and validation
// cases drawn from seeds a test case never uses (src/suites/seeds.ts).
import type { Domain, Scenario } from '../../sim/scenario.js';
import type { SeedUse } from './seeds.js';

export interface ScenarioCase {
  /** Stable name of the case within its suite (a window or a seed). */
  readonly id: string;
  readonly scenario: Scenario;
}

export interface ScenarioSuiteDef {
  readonly kind: 'scenario';
  readonly name: string;
  readonly version: number;
  readonly domain: Domain;
  /** One paragraph: what the cases are and where they come from. */
  readonly description: string;
  /** Which cases are held out and which are for training, in words. */
  readonly split: string;
  /** The documented parameters (recorded in reports and in evolved policies' provenance). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly defaults: { readonly train: number; readonly validate: number };
  /** Needs ../shared/data (the trace suites). */
  readonly needsData: boolean;
  test(dataDir: string): ScenarioCase[];
  /** `count` training or validation cases for an evolution run seeded `runSeed`. */
  training(dataDir: string, runSeed: number, use: SeedUse, count: number): ScenarioCase[];
}
