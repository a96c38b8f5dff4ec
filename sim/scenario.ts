// The scenario model: what the attacker writes and the simulator runs.
// Units throughout: time in seconds, memory in GB, CPU length in million instructions (MI) per core,
// speed in MIPS per core, power in W, price per hour, data in MB, bandwidth in Mbit/s.
import { z } from 'zod';

const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const nonNegative = () => finite().refine((v) => v >= 0, { message: 'must not be negative' });
const positive = () => finite().refine((v) => v > 0, { message: 'must be greater than 0' });
const id = () => z.string().min(1).max(200);

export const Domain = z.enum(['cloud', 'edge', 'network', 'hybrid']);
export type Domain = z.infer<typeof Domain>;

export const SchedulingMode = z.enum(['space-shared', 'time-shared']);
export type SchedulingMode = z.infer<typeof SchedulingMode>;

export const NodeKind = z.enum(['host', 'edge-server', 'device']);
export type NodeKind = z.infer<typeof NodeKind>;

export const NodeSpec = z
  .object({
    id: id(),
    kind: NodeKind.default('host').describe('host: a cloud server; edge-server and device: edge tier'),
    zone: z.string().default('default').describe('placement zone; congestion windows may target it'),
    cores: z.number().int().min(1).describe('CPU cores'),
    mips: positive().describe('speed of one core in MIPS'),
    memory: nonNegative().default(0).describe('memory in GB (0: memory is not modelled on this node)'),
    mode: SchedulingMode.default('time-shared').describe(
      'time-shared: running tasks share the cores in proportion to what each asks for; space-shared: cores are reserved and the rest queue',
    ),
    powerIdle: nonNegative().default(0).describe('power drawn while open and idle, W'),
    powerPeak: nonNegative().default(0).describe('power drawn while open and fully busy, W'),
    pricePerHour: nonNegative().default(0).describe('price per hour while open'),
    reliability: finite()
      .refine((v) => v >= 0 && v <= 1, { message: 'must be between 0 and 1' })
      .default(1)
      .describe('advertised probability of staying up; a policy feature, failures come from the environment'),
    energyBudget: positive().optional().describe('edge battery or energy budget in J; the node dies when it is spent'),
    latency: z
      .record(z.string(), nonNegative())
      .default({})
      .describe('one-way latency in s from each data source to this node (edge)'),
  })
  .strict();
export type NodeSpec = z.infer<typeof NodeSpec>;

export const LinkSpec = z
  .object({
    id: id(),
    source: z.string().min(1).describe('data source the link starts from'),
    zone: z.string().min(1).describe('zone the link delivers to'),
    bandwidth: positive().describe('capacity in Mbit/s, shared fairly by the transfers on it'),
    latency: nonNegative().default(0).describe('propagation delay in s'),
  })
  .strict();
export type LinkSpec = z.infer<typeof LinkSpec>;

export const TaskSpec = z
  .object({
    id: id(),
    arrival: nonNegative().describe('arrival time, s'),
    cores: z.number().int().min(1).describe('cores asked for'),
    length: positive().optional().describe('work in MI per core'),
    duration: positive().optional().describe('run time in s on its cores, whatever their speed (instead of length)'),
    memory: nonNegative().default(0).describe('memory in GB'),
    priority: z.number().int().min(1).max(5).default(3).describe('1 (lowest) to 5 (highest)'),
    sla: positive().optional().describe('latency objective in s: finish − arrival must not exceed it'),
    deps: z.array(id()).default([]).describe('ids of tasks that must finish before this one may start'),
    utilisation: finite()
      .refine((v) => v > 0 && v <= 1, { message: 'must be in (0, 1]' })
      .default(1)
      .describe("CPU utilisation factor: the task runs at this fraction of its share's speed"),
    source: z.string().optional().describe('data source the task reads from (edge and network)'),
    dataSize: nonNegative().default(0).describe('input data to transfer from the source, MB'),
    tenant: z.string().default('default').describe('owner, for fairness (DRF) and reporting'),
  })
  .strict()
  .refine((t) => (t.length === undefined) !== (t.duration === undefined), {
    message: 'give exactly one of length (MI per core) or duration (s)',
  });
export type TaskSpec = z.infer<typeof TaskSpec>;

export const NodeFailure = z
  .object({
    node: id(),
    at: nonNegative().describe('time the node fails, s'),
    until: nonNegative().optional().describe('time it recovers, s (absent: never)'),
  })
  .strict()
  .refine((f) => f.until === undefined || f.until > f.at, { message: 'until must be after at' });

export const Congestion = z
  .object({
    target: z.string().min(1).describe('a link id, or a zone (then every link into it and every edge latency to it)'),
    from: nonNegative(),
    until: nonNegative(),
    factor: finite()
      .refine((v) => v > 0 && v <= 1, { message: 'must be in (0, 1]' })
      .describe('fraction of bandwidth left; latencies are divided by it'),
  })
  .strict()
  .refine((c) => c.until > c.from, { message: 'until must be after from' });

export const PriceChange = z
  .object({
    at: nonNegative().describe('time the multiplier takes effect, s'),
    multiplier: positive().describe('applies to pricePerHour from then on'),
    zone: z.string().optional().describe('only this zone (absent: every zone)'),
  })
  .strict();

export const Environment = z
  .object({
    failures: z.array(NodeFailure).default([]),
    congestion: z.array(Congestion).default([]),
    prices: z.array(PriceChange).default([]),
  })
  .strict();
export type Environment = z.infer<typeof Environment>;

export const ObjectiveWeights = z
  .object({
    latency: nonNegative().default(0.3),
    cost: nonNegative().default(0.2),
    energy: nonNegative().default(0.1),
    qos: nonNegative().default(0.3),
    utilisation: nonNegative().default(0.1),
  })
  .strict();
export type ObjectiveWeights = z.infer<typeof ObjectiveWeights>;

export const Scenario = z
  .object({
    schemaVersion: z.literal(1).default(1),
    id: id(),
    description: z.string().max(10_000).default(''),
    domain: Domain,
    level: z.number().int().min(1).max(10).optional().describe('curriculum level it was generated for'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0).describe('seed for anything random a policy uses'),
    nodes: z.array(NodeSpec).min(1),
    links: z.array(LinkSpec).default([]),
    tasks: z.array(TaskSpec),
    environment: Environment.default({ failures: [], congestion: [], prices: [] }),
    objectives: ObjectiveWeights.default({ latency: 0.3, cost: 0.2, energy: 0.1, qos: 0.3, utilisation: 0.1 }),
    maxRetries: z.number().int().min(0).default(3).describe('times a task killed by a failure is re-queued'),
    provenance: z.record(z.string(), z.unknown()).optional().describe('where the scenario came from'),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
