// Policy document → CompiledPolicy: validate the document (zod), parse and type-check each expression,
// compile each to closures, and prepare explanations. Every problem is one PolicyCompileError line
// naming the field and the column.
import type { DecisionContext, TaskView } from '../decision-context.js';
import type { Expr, ExprType, Spans } from './ast.js';
import { additiveTerms, conjuncts } from './ast.js';
import { checkExpression, type PolicyDomain } from './check.js';
import { compileBoolean, compileNumber, type BooleanFn, type ExpressionKind, type NumberFn } from './closure.js';
import { PolicyCompileError, PolicyRuntimeError, type CompiledPolicy, type ScoreTerm } from './compiled.js';
import { PolicyDocument } from './document.js';
import { featureDef } from './features.js';
import { SyntaxProblem } from './lexer.js';
import { NAMED_ORDERS } from './named-orders.js';
import { parseExpression } from './parser.js';
import { printExpression } from './printer.js';

export interface CompileOptions {
  /** 'scheduling' (default): every feature. 'binpack': bin features only, and no admit. */
  readonly domain?: PolicyDomain;
}

/** One checked expression of a policy. */
export interface PolicyExpression {
  readonly source: string;
  readonly expr: Expr;
  readonly spans: Spans;
  /** Feature names it reads, sorted. */
  readonly features: readonly string[];
}

/** A compiled policy plus what analyses (bin packing's exact index, the evolver) need. */
export interface PolicyProgram extends CompiledPolicy {
  readonly domain: PolicyDomain;
  readonly expressions: {
    readonly order: PolicyExpression;
    readonly filter: PolicyExpression;
    readonly score: PolicyExpression;
    readonly admit?: PolicyExpression;
  };
  /** The order sorts descending (its key is negated in orderKey). */
  readonly orderDescending: boolean;
}

/** Parses and checks one expression source; all failures become PolicyCompileError for `field`. */
export function checkSource(
  source: string,
  field: string,
  expected: ExprType,
  nodeAllowed: boolean,
  domain: PolicyDomain = 'scheduling',
): PolicyExpression {
  let parsed;
  try {
    parsed = parseExpression(source);
  } catch (err) {
    if (err instanceof SyntaxProblem) throw new PolicyCompileError(err.message, field, err.position);
    throw err;
  }
  const { features } = checkExpression(parsed.expr, { field, expected, nodeAllowed, domain, spans: parsed.spans });
  return { source, expr: parsed.expr, spans: parsed.spans, features };
}

function documentOf(input: unknown): PolicyDocument {
  const result = PolicyDocument.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return failSchema(path === '' ? 'policy' : path, message);
}

function failSchema(field: string, message: string): never {
  throw new PolicyCompileError(message, field, -1);
}

export function compilePolicy(input: unknown, options: CompileOptions = {}): PolicyProgram {
  const domain = options.domain ?? 'scheduling';
  const document = documentOf(input);

  // Order: a named discipline is its key written out; errors in it name the discipline.
  let orderSource: string;
  let orderDescending: boolean;
  let order: PolicyExpression;
  if (typeof document.order === 'string') {
    const named = NAMED_ORDERS[document.order];
    orderSource = named.key;
    orderDescending = named.direction === 'desc';
    try {
      order = checkSource(orderSource, 'order', 'number', false, domain);
    } catch (err) {
      if (err instanceof PolicyCompileError) failSchema('order', `'${document.order}' orders by ${named.key}, which ${domain === 'binpack' ? 'has no meaning in bin packing' : 'is not available'}`);
      throw err;
    }
  } else {
    orderSource = document.order.key;
    orderDescending = document.order.direction === 'desc';
    order = checkSource(orderSource, 'order.key', 'number', false, domain);
  }
  const filter = checkSource(document.filter, 'filter', 'boolean', true, domain);
  const score = checkSource(document.score, 'score', 'number', true, domain);
  let admit: PolicyExpression | undefined;
  if (document.admit !== undefined) {
    if (domain === 'binpack') failSchema('admit', 'bin packing cannot reject items: leave admit out');
    admit = checkSource(document.admit, 'admit', 'boolean', false, domain);
  }

  const orderFn = compileNumber(order.expr, 'order', typeof document.order === 'string' ? 'order' : 'order.key');
  const filterFn = compileBoolean(filter.expr, 'filter');
  const scoreFn = compileNumber(score.expr, 'score');
  const admitFn: BooleanFn = admit === undefined ? () => true : compileBoolean(admit.expr, 'admit');
  const dynamicOrder = order.features.some((f) => featureDef(f)!.depends !== 'static');
  const nodeFeatures: ReadonlySet<string> = new Set([...filter.features, ...score.features].sort());
  const explain = explainer(filter.expr, score.expr, scoreFn);

  return {
    document,
    domain,
    expressions: admit === undefined ? { order, filter, score } : { order, filter, score, admit },
    orderDescending,
    dynamicOrder,
    nodeFeatures,
    orderKey(task: TaskView, ctx: DecisionContext): number {
      // The key reads ctx.task; the engine's context is borrowed for the call and restored.
      const savedTask = ctx.task;
      const savedNode = ctx.node;
      ctx.task = task;
      ctx.node = null;
      try {
        const k = orderFn(ctx);
        return orderDescending ? -k : k;
      } finally {
        ctx.task = savedTask;
        ctx.node = savedNode;
      }
    },
    filter: filterFn,
    score: scoreFn,
    admit: admitFn,
    explain,
  };
}

interface Part<F> {
  readonly label: string;
  readonly fn: F;
}

function explainer(filter: Expr, score: Expr, scoreFn: NumberFn): CompiledPolicy['explain'] {
  const terms: Part<NumberFn>[] = additiveTerms(score).map((t) => part(t, 'score', compileNumber));
  const tests: Part<BooleanFn>[] = conjuncts(filter).map((t) => part(t, 'filter', compileBoolean));
  return (ctx) => {
    const failed: string[] = [];
    for (const t of tests) {
      try {
        if (!t.fn(ctx)) failed.push(t.label);
      } catch (err) {
        if (!(err instanceof PolicyRuntimeError)) throw err;
        failed.push(`${t.label} (${err.message})`);
      }
    }
    // The filter is the conjunction of its conjuncts, so it passed exactly when none failed. A node
    // the filter rejects may have no defined score; that is no fault of the policy.
    const passed = failed.length === 0;
    try {
      const value = scoreFn(ctx);
      const parts: ScoreTerm[] = terms.length === 1 ? [{ label: terms[0]!.label, value }] : terms.map((t) => ({ label: t.label, value: t.fn(ctx) }));
      return { terms: parts, score: value, failed };
    } catch (err) {
      if (passed || !(err instanceof PolicyRuntimeError)) throw err;
      return { terms: [], score: Number.NEGATIVE_INFINITY, failed };
    }
  };
}

function part<F>(e: Expr, kind: ExpressionKind, compile: (e: Expr, kind: ExpressionKind) => F): Part<F> {
  return { label: printExpression(e), fn: compile(e, kind) };
}
