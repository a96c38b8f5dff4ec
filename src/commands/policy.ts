// `aurora policy list | show | export | import`: the policy library.
// - list / show: the shipped library (library/ in the package: champions evolved by the project, each
//   with its provenance) and the local one (.aurora/library, or AURORA_LIBRARY);
// - export <runId>: a run's champion (or --id) as a library record carrying the run id, seed, config,
//   code version and the run's domain as its training suite;
// - import <file>: a record (or a bare policy document) validated and compiled; with --run appended to
//   that run's stream as PolicyImported (the run must exist and not be completed: a resumed run then
//   breeds from it), else copied into the local library. Anything wrong is one line, exit 2, and
//   nothing is stored.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STORE_URL, openStore, StoreUrlError } from '../../events/open-store.js';
import { runStream, WrongExpectedRevisionError, type EventStore, type RecordedEvent } from '../../events/store.js';
import type { EventData } from '../../events/catalogue.js';
import { EventRecorder } from '../../actors/event-recorder.js';
import { RunProjections } from '../../actors/run-projections.js';
import { championOf } from '../../actors/self-play.js';
import { PolicyDocument } from '../../sim/policy/document.js';
import { CliError } from '../cli-error.js';
import { dispatch } from '../sub-commands.js';
import type { Command } from '../cli.js';
import { compileProblem, listLibrary, localLibraryDir, type LibraryEntry } from '../eval/library.js';
import { looksLikeRecord, POLICY_RECORD_FORMAT, PolicyRecord, recordProblem, type Provenance } from '../eval/policy-record.js';
import { parseJsonFile, readTextFile, writeFileAtomic } from '../scenario-file.js';
import { codeVersion } from '../version.js';

const USAGE = `usage:
  aurora policy list [--json]
  aurora policy show <name> [--json]
  aurora policy export <runId> [--champion | --id <policyId>] [--store URL] [--out file] [--name n]
  aurora policy import <file> [--run <runId>] [--store URL] [--name n] [--domain d]

list      the shipped library (champions evolved by the project, library/ in the package) and the local
          one (${join('.aurora', 'library')} in the working directory, or $AURORA_LIBRARY)
show      one library record: the policy and its provenance
export    a run's champion (default) or the policy --id as a library record (stdout, or --out file)
import    validates and compiles a record or a bare policy document; with --run, appends it to that
          run's stream as PolicyImported (a run that is not completed: resume it to breed from it);
          without --run, adds it to the local library, where library:<name> finds it
--store   the event store (default ${DEFAULT_STORE_URL})
--domain  for a bare policy document: cloud (default), edge, network, hybrid or binpack
Use a library policy anywhere a policy is asked for: aurora eval|simulate --policy library:<name>.`;

export const command: Command = {
  summary: 'the policy library: list, show, export a run\'s champion, import a policy',
  async run(argv) {
    return dispatch(argv, { list, show, export: exportCommand, import: importCommand }, USAGE);
  },
};

// ---- list, show ---------------------------------------------------------------------------------------

