// Every baseline by name: the seed population of the defender and the yardstick of "solved".
import type { PolicyDocument } from '../policy/document.js';
import { costGreedy, latencyGreedy } from './cost-latency.js';
import { bestFit, firstFit, firstFitDecreasing, nextFit, random, roundRobin, worstFit } from './fit.js';
import {
  kubernetesBalancedAllocation,
  kubernetesDefault,
  kubernetesLeastAllocated,
  kubernetesMostAllocated,
} from './kubernetes.js';
import { drf, edf, priority, sjf } from './queue-order.js';
import { alphaEvolveBorg, l2Norm, tetris } from './vector-packing.js';

const ALL: readonly PolicyDocument[] = [
  random,
  roundRobin,
  firstFit,
  nextFit,
  firstFitDecreasing,
  bestFit,
  worstFit,
  kubernetesMostAllocated,
  kubernetesLeastAllocated,
  kubernetesBalancedAllocation,
  kubernetesDefault,
  tetris,
  l2Norm,
  alphaEvolveBorg,
  sjf,
  edf,
  priority,
  drf,
  costGreedy,
  latencyGreedy,
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// Frozen: every run, test and mind shares these documents, so one that edited a baseline in place would
// silently change every later evaluation against it.
export const baselines: Readonly<Record<string, PolicyDocument>> = deepFreeze(Object.fromEntries(ALL.map((d) => [d.name, d])));

/** Baseline names in a fixed, documented order. */
export const baselineNames: readonly string[] = ALL.map((d) => d.name);
