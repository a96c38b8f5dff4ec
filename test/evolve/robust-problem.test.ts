// `aurora evolve --robust <family>`: the scenario problem trains and validates on the suite's fresh cases
// plus as many of the family's, names both in its training suite, and refuses a family of another domain.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baselines } from '../../sim/baselines/index.js';
import { scenarioFitness, scenarioProblem } from '../../src/evolve/scenario-problem.js';
import { GENERATED_SUITES } from '../../src/suites/generated.js';
import { CLOUD_ROBUST } from '../../src/suites/robust.js';

const suite = (name: string) => GENERATED_SUITES.find((s) => s.name === name)!;

test('given the cloud suite and cloud-robust, when the problem is built, then training and validation are the suite cases plus as many family cases', () => {
  const plain = scenarioProblem(suite('cloud'), { seed: 3, dataDir: '', train: 2, validate: 2 });
  const robust = scenarioProblem(suite('cloud'), { seed: 3, dataDir: '', train: 2, validate: 2, robust: CLOUD_ROBUST });
  assert.is(plain.trainingSuite, 'cloud@1');
  assert.is(robust.trainingSuite, 'cloud@1+cloud-robust@1');
  const d = robust.description as { trainCases: string[]; validateCases: string[]; robust: { family: string } };
  const p = plain.description as { trainCases: string[]; validateCases: string[] };
  assert.equal(d.trainCases.slice(0, 2), p.trainCases);
  assert.equal(d.validateCases.slice(0, 2), p.validateCases);
  assert.equal(d.trainCases.slice(2), CLOUD_ROBUST.training(3, 'train', 2).map((c) => c.id));
  assert.equal(d.validateCases.slice(2), CLOUD_ROBUST.training(3, 'validate', 2).map((c) => c.id));
  assert.is(d.robust.family, 'cloud-robust');
});

test('given a policy, when the robust problem validates it, then the figure is its fitness over the suite and family cases together', () => {
  const doc = baselines['best-fit']!;
  const robust = scenarioProblem(suite('cloud'), { seed: 3, dataDir: '', train: 2, validate: 2, robust: CLOUD_ROBUST });
  const cases = [...suite('cloud').training('', 3, 'validate', 2), ...CLOUD_ROBUST.training(3, 'validate', 2)];
  assert.is(robust.validate(doc).value, scenarioFitness(doc, cases).value);
  const plain = scenarioProblem(suite('cloud'), { seed: 3, dataDir: '', train: 2, validate: 2 });
  assert.is.not(robust.validate(doc).value, plain.validate(doc).value);
});

test('given a family of another domain, when the problem is built, then it is refused', () => {
  assert.throws(() => scenarioProblem(suite('edge'), { seed: 3, dataDir: '', train: 1, validate: 1, robust: CLOUD_ROBUST }), /cloud family/);
});

test.run();
