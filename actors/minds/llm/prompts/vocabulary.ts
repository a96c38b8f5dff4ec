// What the defender is told about the policy language: the document's fields, the grammar in brief, the
// functions, and every feature it may read with unit and meaning, straight from the registry the
// compiler checks against, so the prompt and the checker never disagree.
import { FUNCTION_NAMES } from '../../../../sim/policy/ast.js';
import { FEATURES } from '../../../../sim/policy/features.js';

/** Features left out of prompts: a score term drawn afresh at every decision only adds noise. */
const HIDDEN = new Set(['random']);

function line(f: (typeof FEATURES)[number]): string {
  return `- ${f.name} (${f.unit}): ${f.doc}`;
}

export function featureVocabulary(): string {
  // Bin-packing-only features are compile errors in the scheduling policies the defender writes.
  const shown = FEATURES.filter((f) => !HIDDEN.has(f.name) && f.scheduling !== false);
  return [
    'Task features (valid everywhere: order key, admit, filter, score):',
    ...shown.filter((f) => !f.needsNode).map(line),
    '',
    'Node features (valid only in filter and score, which see one candidate node):',
    ...shown.filter((f) => f.needsNode).map(line),
  ].join('\n');
}

export function policyLanguage(): string {
  return [
    'A policy is a JSON document; its expressions are parsed and type-checked, never run as code.',
    '- order: a named order (fifo, sjf, ljf, largest-first, edf, priority, drf) or {"key": <number expression over task features>, "direction": "asc"|"desc"}: which ready task is placed first.',
    '- filter: a condition over task and node features: may this task go on this node? Keep capacity checks such as node.free_cores_after >= 0 and node.free_memory_after >= 0.',
    '- score: a number over task and node features; the passing node with the highest score wins.',
    '- admit (optional): a condition over task features; false drops the task on arrival.',
    'Expressions: numbers, features, + - * / ^, comparisons < <= > >= == !=, and/or/not, true/false,',
    `if <condition> then <a> else <b>, and the functions ${FUNCTION_NAMES.join(', ')}.`,
    'Division by zero, log of a non-positive number and other non-finite results are faults that fail the policy: guard them (e.g. x / (1 + y)).',
  ].join('\n');
}
