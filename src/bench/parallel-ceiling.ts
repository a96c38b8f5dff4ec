// The reference for "two workers should approach twice one worker's rate": how much faster this machine
// runs two CPU-bound threads than one, measured in the same run. A machine's two vCPUs need not give
// twice the compute of one (shared physical cores, host quotas, turbo for a lone thread); the workers'
// ratio is only meaningful beside this ceiling.
import { Worker } from 'node:worker_threads';

/** A fixed amount of integer work (~0.5 s on the machines this was written on), nothing allocated. */
const SPIN = `
  const { parentPort, workerData } = require('node:worker_threads');
  let x = 0;
  for (let i = 0; i < workerData; i++) x = (x + (i % 7)) | 0;
  parentPort.postMessage(x);
`;

function spin(iterations: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SPIN, { eval: true, workerData: iterations });
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
}

export interface ParallelCeiling {
  /** Best wall time of one job alone, and of two jobs at once (ms). */
  oneMs: number;
  twoMs: number;
  /** Work done per second by two threads ÷ by one: 2 on two fully independent cores. */
  ratio: number;
}

/** Best of `rounds` alternating measurements of one job alone and two at once. */
export async function parallelCeiling(rounds = 3, iterations = 300_000_000): Promise<ParallelCeiling> {
  let oneMs = Infinity;
  let twoMs = Infinity;
  for (let r = 0; r < rounds; r++) {
    let began = performance.now();
    await spin(iterations);
    oneMs = Math.min(oneMs, performance.now() - began);
    began = performance.now();
    await Promise.all([spin(iterations), spin(iterations)]);
    twoMs = Math.min(twoMs, performance.now() - began);
  }
  return { oneMs, twoMs, ratio: (2 * oneMs) / twoMs };
}
