/**
 * Collectors for Go, Python, Rust and TAP reports, each value checked against the producing
 * tool's own figure (go tool cover -func, go test -v, coverage report, pytest's summary, node's
 * TAP summary and JUnit report, Perl's TAP::Parser, Python's tomllib + packaging), recorded
 * next to the fixtures (see test/fixtures/*\/README.md for the commands).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CollectorError, runCollector } from '../../../src/core/collect/collectors';
import { context, removeDir, repoRoot, tempDir, writeFiles } from './helpers';

const fixtures = path.join(repoRoot, 'test', 'fixtures');
const read = (rel: string): string => fs.readFileSync(path.join(fixtures, rel), 'utf8');

let dir: string;
before(() => {
  dir = tempDir();
  for (const sub of ['go', 'python', 'tap', 'rust']) fs.cpSync(path.join(fixtures, sub), path.join(dir, sub), { recursive: true });
});
after(() => removeDir(dir));

const run = async (command: string, cwd = dir, extra = {}): Promise<string> => runCollector(command.split(' '), context(cwd, extra));
const rejects = async (command: string, pattern: RegExp, cwd = dir): Promise<void> => {
  await assert.rejects(run(command, cwd), (e: unknown) => e instanceof CollectorError && pattern.test(e.message));
};

/** `total:  (statements)  64.3%` from go tool cover -func. */
const goFuncTotal = (text: string): number => Number(/^total:\s+\(statements\)\s+([\d.]+)%$/m.exec(text)![1]);

describe('coverage-go', () => {
  test('statement coverage equals go tool cover -func, blocks listed twice by -coverpkg counted once (set and count modes)', async () => {
    for (const [profile, func] of [['go/cover.out', 'go/cover-func.txt'], ['go/cover-count.out', 'go/cover-count-func.txt']]) {
      const value = Number(await run(`coverage-go ${profile}`));
      assert.equal(Math.round(value * 10) / 10, goFuncTotal(read(func)), profile);
    }
    // Without the dedupe the duplicated geom blocks would count twice: make sure they exist.
    const lines = read('go/cover.out').split('\n').filter((l) => l.includes('geom.go'));
    assert.ok(new Set(lines.map((l) => l.split(' ')[0])).size < lines.length, 'the fixture has duplicated blocks');
  });

  test('a hand-made profile: dedupe ORs set counts, adds count-mode counts, checks statements', async () => {
    writeFiles(dir, {
      'hand/go.mod': 'module example.com/m\n\ngo 1.21\n',
      'hand/set.out': 'mode: set\nexample.com/m/a.go:3.10,5.2 2 0\nexample.com/m/a.go:3.10,5.2 2 1\nexample.com/m/a.go:6.1,7.2 3 0\nexample.com/m/b/b.go:1.1,2.2 5 1\n',
      'hand/bad.out': 'mode: set\nexample.com/m/a.go:3.10,5.2 2 0\nexample.com/m/a.go:3.10,5.2 4 1\n',
      'hand/garbage.out': 'mode: set\nthis is not a block\n',
      'hand/nomode.out': 'example.com/m/a.go:3.10,5.2 2 0\n',
    });
    const hand = path.join(dir, 'hand');
    // covered 2 (a, merged) + 5 (b) of 2 + 3 + 5 statements
    assert.equal(await run('coverage-go set.out', hand), String(70));
    // sources narrows to files of the module: only a.go counts (2 of 5)
    assert.equal(await run('coverage-go set.out', hand, { sources: ['a.go'] }), String(40));
    await rejects('coverage-go bad.out', /4 statements here and 2 before/, hand);
    await rejects('coverage-go garbage.out', /not a coverprofile block/, hand);
    await rejects('coverage-go nomode.out', /not a Go coverprofile/, hand);
    await rejects('coverage-go missing.out', /does not exist/, hand);
  });
});

