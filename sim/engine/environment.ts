// Piecewise-constant environment state: price multipliers per zone and congestion factors per link and
// zone. Cost is integrated exactly through a per-zone running integral of the multiplier, so a price
// change costs O(zones), not O(open nodes).
import type { World } from './world.js';

export class EnvironmentState {
  /** Multiplier in force per zone. */
  readonly zoneMultiplier: Float64Array;
  /** ∫ multiplier dt per zone up to zoneIntegralAt. */
  private readonly zoneIntegral: Float64Array;
  private readonly zoneIntegralAt: Float64Array;
  /** Congestion factor in force per zone (edge latencies are divided by it) and per link (bandwidth × it). */
  readonly zoneFactor: Float64Array;
  readonly linkFactor: Float64Array;
  /** Whether each congestion window of the scenario is in force. */
  private readonly windowActive: Uint8Array;
  private readonly linkIndexById = new Map<string, number>();

  constructor(private readonly world: World) {
    const Z = world.zones.length;
    this.zoneMultiplier = new Float64Array(Z).fill(1);
    this.zoneIntegral = new Float64Array(Z);
    this.zoneIntegralAt = new Float64Array(Z);
    this.zoneFactor = new Float64Array(Z).fill(1);
    this.linkFactor = new Float64Array(world.L).fill(1);
    this.windowActive = new Uint8Array(world.scenario.environment.congestion.length);
    world.scenario.links.forEach((l, i) => {
      if (!this.linkIndexById.has(l.id)) this.linkIndexById.set(l.id, i);
    });
  }

  /** ∫ multiplier dt for zone z from 0 to t (t not before the last price change). */
  integralAt(z: number, t: number): number {
    return this.zoneIntegral[z] + this.zoneMultiplier[z] * (t - this.zoneIntegralAt[z]);
  }

  /** Applies price change i of the scenario at time t. */
  applyPrice(i: number, t: number): void {
    const change = this.world.scenario.environment.prices[i];
    const zones =
      change.zone === undefined
        ? this.world.zones.map((_, z) => z)
        : this.world.zoneIndex.has(change.zone)
          ? [this.world.zoneIndex.get(change.zone)!]
          : [];
    for (const z of zones) {
      this.zoneIntegral[z] = this.integralAt(z, t);
      this.zoneIntegralAt[z] = t;
      this.zoneMultiplier[z] = change.multiplier;
    }
  }

  /**
   * Starts or ends congestion window i and recomputes every factor. With several windows in force on
   * the same target, the strongest (smallest factor) applies. Returns the links whose factor changed
   * with their new factor, so their transfers can be settled at the old rate first.
   */
  setWindow(i: number, active: boolean): Array<[link: number, factor: number]> {
    this.windowActive[i] = active ? 1 : 0;
    const windows = this.world.scenario.environment.congestion;
    const w = this.world;
    this.zoneFactor.fill(1);
    const linkF = new Float64Array(w.L).fill(1);
    for (let k = 0; k < windows.length; k++) {
      if (!this.windowActive[k]) continue;
      const { target, factor } = windows[k];
      const z = w.zoneIndex.get(target);
      if (z !== undefined) {
        if (factor < this.zoneFactor[z]) this.zoneFactor[z] = factor;
        for (let l = 0; l < w.L; l++) if (w.linkZone[l] === z && factor < linkF[l]) linkF[l] = factor;
      }
      const l = this.linkIndexById.get(target);
      if (l !== undefined && factor < linkF[l]) linkF[l] = factor;
    }
    const changed: Array<[number, number]> = [];
    for (let l = 0; l < w.L; l++) if (linkF[l] !== this.linkFactor[l]) changed.push([l, linkF[l]]);
    return changed;
  }

  /** Multiplier in force for node n's zone. */
  multiplierOfNode(n: number): number {
    return this.zoneMultiplier[this.world.nodeZone[n]];
  }
}
