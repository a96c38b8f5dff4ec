// One placement decision: which node, if any, takes a ready task now.
//
// The answer is always the full scan's: every up node the engine does not exclude is run through the
// policy's filter, the survivors are scored, and the highest score wins with ties to the lowest node
// index (with nodesToScore = k, nodes are visited cyclically from the one after the last placement
// and only the first k survivors are scored). Faster ways of computing it give the same answer:
//  - indexed: evaluate one representative per candidate-index bucket (candidate-index.ts); an
//    evaluation that reads something non-uniform abandons the index (undoing random draws) and the
//    run continues with full scans;
//  - restricted: a task whose previous decision failed without volatile reads is re-decided on the
//    nodes changed since, or skipped when there are none (change-log.ts);
//  - alike: a task whose read fields equal those of a task that failed at the same change-log
//    position fails too (failure-memo.ts).
// fullScan turns all of them off. The property tests compare both paths on generated scenarios.
// Policy faults (PolicyRuntimeError) propagate to the engine with the node being evaluated recorded.
import type { PolicyProgram } from '../policy/compile.js';
import type { CompiledPolicy } from '../policy/compiled.js';
import { PolicyRuntimeError } from '../policy/compiled.js';
import { featureDef } from '../policy/features.js';
import { monotonicityIn } from '../policy/monotonicity.js';
import type { CandidateIndex } from './candidate-index.js';
import type { ChangeLog } from './change-log.js';
import { FailureMemo } from './failure-memo.js';
import type { CandidateExplanation, ExcludedExplanation, Explanation } from './explanation.js';
import type { NodeState } from './node-state.js';
import type { TaskState } from './task-state.js';
import {
  READ_INDEX,
  READ_NODE_DRIFT,
  READ_NODE_UNKEYED,
  READ_RANDOM,
  READ_VOLATILE,
  TASK_CORES,
  TASK_DATA,
  TASK_MEMORY,
  TASK_SOURCE,
  type Flyweights,
  type PolicyRandom,
  type RunFacts,
} from './views.js';
import { StaticFit, type World } from './world.js';

/**
 * An optional promise a hand-built policy may make so that first-fit-like scores can use the index:
 * its score never increases when only node.index increases. Compiled policies need not make it: it is
 * derived from their score expression (see scoreNonIncreasingInIndex).
 */
export interface IndexOrderHint {
  readonly scoreNonIncreasingInIndex?: boolean;
}

/**
 * Whether the lowest-index node of a bucket is always the best-scoring one of that bucket: true when the
 * policy promises it, or when the compiled score reads no positional feature other than node.index and
 * the policy language's monotonicity analysis proves the score non-increasing in node.index.
 */
export function scoreNonIncreasingInIndex(policy: CompiledPolicy): boolean {
  if ((policy as CompiledPolicy & IndexOrderHint).scoreNonIncreasingInIndex === true) return true;
  const program = policy as Partial<PolicyProgram>;
  const score = program.expressions?.score;
  if (score === undefined) return false;
  const positional = (name: string): boolean => {
    const depends = featureDef(name)?.depends;
    return depends === undefined || depends === 'index' || depends === 'rr';
  };
  if (score.features.some((f) => f !== 'node.index' && positional(f))) return false;
  const m = monotonicityIn('node.index', score.expr);
  return m === 'const' || m === 'dec';
}

/** Task fields the engine's own exclusions read (fit, memory short, reachability, links). */
const ENGINE_TASK_FIELDS = TASK_CORES | TASK_MEMORY | TASK_SOURCE | TASK_DATA;

const enum Verdict {
  Excluded = 0,
  Filtered = 1,
  Scored = 2,
}

/** Thrown inside the engine when a policy fault must stop the run. */
export class PolicyFault extends Error {
  constructor(
    readonly fault: PolicyRuntimeError,
    readonly node: number,
  ) {
    super(fault.message);
  }
}

export class Decider {
  private index: CandidateIndex | null;
  private readonly skip: boolean;
  private readonly hintIndex: boolean;
  private readonly buf: Int32Array;
  // Results of the last evaluate() call.
  private score = 0;
  private reason: StaticFit | -1 = -1;
  private filterReads = 0;
  private scoreReads = 0;
  /** Reads of the whole current decision (for skip-safety). */
  private decisionReads = 0;
  /** Filter evaluations so far (each may be followed by a score): the engine's per-run budget counts them. */
  evaluations = 0;
  /** Set when the last decision was abandoned by the index (for tests and stats). */
  indexAbandoned = false;
  stats = { full: 0, indexed: 0, restricted: 0, skipped: 0, alike: 0 };
  /** Which queued tasks are known to fail (failure-memo.ts). */
  readonly memo: FailureMemo;

