/**
 * In-process collectors: a metric whose command starts with `@collect` runs here instead of
 * in a shell. This module is the dispatch point; the collectors themselves live beside it.
 */
import type { TidemarkConfig } from '../../types';

export interface CollectorContext {
  cwd: string;
  signal: AbortSignal;
  config: TidemarkConfig;
  metric: string;
}

/** The collector could not produce a value; recorded as `invalid-output` with this message. */
export class CollectorError extends Error {
  override name = 'CollectorError';
}

/**
 * Runs the collector named by argv[0] with the rest of argv as its arguments and returns the
 * text to parse, exactly like a command's stdout.
 */
export async function runCollector(argv: string[], _ctx: CollectorContext): Promise<string> {
  throw new CollectorError(`unknown collector "${argv[0] ?? ''}"`);
}
