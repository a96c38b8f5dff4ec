// The shipped library (library/): every record validates, its policy compiles for its domain, and it
// says where it came from; every named suite has its champion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { championName, compileProblem, listLibrary, shippedLibraryDir } from '../../src/eval/library.js';
import { BINPACK_TRACKS } from '../../src/suites/binpack.js';
import { SUITE_NAMES, suiteByName } from '../../src/suites/registry.js';

const shipped = listLibrary({}).filter((e) => e.where === 'shipped');

test('given the shipped library, when read, then every file is a valid record named as its file', () => {
  assert.ok(shipped.length > 0, `no records in ${shippedLibraryDir()}`);
  for (const e of shipped) assert.is(e.problem, null, `${e.path}: ${e.problem}`);
});

test('given every shipped record, when its policy is compiled for its domain, then it compiles', () => {
  for (const e of shipped) assert.is(compileProblem(e.record!.policy, e.record!.provenance.domain), null, e.name);
});

test('given every shipped record, when its provenance is read, then it names the training suite, seed, settings, code version, command and test figures', () => {
  for (const e of shipped) {
    const p = e.record!.provenance;
    assert.is(p.source, 'evolve', e.name);
    // A suite, optionally with the perturbed family it was also trained on (`aurora evolve --robust`).
    assert.match(p.trainingSuite, /^[a-z-]+(:[a-z]+)?@\d+(\+[a-z-]+@\d+)?$/, e.name);
    assert.ok(Number.isInteger(p.seed), e.name);
    assert.match(p.codeVersion, /^aurora /, e.name);
    assert.match(p.command ?? '', /^aurora evolve --suite /, e.name);
    const results = p.results as { generations: number; training: unknown; validation: unknown; test: unknown };
    assert.ok(results.generations >= 1 && results.training && results.validation && results.test, e.name);
    assert.ok((p.config as { settings?: unknown }).settings, e.name);
  }
});

test('given the named suites, when champions are looked up, then each has one, trained on that suite', () => {
  for (const name of SUITE_NAMES) {
    const suite = suiteByName(name)!;
    const tracks = suite.kind === 'binpack' ? BINPACK_TRACKS.map((t) => t as string) : [null];
    for (const track of tracks) {
      const champion = shipped.find((e) => e.name === championName(name, track));
      assert.ok(champion, `no champion ${championName(name, track)}`);
      const expected = track === null ? `${name}@${suite.version}` : `${name}:${track}@${suite.version}`;
      assert.is(champion!.record!.provenance.trainingSuite.replace(/\+[a-z-]+@\d+$/, ''), expected);
    }
  }
});

test.run();
