/**
 * `@collect go-test FILE… [--field tests|pass|fail|skip]` from a `go test -json` stream (test2json
 * events, one JSON object a line). Every test that ended counts, subtests included (each
 * `pass`/`fail`/`skip` event with a Test name), as `go test -v` lists them with `--- PASS` etc.
 * A package that failed without any failed test (a build error, a panic outside a test, a
 * TestMain exit) counts as one failure, so the metric cannot look clean when tests did not run.
 * Lines that are not JSON objects (build output mixed in with 2>&1) are skipped.
 */
import path from 'node:path';
import { oneOf, parseArgs, single } from './args';
import type { CollectorContext } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { formatNumber, readReport } from './text';

const FIELDS = ['tests', 'pass', 'fail', 'skip'] as const;
type Field = (typeof FIELDS)[number];

export interface GoTestTally {
  tests: number;
  pass: number;
  fail: number;
  skip: number;
  /** Package -> tests that ended in it, and failures. */
  packages: Map<string, { tests: number; fail: number }>;
}

export async function goTest(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('go-test', argv, { values: ['field'] });
  const field = oneOf<Field>('go-test', 'field', single('go-test', args, 'field'), FIELDS, 'tests');
  if (args.positionals.length === 0) throw new CollectorError('@collect go-test: name the `go test -json` output file(s)');
  let total = 0;
  for (const file of args.positionals) {
    throwIfAborted(ctx.signal);
    total += tallyGoTest(await readReport(path.resolve(ctx.cwd, file), file, ctx), file)[field];
  }
  return formatNumber(total);
}

export function tallyGoTest(text: string, shownAs: string): GoTestTally {
  const tally: GoTestTally = { tests: 0, pass: 0, fail: 0, skip: 0, packages: new Map() };
  const packageEnd = new Map<string, string>();
  let events = 0;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line.startsWith('{')) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      throw new CollectorError(`${shownAs}:${n + 1}: not a JSON event (${(error as Error).message}); is the file cut short?`);
    }
    if (!event || typeof event !== 'object' || typeof (event as Record<string, unknown>).Action !== 'string') {
      throw new CollectorError(`${shownAs}:${n + 1}: a JSON object without "Action"; not a go test -json event`);
    }
    events++;
    const { Action: action, Package: pkg, Test: name } = event as { Action: string; Package?: unknown; Test?: unknown };
    const pkgName = typeof pkg === 'string' ? pkg : '';
    if (action !== 'pass' && action !== 'fail' && action !== 'skip') continue;
    if (typeof name !== 'string' || name === '') {
      packageEnd.set(pkgName, action);
      continue;
    }
    tally.tests++;
    tally[action]++;
    const p = tally.packages.get(pkgName) ?? { tests: 0, fail: 0 };
    p.tests++;
    if (action === 'fail') p.fail++;
    tally.packages.set(pkgName, p);
  }
  if (events === 0) throw new CollectorError(`${shownAs} has no go test -json events (write it with \`go test -json ./... > ${shownAs}\`)`);
  for (const [pkg, end] of packageEnd) {
    if (end === 'fail' && !(tally.packages.get(pkg)?.fail ?? 0)) {
      tally.fail++;
      const p = tally.packages.get(pkg) ?? { tests: 0, fail: 0 };
      p.fail++;
      tally.packages.set(pkg, p);
    }
  }
  return tally;
}
