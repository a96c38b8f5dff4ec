// Nodes, zones, data sources and links for each domain.
//   cloud:   hosts in availability zones az-<k>, no sources, no links.
//   edge:    sites site-<k>, each with one edge server at least, plus servers and battery devices; sources
//            src-<j> sit at sites; servers reach every source (local or remote latency), devices only
//            their own site's sources (radio range); no links.
//   network: hosts in zones az-<k>; every task's data arrives over links src-<j>->az-<k>.
//   hybrid:  cloud hosts in az-<k> plus edge sites as above; a LAN link from every source into its own
//            site and WAN links to cloud zones. Once a scenario has links, data travels only on links, so
//            a source's data reaches its own site or a linked cloud zone, not the other sites.
import type { LinkSpec, NodeSpec } from '../scenario.js';
import type { Rng } from '../random.js';
import { BASE_DEVICE, BASE_EDGE_SERVER, BASE_HOST, CLOUD_HOSTS, DEVICES, EDGE_SERVERS, type NodeType } from './catalogue.js';
import { bernoulli, pick, round, uniform } from './distributions.js';
import type { GeneratorParams } from './params.js';

export interface Topology {
  nodes: NodeSpec[];
  links: LinkSpec[];
  sources: string[];
  /** Zones that hold nodes, in order of first use. */
  zones: string[];
  /** The largest node (most cores, then memory, then first): it never fails, so the scenario stays solvable. */
  protectedNode: string;
}

type Range = { min: number; max: number };
const draw = (rng: Rng, r: Range) => uniform(rng, r.min, r.max);

function chooseType(rng: Rng, base: NodeType, catalogue: readonly NodeType[], heterogeneity: number): NodeType {
  return bernoulli(rng, heterogeneity) ? pick(rng, catalogue) : base;
}

function makeNode(rng: Rng, p: GeneratorParams, type: NodeType, id: string, zone: string): NodeSpec {
  const node: NodeSpec = {
    id,
    kind: type.kind,
    zone,
    cores: type.cores,
    mips: type.mips,
    memory: type.memory,
    mode: bernoulli(rng, p.timeShared) ? 'time-shared' : 'space-shared',
    powerIdle: type.powerIdle,
    powerPeak: type.powerPeak,
    pricePerHour: type.pricePerHour,
    reliability: type.reliability,
    latency: {},
  };
  return node;
}

function cloudHosts(rng: Rng, p: GeneratorParams, count: number, zones: number): NodeSpec[] {
  return Array.from({ length: count }, (_, i) =>
    makeNode(rng, p, chooseType(rng, BASE_HOST, CLOUD_HOSTS, p.heterogeneity), `host-${i}`, `az-${i % zones}`),
  );
}

/** Edge nodes over `sites` sites: node i is at site i mod sites; the first of each site is a server. */
function edgeNodes(rng: Rng, p: GeneratorParams, count: number, sites: number, sources: string[]): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  let servers = 0;
  let devices = 0;
  for (let i = 0; i < count; i++) {
    const site = i % sites;
    const device = i >= sites && bernoulli(rng, p.edge.deviceFraction);
    const type = device
      ? chooseType(rng, BASE_DEVICE, DEVICES, p.heterogeneity)
      : chooseType(rng, BASE_EDGE_SERVER, EDGE_SERVERS, p.heterogeneity);
    const id = device ? `dev-${devices++}` : `edge-${servers++}`;
    const node = makeNode(rng, p, type, id, `site-${site}`);
    sources.forEach((source, j) => {
      const local = j % sites === site;
      if (local) node.latency[source] = round(draw(rng, p.edge.localLatency), 4);
      else if (!device) node.latency[source] = round(draw(rng, p.edge.remoteLatency), 4);
    });
    nodes.push(node);
  }
  return nodes;
}

/** Links from each source to each zone with probability linkDensity; every source keeps one at least. */
function sourceLinks(rng: Rng, p: GeneratorParams, sources: string[], zones: string[]): LinkSpec[] {
  const links: LinkSpec[] = [];
  sources.forEach((source, j) => {
    const chosen = zones.filter(() => bernoulli(rng, p.network.linkDensity));
    if (chosen.length === 0) chosen.push(zones[j % zones.length]!);
    for (const zone of chosen) {
      links.push({
        id: `${source}->${zone}`,
        source,
        zone,
        bandwidth: Math.max(0.1, round(draw(rng, p.network.bandwidth), 1)),
        latency: round(draw(rng, p.network.latency), 4),
      });
    }
  });
  return links;
}

/** Hybrid: a LAN link from each source into its own site (the site of source j is j mod sites). */
function siteLinks(rng: Rng, p: GeneratorParams, sources: string[], edge: readonly NodeSpec[]): LinkSpec[] {
  const sites = new Set(edge.map((n) => n.zone)).size;
  if (sites === 0) return [];
  return sources.map((source, j) => ({
    id: `${source}->site-${j % sites}`,
    source,
    zone: `site-${j % sites}`,
    bandwidth: Math.max(0.1, round(draw(rng, p.edge.lanBandwidth), 1)),
    latency: round(draw(rng, p.edge.localLatency), 4),
  }));
}

const range = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

export function buildTopology(p: GeneratorParams, rng: Rng): Topology {
  const sources = range(p.data.sources, (j) => `src-${j}`);
  const cloudZones = Math.min(p.zones, p.nodes);
  let nodes: NodeSpec[];
  let links: LinkSpec[] = [];
  switch (p.domain) {
    case 'cloud':
      nodes = cloudHosts(rng, p, p.nodes, cloudZones);
      break;
    case 'edge':
      nodes = edgeNodes(rng, p, p.nodes, Math.min(p.edge.sites, p.nodes), sources);
      break;
    case 'network': {
      nodes = cloudHosts(rng, p, p.nodes, cloudZones);
      links = sourceLinks(rng, p, sources, range(cloudZones, (k) => `az-${k}`));
      break;
    }
    case 'hybrid': {
      // Both tiers present whenever there are two nodes or more.
      const cloud = p.nodes === 1 ? 1 : Math.min(p.nodes - 1, Math.max(1, Math.round(p.cloudFraction * p.nodes)));
      const zones = Math.min(p.zones, cloud);
      const hosts = cloudHosts(rng, p, cloud, zones);
      const edge = edgeNodes(rng, p, p.nodes - cloud, Math.max(1, Math.min(p.edge.sites, p.nodes - cloud)), sources);
      nodes = [...hosts, ...edge];
      links = [...siteLinks(rng, p, sources, edge), ...sourceLinks(rng, p, sources, range(zones, (k) => `az-${k}`))];
      break;
    }
    default: {
      const never: never = p.domain;
      throw new Error(`unknown domain ${String(never)}`);
    }
  }
  const zones: string[] = [];
  for (const n of nodes) if (!zones.includes(n.zone)) zones.push(n.zone);
  let biggest = nodes[0]!;
  for (const n of nodes) if (n.cores > biggest.cores || (n.cores === biggest.cores && n.memory > biggest.memory)) biggest = n;
  return { nodes, links, sources, zones, protectedNode: biggest.id };
}
