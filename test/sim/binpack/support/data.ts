// The bin-packing benchmark files in ../shared/data/binpack (outside the repository).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseBinpackDataset, type BinpackDataset } from '../../../../sim/binpack/dataset.js';

export const BINPACK_DATA_DIR = fileURLToPath(new URL('../../../../../shared/data/binpack/', import.meta.url));

export function loadDataset(name: string): BinpackDataset {
  const file = `${BINPACK_DATA_DIR}${name}.json`;
  return parseBinpackDataset(JSON.parse(readFileSync(file, 'utf8')), `${name}.json`);
}
