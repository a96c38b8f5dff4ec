// Bin-packing benchmark files (../shared/data/binpack/*.json): validated with zod, one clear line on a
// malformed file. Pure: the caller reads the file and passes the parsed JSON.
import { z } from 'zod';

const finitePositive = () =>
  z.number().refine(Number.isFinite, { message: 'must be a finite number' }).refine((v) => v > 0, { message: 'must be greater than 0' });

const InstanceFile = z
  .object({
    id: z.string().min(1),
    items: z.array(finitePositive()).min(1),
    num_items: z.number().int().optional(),
    l1_lower_bound: z.number().int().optional(),
    best_known_bins: z.number().int().nullable().optional(),
  })
  .passthrough();

const DatasetFile = z
  .object({
    name: z.string().min(1),
    capacity: finitePositive(),
    instances: z.array(InstanceFile).min(1),
  })
  .passthrough();

export interface BinpackInstance {
  readonly id: string;
  readonly capacity: number;
  /** Item sizes in arrival order. */
  readonly items: readonly number[];
  /** ceil(sum of sizes / capacity). */
  readonly l1: number;
  /** Proven optimum when known. */
  readonly bestKnown: number | null;
}

export interface BinpackDataset {
  readonly name: string;
  readonly capacity: number;
  readonly instances: readonly BinpackInstance[];
}

/** A bin-packing file that does not validate: the message is one line naming the file and the place. */
export class BinpackDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BinpackDataError';
  }
}

/** The L1 lower bound: no packing uses fewer than ceil(total size / capacity) bins. */
export function l1Bound(items: readonly number[], capacity: number): number {
  let sum = 0;
  for (const s of items) sum += s;
  return Math.ceil(sum / capacity);
}

/** True when `json` has the shape of a bin-packing file (used to tell suites apart). */
export function looksLikeBinpack(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'capacity' in json && 'instances' in json;
}

/** Validates parsed JSON of a bin-packing file; `source` names it in errors. */
export function parseBinpackDataset(json: unknown, source: string): BinpackDataset {
  const parsed = DatasetFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BinpackDataError(`${source}: ${formatPath(issue.path)}${issue.message}`);
  }
  const { name, capacity } = parsed.data;
  const instances = parsed.data.instances.map((inst, i): BinpackInstance => {
    const at = `${source}: instances[${i}] (${inst.id})`;
    inst.items.forEach((size, j) => {
      if (size > capacity) throw new BinpackDataError(`${at}.items[${j}]: size ${size} is larger than the capacity ${capacity}`);
    });
    if (inst.num_items !== undefined && inst.num_items !== inst.items.length) {
      throw new BinpackDataError(`${at}: num_items says ${inst.num_items} but there are ${inst.items.length} items`);
    }
    const l1 = l1Bound(inst.items, capacity);
    if (inst.l1_lower_bound !== undefined && inst.l1_lower_bound !== l1) {
      throw new BinpackDataError(`${at}: l1_lower_bound says ${inst.l1_lower_bound} but ceil(sum / capacity) is ${l1}`);
    }
    return { id: inst.id, capacity, items: inst.items, l1, bestKnown: inst.best_known_bins ?? null };
  });
  return { name, capacity, instances };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return `${out}: `;
}
