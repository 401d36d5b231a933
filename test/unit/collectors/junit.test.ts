/** JUnit counts from reports written by real test runners: mocha's xunit reporter and node --test's junit reporter. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CollectorError, runCollector } from '../../../src/core/collect/collectors';
import { binOf, context, removeDir, tempDir, writeFiles } from './helpers';

let dir: string;
/** What each runner said on its own console, the independent reference. */
let mochaSpec: { tests: number; passes: number; failures: number; pending: number };
let nodeSummary: Record<string, number>;

before(() => {
  dir = tempDir();
  writeFiles(dir, {
    'mocha.spec.js': [
      "describe('outer', () => {",
      "  it('passes', () => {});",
      "  it('fails', () => { throw new Error('boom <&> \"quoted\"'); });",
      "  it.skip('is pending', () => {});",
      "  describe('inner', () => { it('also passes', () => {}); it('also fails', () => { throw new Error('x'); }); });",
      '});',
    ].join('\n'),
    'node.test.js': [
      "const test = require('node:test');",
      "test('ok', () => {});",
      "test('bad', () => { throw new Error('nope'); });",
      "test('skipped', { skip: true }, () => {});",
      "test.describe('group', () => { test.it('nested ok', () => {}); });",
    ].join('\n'),
  });
  // mocha's json reporter on a separate run gives the counts to expect.
  const json = spawnSync(binOf('mocha'), ['--reporter', 'json', 'mocha.spec.js'], { cwd: dir, encoding: 'utf8' });
  mochaSpec = (JSON.parse(json.stdout) as { stats: typeof mochaSpec }).stats;
  spawnSync(binOf('mocha'), ['--reporter', 'xunit', '--reporter-option', 'output=mocha.xml', 'mocha.spec.js'], { cwd: dir });
  // Without NODE_TEST_CONTEXT the child runner writes its own reports instead of talking to ours.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const args = ['--test', '--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=junit', '--test-reporter-destination=node.xml', 'node.test.js'];
  const tap = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env });
  nodeSummary = Object.fromEntries([...tap.stdout.matchAll(/^# (tests|pass|fail|skipped) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
});
after(() => removeDir(dir));

const junit = async (...argv: string[]): Promise<string> => runCollector(['junit', ...argv], context(dir));

test('mocha xunit report: tests, failures, skipped and pass rate match mocha\'s own counts', async () => {
  assert.ok(mochaSpec.failures > 0 && mochaSpec.pending > 0);
  assert.equal(Number(await junit('mocha.xml')), mochaSpec.tests);
  assert.equal(Number(await junit('mocha.xml', '--field', 'failures')), mochaSpec.failures);
  assert.equal(Number(await junit('mocha.xml', '--field', 'skipped')), mochaSpec.pending);
  assert.equal(Number(await junit('mocha.xml', '--field', 'errors')), 0);
  const ran = mochaSpec.tests - mochaSpec.pending;
  assert.equal(Number(await junit('mocha.xml', '--field', 'pass-rate')), Math.round((mochaSpec.passes / ran) * 100 * 1e4) / 1e4);
  const time = Number(await junit('mocha.xml', '--field', 'time'));
  assert.ok(time >= 0 && time < 60);
});

test('node --test junit report (test cases straight under <testsuites>) matches node\'s own summary', async () => {
  assert.equal(Number(await junit('node.xml')), nodeSummary.tests);
  assert.equal(Number(await junit('node.xml', '--field', 'failures')), nodeSummary.fail);
  assert.equal(Number(await junit('node.xml', '--field', 'skipped')), nodeSummary.skipped);
});

test('several reports add up', async () => {
  assert.equal(Number(await junit('mocha.xml', 'node.xml')), mochaSpec.tests + nodeSummary.tests);
  assert.equal(Number(await junit('mocha.xml', 'node.xml', '--field', 'failures')), mochaSpec.failures + nodeSummary.fail);
});

test('errors are told apart from failures, and suite attributes count when no test cases are listed', async () => {
  writeFiles(dir, {
    'surefire.xml': '<testsuite name="s" tests="3"><testcase name="a"/><testcase name="b"><error message="npe"/></testcase><testcase name="c"><failure/></testcase></testsuite>',
    'summary-only.xml': '<testsuites tests="7" failures="2" errors="1" skipped="1" time="1.5"><testsuite name="x" tests="7"/></testsuites>',
  });
  assert.equal(await junit('surefire.xml', '--field', 'errors'), '1');
  assert.equal(await junit('surefire.xml', '--field', 'failures'), '1');
  assert.equal(await junit('surefire.xml', '--field', 'pass-rate'), '33.3333');
  assert.equal(await junit('summary-only.xml'), '7');
  assert.equal(await junit('summary-only.xml', '--field', 'time'), '1.5');
  assert.equal(await junit('summary-only.xml', '--field', 'pass-rate'), '50');
});

test('empty, malformed and foreign files are invalid output with the reason', async () => {
  const mocha = fs.readFileSync(path.join(dir, 'mocha.xml'), 'utf8');
  writeFiles(dir, {
    'empty.xml': '',
    'cut.xml': mocha.slice(0, mocha.length - 30),
    'other.xml': '<coverage><project/></coverage>',
    'none-ran.xml': '<testsuite tests="1"><testcase name="a"><skipped/></testcase></testsuite>',
  });
  const reason = async (...argv: string[]): Promise<string> => {
    try {
      await junit(...argv);
    } catch (e) {
      assert.ok(e instanceof CollectorError, String(e));
      return e.message;
    }
    return assert.fail('expected invalid output');
  };
  assert.match(await reason('empty.xml'), /empty\.xml is empty/);
  assert.match(await reason('cut.xml'), /cut\.xml is not well-formed XML/);
  assert.match(await reason('other.xml'), /not a JUnit report/);
  assert.match(await reason('none-ran.xml', '--field', 'pass-rate'), /no tests that ran/);
  assert.match(await reason('mocha.xml', '--field', 'duration'), /--field must be one of tests, failures/);
  assert.match(await reason(path.join(dir, 'nope.xml')), /does not exist/);
});
