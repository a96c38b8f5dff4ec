// Importer for the bin packing JSON files in ../shared/data/binpack (see SOURCE.md there):
// {"name", "capacity", "instances": [{"id", "items": [...], "best_known_bins", "l1_lower_bound", ...}]}.
import { z } from 'zod';
import type { Scenario } from '../scenario.js';
import { formatIssue } from '../validate.js';
import { binpackScenario } from './binpack-scenario.js';
import { WorkloadImportError } from './import-error.js';
import { parseJsonText } from './json-text.js';

export interface BinpackImportOptions {
  /** Instance id (e.g. u120_00); default the file's first instance. */
  instance?: string;
  /** File name, for provenance. */
  name?: string;
}

const BinpackFile = z.looseObject({
  name: z.string().optional(),
  capacity: z.number().int().min(1),
  items_order: z.string().optional(),
  instances: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        items: z.array(z.number().int().min(1)).min(1),
        best_known_bins: z.number().int().nullable().optional(),
        l1_lower_bound: z.number().int().optional(),
      }),
    )
    .min(1),
});

export function importBinpack(jsonText: string, options: BinpackImportOptions = {}): Scenario {
  const input = parseJsonText(jsonText);
  const parsed = BinpackFile.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new WorkloadImportError(`not a bin packing file: ${formatIssue(issues[0]!, input, 'file')}${more}`);
  }
  const file = parsed.data;
  const instance = options.instance === undefined ? file.instances[0]! : file.instances.find((i) => i.id === options.instance);
  if (!instance) {
    const ids = file.instances.map((i) => i.id);
    const shown = ids.slice(0, 8).join(', ') + (ids.length > 8 ? `, … (${ids.length} in all)` : '');
    throw new WorkloadImportError(`no instance '${options.instance}' in this file; it has ${shown}`);
  }
  const tooBig = instance.items.findIndex((s) => s > file.capacity);
  if (tooBig >= 0) {
    throw new WorkloadImportError(`instance ${instance.id}: item ${tooBig} has size ${instance.items[tooBig]}, more than the capacity ${file.capacity}`);
  }
  const dataset = file.name ?? options.name ?? 'binpack';
  return binpackScenario(
    { capacity: file.capacity, items: instance.items },
    {
      id: `binpack-${dataset}-${instance.id}`.replace(/[^\w.-]+/g, '_'),
      description: `online bin packing, ${dataset} instance ${instance.id}: ${instance.items.length} items, capacity ${file.capacity}`,
      provenance: {
        source: 'binpack',
        file: options.name ?? null,
        dataset,
        instance: instance.id,
        itemsOrder: file.items_order ?? null,
        bestKnownBins: instance.best_known_bins ?? null,
        fileL1LowerBound: instance.l1_lower_bound ?? null,
        see: '../shared/data/binpack/SOURCE.md',
      },
    },
  );
}
