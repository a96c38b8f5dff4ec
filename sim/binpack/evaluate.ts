// FunSearch's protocol: pack every instance of a dataset; excess = (mean bins − mean L1) / mean L1.
import type { BinpackDataset } from './dataset.js';
import { packInstance, type PackOptions } from './pack.js';
import type { PackingPolicy } from './packing-policy.js';

export interface InstanceResult {
  readonly id: string;
  readonly bins: number;
  readonly l1: number;
}

export interface DatasetResult {
  readonly dataset: string;
  readonly instances: readonly InstanceResult[];
  readonly meanBins: number;
  readonly meanL1: number;
  /** (meanBins − meanL1) / meanL1, a fraction (0.0642 is 6.42 %). */
  readonly excess: number;
  readonly method: 'indexed' | 'scan';
  readonly reordered: boolean;
}

export function evaluateDataset(policy: PackingPolicy, dataset: BinpackDataset, options: PackOptions = {}): DatasetResult {
  let method: DatasetResult['method'] = 'indexed';
  let reordered = false;
  const instances = dataset.instances.map((inst): InstanceResult => {
    const r = packInstance(policy, inst, options);
    if (r.method === 'scan') method = 'scan';
    reordered ||= r.reordered;
    return { id: inst.id, bins: r.bins, l1: inst.l1 };
  });
  const meanBins = mean(instances.map((r) => r.bins));
  const meanL1 = mean(instances.map((r) => r.l1));
  return { dataset: dataset.name, instances, meanBins, meanL1, excess: (meanBins - meanL1) / meanL1, method, reordered };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
