/**
 * `tidemark init`: writes (or, on a dry run, only proposes) the starter config. Kept apart from
 * the CLI so the command itself is a thin adapter and the rules are tested directly.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { starterConfig, type StarterConfig } from './starterConfig';

/** A reason init refuses to write; the CLI reports it as a usage error (exit 2). */
export class InitRefused extends Error {
  override name = 'InitRefused';
  constructor(
    message: string,
    readonly notes: string[] = [],
  ) {
    super(message);
  }
}

export interface InitOptions {
  cwd: string;
  configPath: string;
  /** Propose only, write nothing. */
  dryRun: boolean;
  /** Replace an existing config. */
  force: boolean;
}

export async function initProject(options: InitOptions): Promise<StarterConfig & { written: boolean }> {
  const { configPath, dryRun, force } = options;
  if (!dryRun && !force && existsSync(configPath)) {
    throw new InitRefused(`${configPath} already exists: use --force to overwrite it, or --dry-run to see the proposal`);
  }
  const starter = await starterConfig(options.cwd);
  if (starter.metrics.length === 0) {
    throw new InitRefused(`found nothing to measure in ${options.cwd} (no source files, manifests, build output or reports)`, starter.notes);
  }
  // 'wx' so a config created meanwhile (by the editor, say) is never replaced without --force.
  if (!dryRun) await writeFile(configPath, starter.text, { flag: force ? 'w' : 'wx' });
  return { ...starter, written: !dryRun };
}
