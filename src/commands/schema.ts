// `aurora schema <scenario|policy>`: JSON Schemas for outside tools.
import { z } from 'zod';
import { Scenario } from '../../sim/scenario.js';
import { PolicyDocument } from '../../sim/policy/document.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';

const schemas: Record<string, () => unknown> = {
  scenario: () => z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' }),
  policy: () => z.toJSONSchema(PolicyDocument, { io: 'input', unrepresentable: 'any' }),
};

export const command: Command = {
  summary: 'print the JSON Schema of a scenario or a policy',
  async run(argv) {
    const [which] = argv;
    const make = which === undefined ? undefined : schemas[which];
    if (!make) throw new CliError(`expected one of: ${Object.keys(schemas).join(', ')}`);
    process.stdout.write(JSON.stringify(make(), null, 2) + '\n');
    return 0;
  },
};
