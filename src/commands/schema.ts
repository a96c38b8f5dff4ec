// `aurora schema <scenario|policy|events [Type]>`: JSON Schemas for outside tools. `events` prints
// {type: JSON Schema of the whole event envelope} for every event type; `events <Type>` just that one.
import { z } from 'zod';
import { Scenario } from '../../sim/scenario.js';
import { PolicyDocument } from '../../sim/policy/document.js';
import { eventTypes, isEventType } from '../../events/catalogue.js';
import { eventJsonSchema, eventJsonSchemas } from '../../events/json-schema.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';

const schemas: Record<string, (rest: string[]) => unknown> = {
  scenario: () => z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' }),
  policy: () => z.toJSONSchema(PolicyDocument, { io: 'input', unrepresentable: 'any' }),
  events: ([type]) => {
    if (type === undefined) return eventJsonSchemas();
    if (!isEventType(type)) throw new CliError(`unknown event type '${type}' (one of: ${eventTypes.join(', ')})`);
    return eventJsonSchema(type);
  },
};

export const command: Command = {
  summary: 'print the JSON Schema of a scenario, a policy, or every event type',
  async run(argv) {
    const [which, ...rest] = argv;
    if (which === '--help' || which === '-h') {
      process.stdout.write('usage: aurora schema <scenario | policy | events [EventType]>\n');
      return 0;
    }
    const make = which === undefined ? undefined : schemas[which];
    if (!make) throw new CliError(`expected one of: ${Object.keys(schemas).join(', ')}`);
    if (rest.length > (which === 'events' ? 1 : 0)) throw new CliError(`unexpected argument '${rest[rest.length - 1]}'`);
    process.stdout.write(JSON.stringify(make(rest), null, 2) + '\n');
    return 0;
  },
};
