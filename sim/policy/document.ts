// A policy is data: a JSON document whose expressions are parsed and checked, never evaluated as code.
import { z } from 'zod';

export const NamedOrder = z.enum(['fifo', 'sjf', 'ljf', 'largest-first', 'edf', 'priority', 'drf', 'random']);
export type NamedOrder = z.infer<typeof NamedOrder>;

export const OrderSpec = z.union([
  NamedOrder,
  z
    .object({
      key: z.string().min(1).describe('expression over task features; the queue is sorted by it'),
      direction: z.enum(['asc', 'desc']).default('asc'),
    })
    .strict(),
]);
export type OrderSpec = z.infer<typeof OrderSpec>;

export const PolicyDocument = z
  .object({
    name: z.string().min(1).max(200),
    explain: z.string().max(10_000).default('').describe('what the policy does and why, in words'),
    order: OrderSpec.default('fifo').describe('queue discipline: which ready task is placed first'),
    filter: z.string().default('true').describe('boolean expression: may this task go on this node?'),
    score: z.string().min(1).describe('number expression: the node with the highest score wins; ties go to the lowest node index'),
    admit: z.string().optional().describe('boolean expression over task features: false rejects (drops) the task on arrival'),
    nodesToScore: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('score at most this many feasible nodes per decision, like Kubernetes percentageOfNodesToScore (absent: all)'),
    author: z.string().optional(),
  })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type PolicyDocumentInput = z.input<typeof PolicyDocument>;