describe('go-test', () => {
  const vCount = (re: RegExp): number => read('go/test-v.txt').split('\n').filter((l) => re.test(l)).length;
  test('tests, pass, fail and skip (subtests included) equal the --- PASS/FAIL/SKIP lines of go test -v', async () => {
    const pass = vCount(/^\s*--- PASS/);
    const fail = vCount(/^\s*--- FAIL/);
    const skip = vCount(/^\s*--- SKIP/);
    assert.equal(await run('go-test go/test.json'), String(pass + fail + skip));
    assert.equal(await run('go-test go/test.json --field pass'), String(pass));
    assert.equal(await run('go-test go/test.json --field fail'), String(fail));
    assert.equal(await run('go-test go/test.json --field skip'), String(skip));
  });

  test('a package that fails without a failing test (build error) is one failure; garbage is an error', async () => {
    writeFiles(dir, {
      'gt/build.json': '# example.com/m/broken\nbroken/x.go:3:1: syntax error\n{"Action":"output","Package":"example.com/m/broken","Output":"FAIL\\texample.com/m/broken [build failed]\\n"}\n{"Action":"fail","Package":"example.com/m/broken","Elapsed":0}\n{"Action":"run","Package":"example.com/m/ok","Test":"TestA"}\n{"Action":"pass","Package":"example.com/m/ok","Test":"TestA","Elapsed":0}\n{"Action":"pass","Package":"example.com/m/ok","Elapsed":0}\n',
      'gt/cut.json': '{"Action":"run","Package":"p","Test":"TestA"}\n{"Action":"pass","Pack',
      'gt/none.txt': 'ok  \texample.com/m\t0.01s\n',
    });
    assert.equal(await run('go-test gt/build.json --field fail'), '1');
    assert.equal(await run('go-test gt/build.json --field tests'), '1');
    await rejects('go-test gt/cut.json', /cut short/);
    await rejects('go-test gt/none.txt', /no go test -json events/);
  });
});

describe('coverage-python', () => {
  const reportTotal = (text: string): number => Number(/^TOTAL\s.*?\s([\d.]+)%$/m.exec(text)![1]);
  test('equals coverage report (statements + branches, and statements only without --branch)', async () => {
    assert.equal(Number(await run('coverage-python python/coverage.json')), reportTotal(read('python/coverage-report.txt')));
    assert.equal(Number(await run('coverage-python python/coverage-nobranch.json')), reportTotal(read('python/coverage-nobranch-report.txt')));
    // --type statement from the branch report = the statement-only figure of the same run
    assert.equal(Number(await run('coverage-python python/coverage.json --type statement')), reportTotal(read('python/coverage-nobranch-report.txt')));
  });

  test('per-file counts, scope and errors', async () => {
    const summary = JSON.parse(read('python/coverage.json')) as { files: Record<string, { summary: { covered_branches: number; num_branches: number } }> };
    const branches = Object.values(summary.files).reduce((s, f) => [s[0] + f.summary.covered_branches, s[1] + f.summary.num_branches], [0, 0]);
    assert.equal(Number(await run('coverage-python python/coverage.json --type branch')), Math.round((branches[0] / branches[1]) * 100 * 1e4) / 1e4);
    // The report's paths are relative to where coverage ran: from python/, sources narrows to calc.py
    const calc = summary.files['pkg/calc.py'].summary as unknown as { covered_lines: number; num_statements: number; covered_branches: number; num_branches: number };
    const expected = ((calc.covered_lines + calc.covered_branches) / (calc.num_statements + calc.num_branches)) * 100;
    assert.equal(Number(await run('coverage-python coverage.json', path.join(dir, 'python'), { sources: ['pkg/calc.py'] })), Math.round(expected * 1e4) / 1e4);
    await rejects('coverage-python python/junit.xml', /not valid JSON/);
    writeFiles(dir, { 'py/other.json': '{"total": {}}' });
    await rejects('coverage-python py/other.json', /not a coverage.py JSON report/);
    await rejects('coverage-python python/coverage.json python/coverage-nobranch.json', /coverage combine/);
  });
});

describe('JUnit from pytest and nextest', () => {
  test("pytest's report: counts equal pytest's own summary line", async () => {
    const line = read('python/pytest-out.txt').trim().split('\n').pop()!;
    const n = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
    assert.equal(await run('junit python/junit.xml'), String(n('passed') + n('failed') + n('skipped') + n('xfailed') + n('error')));
    assert.equal(await run('junit python/junit.xml --field failures'), String(n('failed')));
    assert.equal(await run('junit python/junit.xml --field errors'), String(n('error')));
    // xfail is reported as <skipped type="pytest.xfail">
    assert.equal(await run('junit python/junit.xml --field skipped'), String(n('skipped') + n('xfailed')));
  });

  test("nextest's report: a retried failure is one failure, a flaky pass passes; counts equal nextest's attributes", async () => {
    const xml = read('rust/nextest-junit.xml');
    const attr = (name: string): number => Number(new RegExp(`<testsuites [^>]*\\b${name}="(\\d+)"`).exec(xml)![1]);
    assert.equal(await run('junit rust/nextest-junit.xml'), String(attr('tests')));
    assert.equal(await run('junit rust/nextest-junit.xml --field failures'), String(attr('failures')));
    assert.equal(await run('junit rust/nextest-junit.xml --field errors'), String(attr('errors')));
  });
});

