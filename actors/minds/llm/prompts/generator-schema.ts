// The attacker's answer space in words: every knob of the workload generator with its type, range and
// meaning, one line each, derived from the schema the answer is checked against (sim/workload/params.ts).
import { z } from 'zod';
import { GeneratorParams } from '../../../../sim/workload/params.js';

type Schema = { type?: string; properties?: Record<string, Schema>; enum?: unknown[]; minimum?: number; maximum?: number; description?: string };

/** Fields the curriculum forces: the model need not (and cannot) choose them. */
const FORCED = new Set(['domain', 'level', 'tasks', 'nodes']);

function walk(schema: Schema, path: string, out: string[]): void {
  if (schema.type === 'object' && schema.properties) {
    if (path !== '' && schema.description) out.push(`${path}: ${schema.description}`);
    for (const key of Object.keys(schema.properties).sort()) {
      if (path === '' && FORCED.has(key)) continue;
      walk(schema.properties[key]!, path === '' ? key : `${path}.${key}`, out);
    }
    return;
  }
  const kind = schema.enum ? `one of ${schema.enum.map(String).join(' | ')}` : `${schema.type ?? 'value'}${schema.minimum !== undefined || schema.maximum !== undefined ? ` in [${schema.minimum ?? '−∞'}, ${schema.maximum ?? '∞'}]` : ''}`;
  out.push(`${path} (${kind})${schema.description ? `: ${schema.description}` : ''}`);
}

let cached: string | null = null;

export function generatorKnobs(): string {
  if (cached === null) {
    const out: string[] = [];
    walk(z.toJSONSchema(GeneratorParams, { io: 'input', unrepresentable: 'any' }) as Schema, '', out);
    cached = out.join('\n');
  }
  return cached;
}
