// Environment events over the arrival horizon H: node failures, congestion windows, price spikes.
import type { Environment, LinkSpec, NodeSpec } from '../scenario.js';
import type { Rng } from '../random.js';
import { bernoulli, clamp, exponential, pick, round, sampleWithoutReplacement, uniform } from './distributions.js';
import type { GeneratorParams } from './params.js';

type Failure = Environment['failures'][number];
type Congestion = Environment['congestion'][number];
type PriceChange = Environment['prices'][number];

/**
 * round(fraction × nodes) nodes fail once, at U(0.05, 0.9)·H; less reliable nodes are likelier to be
 * chosen (weight 1 − reliability), and `protectedNode` never is. Down for Exp(downtime·H), or for good
 * with probability `permanent`.
 */
export function generateFailures(p: GeneratorParams, nodes: readonly NodeSpec[], protectedNode: string, horizon: number, rng: Rng): Failure[] {
  const count = Math.min(nodes.length - 1, Math.round(p.failures.fraction * nodes.length));
  if (count <= 0) return [];
  const weights = nodes.map((n) => (n.id === protectedNode ? 0 : 1 - n.reliability + 1e-3));
  const chosen = sampleWithoutReplacement(rng, weights, count).sort((a, b) => a - b);
  return chosen.map((i) => {
    const at = round(uniform(rng, 0.05, 0.9) * horizon);
    if (bernoulli(rng, p.failures.permanent)) return { node: nodes[i]!.id, at };
    const down = Math.max(0.001, exponential(rng, p.failures.downtime * horizon));
    return { node: nodes[i]!.id, at, until: round(at + Math.max(0.001, round(down))) };
  });
}

/** Windows of length·H on a random link (half the time, when there are links) or zone. */
export function generateCongestion(p: GeneratorParams, links: readonly LinkSpec[], zones: readonly string[], horizon: number, rng: Rng): Congestion[] {
  const out: Congestion[] = [];
  const length = Math.max(0.001, p.congestion.length * horizon);
  for (let i = 0; i < p.congestion.windows; i++) {
    const target = links.length > 0 && rng.float() < 0.5 ? pick(rng, links).id : pick(rng, zones);
    const from = round(uniform(rng, 0, Math.max(0, horizon - length)));
    const factor = round(clamp(1 - p.congestion.severity * uniform(rng, 0.5, 1), 0.05, 1), 3);
    out.push({ target, from, until: round(from + Math.max(0.001, round(length))), factor });
  }
  return out.sort((a, b) => a.from - b.from);
}

/**
 * Spikes in disjoint slots of H/spikes: each sets a multiplier (all zones, or one zone with probability
 * `zonal`) and sets it back to 1 when it ends, so no spike overlaps another.
 */
export function generatePrices(p: GeneratorParams, zones: readonly string[], horizon: number, rng: Rng): PriceChange[] {
  const out: PriceChange[] = [];
  const k = p.prices.spikes;
  if (k === 0) return out;
  const slot = horizon / k;
  const length = Math.max(0.001, Math.min(p.prices.length * horizon, slot * 0.9));
  for (let i = 0; i < k; i++) {
    const at = round(i * slot + uniform(rng, 0, slot - length));
    const multiplier = round(1 + (p.prices.multiplier - 1) * uniform(rng, 0.5, 1), 2);
    const zone = bernoulli(rng, p.prices.zonal) ? pick(rng, zones) : undefined;
    const end = round(at + Math.max(0.001, round(length)));
    out.push(zone === undefined ? { at, multiplier } : { at, multiplier, zone });
    out.push(zone === undefined ? { at: end, multiplier: 1 } : { at: end, multiplier: 1, zone });
  }
  return out;
}