describe('tap', () => {
  test("node --test's TAP (suites as subtests): counts equal node's own summary and its JUnit report", async () => {
    const summary = (word: string): number => Number(new RegExp(`^# ${word} (\\d+)$`, 'm').exec(read('tap/node-tap.txt'))![1]);
    assert.equal(await run('tap tap/node-tap.txt'), String(summary('tests')));
    assert.equal(await run('tap tap/node-tap.txt --field pass'), String(summary('pass')));
    assert.equal(await run('tap tap/node-tap.txt --field fail'), String(summary('fail')));
    assert.equal(await run('tap tap/node-tap.txt --field skip'), String(summary('skipped')));
    assert.equal(await run('tap tap/node-tap.txt --field todo'), String(summary('todo')));
    assert.equal(await run('tap tap/node-tap.txt'), await run('junit tap/node-junit.xml'));
  });

  test("flat TAP 13: counts equal Perl TAP::Parser's", async () => {
    const perl = Object.fromEntries([...read('tap/tap13-prove.txt').matchAll(/(\w+) (\d+)/g)].map((m) => [m[1], m[2]]));
    for (const field of ['tests', 'pass', 'fail', 'skip', 'todo']) assert.equal(await run(`tap tap/tap13.txt --field ${field}`), perl[field], field);
  });

  test('TAP 14 subtests two levels deep, directives and plans (counted by hand)', async () => {
    // Leaves: plain ok, broken fail, child a ok, child b todo, child c skip, deep pass ok,
    // leaf one ok, leaf two fail, "has \# hash" ok, "# skipped" skip; "subtest without a
    // comment" and "parent with subtests" count through their children.
    const expected = { tests: 10, pass: 5, fail: 2, skip: 2, todo: 1 };
    for (const [field, value] of Object.entries(expected)) assert.equal(await run(`tap tap/tap14.txt --field ${field}`), String(value), field);
  });

  test('a plan that does not match, a missing plan, bail out and unclosed subtests are errors, never a count', async () => {
    writeFiles(dir, {
      't/short.tap': 'TAP version 14\n1..3\nok 1\nok 2\n',
      't/noplan.tap': 'TAP version 13\nok 1\nok 2\n',
      't/bail.tap': 'TAP version 13\n1..2\nok 1\nBail out! database down\n',
      't/sub.tap': 'TAP version 14\n1..1\n    # Subtest: x\n    1..2\n    ok 1\n',
      't/subplan.tap': 'TAP version 14\n1..1\n    1..3\n    ok 1\n    ok 2\nok 1 - parent\n',
      't/empty.tap': 'TAP version 13\n1..0 # SKIP nothing to test on this OS\n',
      't/prose.txt': 'All tests passed.\n',
    });
    await rejects('tap t/short.tap', /plan 1\.\.3 .* 2 test points/);
    await rejects('tap t/noplan.tap', /no plan/);
    await rejects('tap t/bail.tap', /Bail out! database down/);
    await rejects('tap t/sub.tap', /never closed/);
    await rejects('tap t/subplan.tap', /plan 1\.\.3 .* 2 test points/);
    assert.equal(await run('tap t/empty.tap'), '0');
    await rejects('tap t/prose.txt', /not TAP output/);
  });
});

describe('deps: pyproject.toml', () => {
  const expected = JSON.parse(read('pyproject/expected.json')) as Record<string, { runtime: number; dev: number }>;
  for (const style of ['pep621.toml', 'poetry.toml']) {
    test(`${style}: runtime and --dev counts equal tomllib + packaging's`, async () => {
      const project = path.join(dir, `deps-${style}`);
      writeFiles(project, { 'pyproject.toml': read(`pyproject/${style}`) });
      assert.equal(await run('deps', project), String(expected[style].runtime));
      assert.equal(await run('deps --dev', project), String(expected[style].dev));
    });
  }

  test('a broken pyproject.toml is an error with its line', async () => {
    const project = path.join(dir, 'deps-broken');
    writeFiles(project, { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["a",\n' });
    await rejects('deps', /pyproject\.toml:\d+: /, project);
  });
});
