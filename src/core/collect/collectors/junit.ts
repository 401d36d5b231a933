/**
 * `@collect junit FILE… [--field tests|failures|errors|skipped|time|pass-rate]` from JUnit XML
 * (mocha xunit, node --test-reporter=junit, jest-junit, pytest --junitxml, surefire, go-junit-report).
 * Counts come from the <testcase> elements themselves; suite attributes are used only by a
 * report that lists no test cases.
 */
import path from 'node:path';
import { oneOf, parseArgs, single } from './args';
import type { CollectorContext } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { formatNumber, percent, readReport } from './text';
import { children, numberAttr, parseXml, stringAttr, type XmlNode } from './xml';

const JUNIT_FIELDS = ['tests', 'failures', 'errors', 'skipped', 'time', 'pass-rate'] as const;
type Field = (typeof JUNIT_FIELDS)[number];

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

export async function junit(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('junit', argv, { values: ['field'] });
  const field = oneOf<Field>('junit', 'field', single('junit', args, 'field'), JUNIT_FIELDS, 'tests');
  if (args.positionals.length === 0) throw new CollectorError('@collect junit: name the JUnit XML file(s)');
  const sum: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const file of args.positionals) {
    throwIfAborted(ctx.signal);
    const t = tallyJunit(await readReport(path.resolve(ctx.cwd, file), file, ctx), file);
    sum.tests += t.tests;
    sum.failures += t.failures;
    sum.errors += t.errors;
    sum.skipped += t.skipped;
    sum.time += t.time;
  }
  if (field === 'pass-rate') {
    const ran = sum.tests - sum.skipped;
    return percent(ran - sum.failures - sum.errors, ran, 'tests that ran');
  }
  return formatNumber(field === 'time' ? Math.round(sum.time * 1000) / 1000 : sum[field]);
}

function tallyJunit(text: string, shownAs: string): Tally {
  const doc = parseXml(text, shownAs, ['testsuite', 'testcase']);
  const root = doc.testsuites === undefined ? undefined : (children(doc, 'testsuites')[0] ?? {});
  const topSuites = root !== undefined ? children(root, 'testsuite') : children(doc, 'testsuite');
  if (root === undefined && topSuites.length === 0) {
    throw new CollectorError(`${shownAs} is not a JUnit report (expected <testsuites> or <testsuite> at the root)`);
  }
  const cases: XmlNode[] = [];
  const collect = (suite: XmlNode): void => {
    cases.push(...children(suite, 'testcase'));
    for (const inner of children(suite, 'testsuite')) collect(inner);
  };
  // node --test-reporter=junit puts top-level tests straight under <testsuites>.
  if (root !== undefined) collect(root);
  else topSuites.forEach(collect);

  const suiteTime = (): number => topSuites.reduce((t, s) => t + (numberAttr(s, 'time', shownAs) ?? 0), 0);
  const time = (root && numberAttr(root, 'time', shownAs)) ?? suiteTime();
  if (cases.length === 0) return fromAttributes(root, topSuites, shownAs, time);
  const tally: Tally = { tests: cases.length, failures: 0, errors: 0, skipped: 0, time };
  for (const c of cases) {
    const status = stringAttr(c, 'status');
    if ('skipped' in c || status === 'skipped' || status === 'disabled') tally.skipped++;
    else if ('error' in c) tally.errors++;
    else if ('failure' in c) tally.failures++;
  }
  if (tally.time === 0) tally.time = cases.reduce((t, c) => t + (numberAttr(c, 'time', shownAs) ?? 0), 0);
  return tally;
}

function fromAttributes(root: XmlNode | undefined, suites: XmlNode[], shownAs: string, time: number): Tally {
  const holders = root && numberAttr(root, 'tests', shownAs) !== undefined ? [root] : suites;
  const sum = (name: string): number => holders.reduce((t, h) => t + (numberAttr(h, name, shownAs) ?? 0), 0);
  return { tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped') + sum('disabled'), time };
}
