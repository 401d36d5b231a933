/**
 * In-process collectors: a metric whose command starts with `@collect` runs here instead of
 * in a shell. This module is the dispatch point; the collectors themselves live beside it.
 *
 * A collector returns the text to parse, exactly like a command's stdout. It throws
 * CollectorError for `invalid-output` (with the reason), CollectorCommandFailed for `failed`
 * (only `time`, whose command can fail), and the signal's reason when aborted.
 */
import type { CollectorContext, CollectorOutput } from './context';
import { coverageGo, coverageIstanbul, coveragePython, coverageReport } from './coverage';
import { deps } from './deps';
import { CollectorError } from './errors';
import { files } from './fileCount';
import { goTest } from './goTest';
import { json } from './json';
import { junit } from './junit';
import { loc } from './loc';
import { size } from './size';
import { tap } from './tap';
import { time } from './time';
import { todo } from './todo';

export type { CollectorContext, CollectorOutput } from './context';
export { CollectorCommandFailed, CollectorError } from './errors';

type Collector = (argv: string[], ctx: CollectorContext) => Promise<string | CollectorOutput>;

const COLLECTORS: Record<string, Collector> = {
  loc,
  files,
  size,
  'coverage-lcov': (argv, ctx) => coverageReport('coverage-lcov', argv, ctx),
  'coverage-cobertura': (argv, ctx) => coverageReport('coverage-cobertura', argv, ctx),
  'coverage-clover': (argv, ctx) => coverageReport('coverage-clover', argv, ctx),
  'coverage-istanbul': coverageIstanbul,
  'coverage-go': coverageGo,
  'coverage-python': coveragePython,
  junit,
  'go-test': goTest,
  tap,
  json,
  todo,
  deps,
  time,
};

export const COLLECTOR_NAMES = Object.keys(COLLECTORS);

/**
 * Runs the collector named by argv[0] with the rest of argv as its arguments and returns the
 * text to parse, exactly like a command's stdout.
 */
export async function runCollector(argv: string[], ctx: CollectorContext): Promise<string> {
  return (await runCollectorWithParts(argv, ctx)).text;
}

/** Like runCollector, with the per-file breakdown when the collector has one. */
export async function runCollectorWithParts(argv: string[], ctx: CollectorContext): Promise<CollectorOutput> {
  const [name, ...rest] = argv;
  const collector = name === undefined ? undefined : COLLECTORS[name];
  if (!collector) throw new CollectorError(`unknown collector "${name ?? ''}" (known: ${COLLECTOR_NAMES.join(', ')})`);
  ctx.signal.throwIfAborted();
  const output = await collector(rest, ctx);
  return typeof output === 'string' ? { text: output } : output;
}