  explainTask = -1;
  explanation: Explanation | null = null;
  private explanationPlaced = false;

  constructor(
    private readonly world: World,
    private readonly nodes: NodeState,
    private readonly tasks: TaskState,
    private readonly policy: CompiledPolicy,
    private readonly fw: Flyweights,
    private readonly facts: RunFacts,
    private readonly random: PolicyRandom,
    index: CandidateIndex | null,
    private readonly log: ChangeLog,
    skip: boolean,
  ) {
    this.index = policy.document.nodesToScore === undefined ? index : null;
    this.skip = skip;
    this.hintIndex = scoreNonIncreasingInIndex(policy);
    this.buf = new Int32Array(world.N);
    this.memo = new FailureMemo(world, tasks);
  }

  /** Whether the candidate index is (still) in use; the engine stops maintaining it once it is not. */
  get indexed(): boolean {
    return this.index !== null;
  }

  /**
   * True when every queued task filed under a key fails now and `fresh` fresh tasks are the only
   * others: the pass may jump to the next fresh task.
   */
  onlyFreshUndecided(fresh: number): boolean {
    return this.skip && this.memo.unknownCount === fresh && this.memo.allKeysFailed(this.log.position);
  }

  /** Whether a queued task must be retried at every event time (fresh, or its failure was volatile). */
  get anyVolatile(): boolean {
    return this.memo.unknownCount > 0;
  }

  /** Chooses a node for task t now, or -1; records the failure for later skipping. */
  decide(t: number): number {
    const tasks = this.tasks;
    this.fw.task.t = t;
    this.facts.taskReads = ENGINE_TASK_FIELDS;
    if (t === this.explainTask) return this.finish(t, this.full(t, true), false);
    if (!this.skip) return this.finish(t, this.index !== null ? this.indexedDecision(t) : this.full(t, false), false);
    const pos = this.log.position;
    const memo = this.memo;
    const own = memo.own[t];
    // Filed under a key that failed at this position: it fails, in O(1).
    if (own >= 0 && memo.failedAt(own) === pos) {
      tasks.failedAt[t] = pos;
      memo.markFailed(own, pos);
      this.stats.skipped++;
      return -1;
    }
    // A task like one that failed at this position fails too.
    if (t !== this.explainTask) {
      const id = memo.lookup(t, pos);
      if (id >= 0) {
        tasks.failedAt[t] = pos;
        tasks.failedVolatile[t] = 0;
        tasks.failMask[t] = memo.maskOf(id);
        memo.file(t, id, pos);
        this.stats.alike++;
        return -1;
      }
    }
    if (own >= 0) {
      // Its failure stands from the last position its key failed at: only nodes changed since matter.
      const limit = Math.max(2, this.world.N >> 2);
      const k = this.log.changedSince(memo.failedAt(own), this.buf, limit);
      if (k === 0) {
        tasks.failedAt[t] = pos;
        memo.markFailed(own, pos);
        this.stats.skipped++;
        return -1;
      }
      // Unchanged nodes fail as before, so the fields read then still matter: the masks accumulate.
      if (k > 0) return this.finish(t, this.restricted(t, k), true);
    }
    return this.finish(t, this.index !== null ? this.indexedDecision(t) : this.full(t, false), false);
  }

  private finish(t: number, n: number, accumulate: boolean): number {
    const tasks = this.tasks;
    if (n >= 0) {
      tasks.failedAt[t] = -1;
      return n;
    }
    const pos = this.log.position;
    const volatile = this.decisionReads & READ_VOLATILE ? 1 : 0;
    const mask = (accumulate ? tasks.failMask[t] : 0) | this.facts.taskReads;
    tasks.failedAt[t] = pos;
    tasks.failedVolatile[t] = volatile;
    tasks.failMask[t] = mask;
    if (!volatile && this.skip && t !== this.explainTask) {
      const id = this.memo.intern(mask, t);
      this.memo.markFailed(id, pos);
      this.memo.file(t, id, pos);
    } else {
      this.memo.file(t, -1, pos);
    }
    return n;
  }