function list(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true });
  const entries = listLibrary();
  if (values.json) {
    process.stdout.write(JSON.stringify(entries.map(entryJson), null, 2) + '\n');
    return entries.some((e) => e.record === null) ? 1 : 0;
  }
  if (entries.length === 0) {
    process.stdout.write('the library is empty\n');
    return 0;
  }
  const rows = [['name', 'where', 'domain', 'trained on', 'summary']];
  for (const e of entries) {
    if (e.record === null) rows.push([e.name, e.where, '—', '—', `INVALID: ${e.problem}`]);
    else rows.push([e.name, e.where, e.record.provenance.domain, e.record.provenance.trainingSuite, e.record.summary]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write(rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n');
  return entries.some((e) => e.record === null) ? 1 : 0;
}

function entryJson(e: LibraryEntry): unknown {
  return { name: e.name, where: e.where, path: e.path, valid: e.record !== null, problem: e.problem, record: e.record };
}

function show(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new CliError('show takes one library name (aurora policy list)');
  const e = listLibrary().find((x) => x.name === positionals[0]);
  if (e === undefined) throw new CliError(`no library policy '${positionals[0]}' (aurora policy list)`);
  if (e.record === null) throw new CliError(`${e.path}: ${e.problem}`);
  if (values.json) {
    process.stdout.write(JSON.stringify(e.record, null, 2) + '\n');
    return 0;
  }
  const r = e.record;
  const p = r.policy;
  const pv = r.provenance;
  process.stdout.write(
    [
      `${r.name} (${e.where}: ${e.path})`,
      `  ${r.summary}`,
      `  order  ${typeof p.order === 'string' ? p.order : `${p.order.key} ${p.order.direction}`}`,
      `  filter ${p.filter}`,
      `  score  ${p.score}`,
      `  why    ${p.explain}`,
      `  trained on ${pv.trainingSuite} (${pv.domain}), source ${pv.source}, seed ${pv.seed ?? '—'}${pv.runId === null ? '' : `, run ${pv.runId}`}${pv.policyId === null ? '' : `, policy ${pv.policyId}`}`,
      `  code ${pv.codeVersion}`,
      ...(pv.command === null ? [] : [`  made by: ${pv.command}`]),
      '',
    ].join('\n'),
  );
  return 0;
}

// ---- export ---------------------------------------------------------------------------------------------

async function withStore<T>(url: string, f: (store: EventStore) => Promise<T>): Promise<T> {
  let store: EventStore;
  try {
    store = await openStore(url);
  } catch (err) {
    if (err instanceof StoreUrlError) throw new CliError(err.message);
    throw err;
  }
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

async function readRun(store: EventStore, runId: string, url: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readStream(runStream(runId), { from: events.length, maxCount: 10_000 });
    events.push(...page);
    if (page.length < 10_000) break;
  }
  if (events.length === 0) throw new CliError(`run ${runId} is not in ${url}`);
  if (events[0]!.type !== 'RunStarted') throw new CliError(`run ${runId} does not begin with RunStarted`);
  return events;
}

/** A library name from free text: lower-case letters, digits and dashes, at most 64. */
export function libraryNameFrom(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 64)
    .replace(/-$/, '');
  return s === '' ? 'policy' : s;
}

async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      champion: { type: 'boolean', default: false },
      id: { type: 'string' },
      store: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliError('export takes one run id (aurora policy export <runId>)');
  if (values.champion && values.id !== undefined) throw new CliError('give --champion or --id, not both');
  const runId = positionals[0]!;
  const url = values.store ?? DEFAULT_STORE_URL;
  const record = await withStore(url, async (store) => {
    const events = await readRun(store, runId, url);
    const started = events[0]! as RecordedEvent & { type: 'RunStarted' };
    const policies = new Map<string, { policy: PolicyDocument; operator: string }>();
    let champion: string | null = null;
    for (const e of events) {
      if (e.type === 'PolicyProposed') policies.set(e.data.policyId, { policy: e.data.policy, operator: e.data.operator });
      if (e.type === 'PolicyImported') policies.set(e.data.policyId, { policy: e.data.policy, operator: 'import' });
      if (e.type === 'RunCompleted') champion = e.data.champion;
    }
    // A run that has not completed names no champion: the best rated non-baseline, as the run would.
    if (champion === null) champion = championOf(new RunProjections().applyAll(events), runId);
    const policyId = values.id ?? champion;
    if (policyId === null) throw new CliError(`run ${runId} has no rated policy yet: give --id <policyId>`);
    const found = policies.get(policyId);
    if (found === undefined) throw new CliError(`run ${runId} has no policy '${policyId}'`);
    const config = started.data.config as { domain?: string };
    const domain = typeof config.domain === 'string' ? config.domain : 'cloud';
    const name = values.name ?? libraryNameFrom(`${runId}-${policyId}`);
    const candidate = {
      format: POLICY_RECORD_FORMAT,
      name,
      summary: `${policyId === champion ? 'champion' : 'policy'} ${policyId} of self-play run ${runId}`,
      policy: found.policy,
      provenance: {
        source: 'run',
        trainingSuite: `self-play:${domain}`,
        domain,
        seed: started.data.seed,
        runId,
        policyId,
        config: started.data.config,
        codeVersion: started.data.codeVersion,
        command: ['aurora policy export', ...argv].join(' '),
        createdAt: new Date().toISOString(),
        results: { operator: found.operator, champion: policyId === champion },
      },
    };
    const problem = recordProblem(candidate);
    if (problem !== null) throw new CliError(`cannot export ${policyId}: ${problem}`);
    return PolicyRecord.parse(candidate);
  });
  const text = JSON.stringify(record, null, 2) + '\n';
  if (values.out === undefined) process.stdout.write(text);
  else {
    await writeFileAtomic(values.out, text);
    process.stderr.write(`wrote ${record.name} (${record.provenance.policyId} of run ${runId}) to ${values.out}\n`);
  }
  return 0;
}

// ---- import ---------------------------------------------------------------------------------------------

