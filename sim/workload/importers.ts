// The trace and benchmark importers by format name, for the CLI and for the attacker's archive.
import type { Scenario } from '../scenario.js';
import { importAlibaba2017, type Alibaba2017Options } from './import-alibaba2017.js';
import { importAzure2017, type Azure2017Options } from './import-azure2017.js';
import { importBinpack, type BinpackImportOptions } from './import-binpack.js';

export const IMPORT_FORMATS = ['binpack', 'alibaba2017', 'azure2017'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export type ImportOptions = BinpackImportOptions & Alibaba2017Options & Azure2017Options;

export function isImportFormat(name: string): name is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(name);
}

/** Text of the file (CSV or JSON) → a checked Scenario; bad input throws WorkloadImportError. */
export function importScenario(format: ImportFormat, text: string, options: ImportOptions = {}): Scenario {
  switch (format) {
    case 'binpack':
      return importBinpack(text, options);
    case 'alibaba2017':
      return importAlibaba2017(text, options);
    case 'azure2017':
      return importAzure2017(text, options);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
