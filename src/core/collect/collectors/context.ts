/** What every collector receives from the engine (see src/core/collect/index.ts). */
import type { TidemarkConfig } from '../../types';

export interface CollectorContext {
  cwd: string;
  signal: AbortSignal;
  config: TidemarkConfig;
  metric: string;
}