const DOMAINS = ['cloud', 'edge', 'network', 'hybrid', 'binpack'] as const;

/** The file as a record: a record as it is, a bare policy document wrapped with import provenance. */
function asRecord(path: string, json: unknown, name: string | undefined, domain: Provenance['domain']): PolicyRecord {
  if (looksLikeRecord(json)) {
    const problem = recordProblem(json);
    if (problem !== null) throw new CliError(`${path}: ${problem}`);
    const r = PolicyRecord.parse(json);
    return name === undefined ? r : { ...r, name };
  }
  const doc = PolicyDocument.safeParse(json);
  if (!doc.success) {
    const issue = doc.error.issues[0]!;
    const at = issue.path.map(String).join('.');
    throw new CliError(`${path}: not a policy document or library record: ${at === '' ? '' : `${at}: `}${issue.message}`);
  }
  const candidate = {
    format: POLICY_RECORD_FORMAT,
    name: name ?? libraryNameFrom(doc.data.name),
    summary: `imported from ${basename(path)}`,
    policy: doc.data,
    provenance: {
      source: 'import',
      trainingSuite: 'unknown',
      domain,
      seed: null,
      runId: null,
      policyId: null,
      config: null,
      codeVersion: codeVersion(),
      command: null,
      createdAt: new Date().toISOString(),
      results: null,
    },
  };
  const problem = recordProblem(candidate);
  if (problem !== null) throw new CliError(`${path}: ${problem}`);
  return PolicyRecord.parse(candidate);
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { run: { type: 'string' }, store: { type: 'string' }, name: { type: 'string' }, domain: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new CliError('import takes one file (aurora policy import <file>)');
  if (values.store !== undefined && values.run === undefined) throw new CliError('--store needs --run: without a run the policy goes to the local library');
  const domain = (values.domain ?? 'cloud') as Provenance['domain'];
  if (!(DOMAINS as readonly string[]).includes(domain)) throw new CliError(`--domain must be one of ${DOMAINS.join(', ')}, got '${values.domain}'`);
  const path = positionals[0]!;
  const record = asRecord(path, parseJsonFile(path, await readTextFile(path)), values.name, domain);
  const compile = compileProblem(record.policy, values.run === undefined ? record.provenance.domain : 'cloud');
  if (compile !== null) throw new CliError(`${path}: the policy does not compile: ${compile}`);
  if (values.run !== undefined) return importIntoRun(values.run, values.store ?? DEFAULT_STORE_URL, path, record);

  const taken = listLibrary().find((e) => e.name === record.name);
  if (taken !== undefined) throw new CliError(`the library already has '${record.name}' (${taken.where}: ${taken.path}): give --name`);
  const dir = localLibraryDir();
  mkdirSync(dir, { recursive: true });
  const target = join(dir, `${record.name}.json`);
  if (existsSync(target)) throw new CliError(`${target} exists`);
  writeFileSync(target, JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`imported ${record.name} into the local library (${target}): use it as --policy library:${record.name}\n`);
  return 0;
}

async function importIntoRun(runId: string, url: string, path: string, record: PolicyRecord): Promise<number> {
  const policyId = `i-${record.name}`;
  await withStore(url, async (store) => {
    const events = await readRun(store, runId, url);
    if (events.some((e) => e.type === 'RunCompleted')) {
      throw new CliError(`run ${runId} has completed: a policy imported now would never be used (import into a run you will resume)`);
    }
    if (events.some((e) => (e.type === 'PolicyProposed' || e.type === 'PolicyImported') && e.data.policyId === policyId)) {
      throw new CliError(`run ${runId} already has a policy '${policyId}': give --name`);
    }
    const revision = events.length - 1;
    const iteration = events.reduce((n, e) => (e.type === 'IterationCompleted' ? e.data.iteration : n), 0);
    const recorder = new EventRecorder(runId, iteration, `import-${runId}-${revision + 1}`, () => {}, `import-${revision + 1}`);
    const source = JSON.parse(JSON.stringify({ file: basename(path), library: record.name, provenance: record.provenance })) as EventData<'PolicyImported'>['source'];
    recorder.record('PolicyImported', { policyId, policy: record.policy, source, rating: null });
    try {
      await store.appendToStream(runStream(runId), recorder.events, { expected: revision });
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError) throw new CliError(`run ${runId} changed while importing (${err.message}): try again`);
      throw err;
    }
  });
  process.stdout.write(`imported ${record.name} into run ${runId} as ${policyId} (PolicyImported); resume the run to breed from it\n`);
  return 0;
}
