/** What every collector receives from the engine (see src/core/collect/index.ts). */
import type { TidemarkConfig } from '../../types';

export interface CollectorContext {
  cwd: string;
  signal: AbortSignal;
  config: TidemarkConfig;
  metric: string;
}

/** What a collector returns: the text to parse (like a command's stdout) and, optionally, what each file contributes. */
export interface CollectorOutput {
  text: string;
  /** File (or package) -> its part of the value: bytes, lines, files, markers, or coverage percent. */
  parts?: Record<string, number>;
}
