/**
 * `@collect tap FILE… [--field tests|pass|fail|skip|todo]` from TAP 13 or 14 output (ava --tap,
 * tape, node-tap, node --test-reporter=tap, prove).
 *
 * - Test points `ok|not ok [n] [- description] [# SKIP|# TODO reason]` (directives are
 *   case-insensitive and may be longer words, e.g. `# skipped`; `\#` is not a directive).
 *   `# TODO` counts as todo whether it passed or not; `# SKIP` as skip.
 * - Subtests (TAP 14, also node --test's output): lines indented four spaces, optionally led by
 *   `# Subtest: name`, closed by the parent's test point. A test point that closes a subtest
 *   with test points counts through them (leaves only), so a `describe` block is not a test.
 * - A plan (`1..N`, first or last in its block) must match the test points of its block, or
 *   the run was cut short and no value is stored; `1..0` (with `# SKIP reason`) is no tests.
 *   `Bail out!` is an error for the same reason. YAML diagnostics (`---` … `...`) are skipped.
 */
import path from 'node:path';
import { oneOf, parseArgs, single } from './args';
import type { CollectorContext } from './context';
import { CollectorError, throwIfAborted } from './errors';
import { formatNumber, readReport } from './text';

const FIELDS = ['tests', 'pass', 'fail', 'skip', 'todo'] as const;
type Field = (typeof FIELDS)[number];
export type TapTally = Record<Field, number>;

const TEST_POINT = /^(not ok|ok)\b(.*)$/;
const PLAN = /^1\.\.(\d+)\s*(#.*)?$/;

export async function tap(argv: string[], ctx: CollectorContext): Promise<string> {
  const args = parseArgs('tap', argv, { values: ['field'] });
  const field = oneOf<Field>('tap', 'field', single('tap', args, 'field'), FIELDS, 'tests');
  if (args.positionals.length === 0) throw new CollectorError('@collect tap: name the TAP output file(s), e.g. @collect tap test-results/tap.txt');
  let total = 0;
  for (const file of args.positionals) {
    throwIfAborted(ctx.signal);
    total += tallyTap(await readReport(path.resolve(ctx.cwd, file), file, ctx), file)[field];
  }
  return formatNumber(total);
}

interface Block {
  indent: number;
  /** Test points at this level. */
  points: number;
  plan?: { count: number; line: number };
  /** Leaves counted inside this block (its own points and deeper ones). */
  leaves: TapTally;
  /** Whether the block ended in a test point after its plan had been seen (plan first). */
  startLine: number;
}

const empty = (): TapTally => ({ tests: 0, pass: 0, fail: 0, skip: 0, todo: 0 });
const add = (a: TapTally, b: TapTally): void => {
  for (const k of FIELDS) a[k] += b[k];
};

export function tallyTap(text: string, shownAs: string): TapTally {
  const lines = text.split(/\r?\n/);
  const root: Block = { indent: 0, points: 0, leaves: empty(), startLine: 1 };
  const stack: Block[] = [root];
  let sawTap = false;
  let yamlIndent: number | undefined;

  const checkPlan = (block: Block, where: string): void => {
    if (block.plan && block.plan.count !== block.points) {
      throw new CollectorError(`${where}: the plan 1..${block.plan.count} (line ${block.plan.line}) does not match the ${block.points} test point${block.points === 1 ? '' : 's'} found; the run was cut short or the output is mixed`);
    }
  };

  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\s+$/, '');
    const where = `${shownAs}:${n + 1}`;
    if (raw.trim() === '') continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trimStart();
    if (yamlIndent !== undefined) {
      if (indent >= yamlIndent && line === '...') yamlIndent = undefined;
      continue;
    }
    if (/^TAP version \d+$/i.test(line)) {
      sawTap = true;
      continue;
    }
    if (/^Bail out!/i.test(line)) throw new CollectorError(`${where}: ${line} (the test run stopped early, so its counts are incomplete)`);
    if (line === '---' && indent >= stack[stack.length - 1].indent) {
      yamlIndent = indent;
      continue;
    }
    const isPoint = TEST_POINT.test(line);
    const isPlan = PLAN.test(line);
    if (!isPoint && !isPlan) continue; // comments (# Subtest, # pass 3), pragmas, anything else
    sawTap = true;
    // A deeper line opens a subtest block (the `# Subtest:` comment is optional).
    if (indent > stack[stack.length - 1].indent) {
      stack.push({ indent, points: 0, leaves: empty(), startLine: n + 1 });
    }
    // A shallower line closes subtest blocks; the closing point is the parent's.
    let closed: Block | undefined;
    while (indent < stack[stack.length - 1].indent) {
      const block = stack.pop()!;
      checkPlan(block, where);
      if (closed || indent > stack[stack.length - 1].indent) throw new CollectorError(`${where}: indentation ${indent} closes no subtest properly (each subtest ends with its parent's test point)`);
      closed = block;
      if (!isPoint) throw new CollectorError(`${where}: a subtest must be closed by its parent's test point`);
    }
    const block = stack[stack.length - 1];
    if (isPlan) {
      if (block.plan) throw new CollectorError(`${where}: a second plan in the same block (line ${block.plan.line} had one)`);
      block.plan = { count: Number(PLAN.exec(line)![1]), line: n + 1 };
      continue;
    }
    block.points++;
    if (closed && closed.leaves.tests > 0) {
      add(block.leaves, closed.leaves);
      continue;
    }
    const [, status, rest] = TEST_POINT.exec(line)!;
    const directive = directiveOf(rest);
    block.leaves.tests++;
    if (directive === 'todo') block.leaves.todo++;
    else if (directive === 'skip') block.leaves.skip++;
    else if (status === 'ok') block.leaves.pass++;
    else block.leaves.fail++;
  }
  if (!sawTap) throw new CollectorError(`${shownAs} has no TAP test points or plan; it is not TAP output`);
  while (stack.length > 1) {
    const block = stack.pop()!;
    throw new CollectorError(`${shownAs}: the subtest starting at line ${block.startLine} is never closed by a test point; the output is cut short`);
  }
  if (!root.plan) throw new CollectorError(`${shownAs} has no plan (1..N) at the top level; the run was cut short`);
  checkPlan(root, shownAs);
  return root.leaves;
}

/** The directive after an unescaped `#`: skip, todo or none. */
function directiveOf(rest: string): 'skip' | 'todo' | undefined {
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') {
      i++;
      continue;
    }
    if (rest[i] !== '#') continue;
    const word = /^\s*(\S+)/.exec(rest.slice(i + 1))?.[1]?.toLowerCase() ?? '';
    if (word.startsWith('skip')) return 'skip';
    if (word.startsWith('todo')) return 'todo';
    return undefined;
  }
  return undefined;
}