  /** Runs the engine checks, the filter and the score of task t on up node n. */
  private evaluate(t: number, n: number): Verdict {
    const w = this.world;
    const fit = w.staticFit(t, n);
    if (fit !== StaticFit.Ok) {
      this.reason = fit;
      return Verdict.Excluded;
    }
    if (w.nodeMemory[n] > 0 && w.taskMemory[t] > this.nodes.freeMemory[n]) {
      this.reason = -1;
      return Verdict.Excluded;
    }
    const { ctx, node } = this.fw;
    node.n = n;
    ctx.node = node;
    const facts = this.facts;
    facts.reads = 0;
    this.scoreReads = 0;
    this.evaluations++;
    let pass: boolean;
    try {
      pass = this.policy.filter(ctx);
    } catch (err) {
      this.filterReads = facts.reads;
      this.decisionReads |= facts.reads;
      throw err instanceof PolicyRuntimeError ? new PolicyFault(err, n) : err;
    }
    this.filterReads = facts.reads;
    this.decisionReads |= facts.reads;
    if (!pass) return Verdict.Filtered;
    facts.reads = 0;
    let s: number;
    try {
      s = this.policy.score(ctx);
    } catch (err) {
      this.scoreReads = facts.reads;
      this.decisionReads |= facts.reads;
      throw err instanceof PolicyRuntimeError ? new PolicyFault(err, n) : err;
    }
    this.scoreReads = facts.reads;
    this.decisionReads |= facts.reads;
    if (typeof s !== 'number' || Number.isNaN(s)) {
      throw new PolicyFault(new PolicyRuntimeError(`score is not a number (${String(s)})`, 'score'), n);
    }
    this.score = s;
    return Verdict.Scored;
  }

  private startNode(): number {
    const k = this.policy.document.nodesToScore;
    return k === undefined ? 0 : (this.facts.lastPlacedNode + 1) % this.world.N;
  }

  /** The reference decision: every node, in index order (or cyclically with nodesToScore). */
  private full(t: number, record: boolean): number {
    this.stats.full++;
    this.decisionReads = 0;
    const N = this.world.N;
    const limit = this.policy.document.nodesToScore ?? Infinity;
    const start = this.startNode();
    let best = -1;
    let bestScore = 0;
    let scored = 0;
    const rec = record ? new Recorder(this, t) : null;
    for (let i = 0; i < N; i++) {
      const n = start + i < N ? start + i : start + i - N;
      if (scored >= limit) {
        if (!rec) break;
        rec.excluded(n, 'limit', 'not scored: nodesToScore reached');
        continue;
      }
      if (!this.nodes.isUp(n)) {
        rec?.excluded(n, 'engine', 'down');
        continue;
      }
      rec?.startNode();
      const v = this.evaluate(t, n);
      if (v === Verdict.Excluded) {
        rec?.excluded(n, 'engine', this.engineReason(t, n));
        continue;
      }
      if (v === Verdict.Filtered) {
        rec?.filtered(n);
        continue;
      }
      scored++;
      rec?.scored(n, this.score);
      if (best < 0 || this.score > bestScore || (this.score === bestScore && n < best)) {
        best = n;
        bestScore = this.score;
      }
    }
    if (rec) rec.done(best);
    return best;
  }

  /** Re-decides a task on the k changed nodes in buf (every other node would fail as before). */
  private restricted(t: number, k: number): number {
    this.stats.restricted++;
    this.decisionReads = 0;
    const N = this.world.N;
    const list = this.buf.subarray(0, k);
    const limit = this.policy.document.nodesToScore;
    if (limit === undefined) {
      list.sort();
    } else {
      // Visit in the full scan's cyclic order.
      const start = this.startNode();
      for (let i = 0; i < k; i++) list[i] = (list[i] - start + N) % N;
      list.sort();
      for (let i = 0; i < k; i++) list[i] = (list[i] + start) % N;
    }
    let best = -1;
    let bestScore = 0;
    let scored = 0;
    for (let i = 0; i < k; i++) {
      if (limit !== undefined && scored >= limit) break;
      const n = list[i];
      if (!this.nodes.isUp(n)) continue;
      if (this.evaluate(t, n) !== Verdict.Scored) continue;
      scored++;
      if (best < 0 || this.score > bestScore || (this.score === bestScore && n < best)) {
        best = n;
        bestScore = this.score;
      }
    }
    return best;
  }

  /** One evaluation per index bucket; falls back to full scans for good when a bucket is not uniform. */
  private indexedDecision(t: number): number {
    const index = this.index!;
    if (index.size * 2 > this.world.N) return this.full(t, false);
    this.stats.indexed++;
    this.decisionReads = 0;
    const reps = this.buf;
    const k = index.representatives(reps);
    const drawsBefore = this.random.draws;
    let best = -1;
    let bestScore = 0;
    for (let i = 0; i < k; i++) {
      const n = reps[i];
      let v: Verdict;
      try {
        v = this.evaluate(t, n);
      } catch (err) {
        if (err instanceof PolicyFault && !this.uniform()) return this.abandon(t, drawsBefore);
        throw err;
      }
      if (v === Verdict.Excluded) continue;
      if (!this.uniform()) return this.abandon(t, drawsBefore);
      if (v === Verdict.Filtered) continue;
      if (best < 0 || this.score > bestScore || (this.score === bestScore && n < best)) {
        best = n;
        bestScore = this.score;
      }
    }
    return best;
  }

  /** Whether the last evaluation would come out the same on every node of the representative's bucket. */
  private uniform(): boolean {
    if ((this.filterReads | this.scoreReads) & (READ_NODE_DRIFT | READ_NODE_UNKEYED | READ_RANDOM)) return false;
    if (this.filterReads & READ_INDEX) return false;
    if (this.scoreReads & READ_INDEX && !this.hintIndex) return false;
    return true;
  }

  private abandon(t: number, drawsBefore: number): number {
    if (this.random.draws !== drawsBefore) this.random.rewind(drawsBefore);
    this.index = null;
    this.indexAbandoned = true;
    return this.full(t, false);
  }

  private engineReason(t: number, n: number): string {
    if (this.reason !== -1) return this.world.staticReason(t, n, this.reason);
    return `memory short: needs ${this.world.taskMemory[t]} GB, ${this.nodes.freeMemory[n]} GB free`;
  }

  /** Called by the recorder with a finished explanation. */
  record(e: Explanation, placed: boolean): void {
    // Keep the last decision that placed the task; before any placement, the last attempt.
    if (placed || !this.explanationPlaced) {
      this.explanation = e;
      this.explanationPlaced = placed;
    }
  }

  /** policy.explain on node n with the same random draws its evaluation took. */
  explainOn(n: number, draws: number[]): ReturnType<CompiledPolicy['explain']> | null {
    const { ctx, node } = this.fw;
    node.n = n;
    ctx.node = node;
    this.random.startReplay(draws);
    try {
      return this.policy.explain(ctx);
    } catch {
      return null;
    } finally {
      this.random.stopReplay();
    }
  }

  get randomStream(): PolicyRandom {
    return this.random;
  }

  get nowForRecord(): number {
    return this.facts.now;
  }

  get worldForRecord(): World {
    return this.world;
  }

  get attemptsOf(): Int32Array {
    return this.tasks.attempts;
  }
}

/** Collects one explained decision node by node; explain() calls happen after the decision. */
class Recorder {
  private readonly scoredNodes: Array<{ n: number; score: number; draws: number[] }> = [];
  private readonly filteredNodes: Array<{ n: number; draws: number[] }> = [];
  private readonly excludedList: ExcludedExplanation[] = [];
  private draws: number[] = [];

  constructor(
    private readonly d: Decider,
    private readonly t: number,
  ) {}

  startNode(): void {
    this.draws = [];
    this.d.randomStream.recording = this.draws;
  }

  excluded(n: number, by: ExcludedExplanation['by'], reason: string): void {
    this.d.randomStream.recording = null;
    this.excludedList.push({ node: this.d.worldForRecord.scenario.nodes[n].id, index: n, by, reason });
  }

  filtered(n: number): void {
    this.d.randomStream.recording = null;
    this.filteredNodes.push({ n, draws: this.draws });
  }

  scored(n: number, score: number): void {
    this.d.randomStream.recording = null;
    this.scoredNodes.push({ n, score, draws: this.draws });
  }

  done(best: number): void {
    this.d.randomStream.recording = null;
    const nodes = this.d.worldForRecord.scenario.nodes;
    const candidates: CandidateExplanation[] = this.scoredNodes.map(({ n, score, draws }) => ({
      node: nodes[n].id,
      index: n,
      score,
      terms: this.d.explainOn(n, draws)?.terms ?? [],
    }));
    candidates.sort((a, b) => (a.score === b.score ? a.index - b.index : b.score - a.score));
    const excluded = [...this.excludedList];
    for (const { n, draws } of this.filteredNodes) {
      const failed = this.d.explainOn(n, draws)?.failed ?? [];
      excluded.push({
        node: nodes[n].id,
        index: n,
        by: 'filter',
        reason: failed.length > 0 ? `filter: ${failed.join(' and ')}` : 'filter: false',
      });
    }
    excluded.sort((a, b) => a.index - b.index);
    this.d.record(
      {
        task: this.d.worldForRecord.scenario.tasks[this.t].id,
        time: this.d.nowForRecord,
        attempts: this.d.attemptsOf[this.t],
        chosen: best >= 0 ? nodes[best].id : null,
        candidates,
        excluded,
      },
      best >= 0,
    );
  }
}
