/**
 * What a CLI command gets to work with, and the contract every command implements.
 * Commands print through `out`/`err` (never console) so they can be run in-process in tests.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StoreApi } from '../core/store/api';
import { prepareStoreDir } from '../core/store/location';
import type { Logger, TidemarkConfig } from '../core/types';
import { silentLogger } from '../core/types';
import type { FlagValue, OptionKind } from './args';
import { UsageError } from './errors';

export interface CliContext {
  positionals: string[];
  flags: Record<string, FlagValue>;
  /** Absolute workspace folder (--cwd, else the process's). */
  cwd: string;
  json: boolean;
  /** A line to stdout. */
  out(text: string): void;
  /** Raw text to stdout (no newline added). */
  write(text: string): void;
  err(text: string): void;
  /** The config of --config (default <cwd>/tidemark.json); prints every problem and throws UsageError. */
  loadConfig(): Promise<TidemarkConfig>;
  /** Absolute path of the config file loadConfig reads. */
  configPath: string;
  /**
   * The store of --db (default <cwd>/.tidemark/tidemark.db); closed when the command ends.
   * readOnly: for commands that only read (no lock file, nothing created or repaired).
   */
  openStore(options?: { readOnly?: boolean }): Promise<StoreApi>;
  dbPath: string;
  logger: Logger;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  name: string;
  /** One line for `tidemark --help`. */
  summary: string;
  /** e.g. `tidemark compare --base REF --head REF`. */
  usage: string;
  /** More text for `tidemark <name> --help`: one entry per option and any notes. */
  details?: string[];
  options: Record<string, OptionKind>;
  /** How many positional arguments the command takes (default none). */
  positionals?: { min: number; max: number };
  run(ctx: CliContext): Promise<number>;
}

/** Same as core/config's; not imported from there so that `--help` does not load the config schema. */
const CONFIG_FILE_NAME = 'tidemark.json';

/** The history database, relative to the workspace folder. */
export const DEFAULT_DB = path.join('.tidemark', 'tidemark.db');

export const COMMON_OPTIONS: Record<string, OptionKind> = {
  cwd: 'string',
  config: 'string',
  db: 'string',
  json: 'boolean',
  verbose: 'boolean',
  help: 'boolean',
};

export const COMMON_HELP = [
  '--cwd DIR       workspace folder (default: the current directory)',
  `--config FILE   config file (default: <cwd>/${CONFIG_FILE_NAME})`,
  '--db FILE       history database (default: <cwd>/.tidemark/tidemark.db)',
  '--json          machine-readable output on stdout',
  '--verbose       log each command run and other details to stderr',
  '--help          this help',
];

export function stringFlag(ctx: Pick<CliContext, 'flags'>, name: string): string | undefined {
  const value = ctx.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function booleanFlag(ctx: Pick<CliContext, 'flags'>, name: string): boolean {
  return ctx.flags[name] === true;
}

export interface ContextIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  signal: AbortSignal;
}

export interface ContextHandle {
  ctx: CliContext;
  /** Closes whatever the command opened. */
  dispose(): Promise<void>;
}

export function createContext(flags: Record<string, FlagValue>, positionals: string[], io: ContextIo): ContextHandle {
  const cwd = path.resolve(io.cwd, stringFlag({ flags }, 'cwd') ?? '.');
  if (!existsSync(cwd)) throw new UsageError(`--cwd: no such folder: ${cwd}`, false);
  const configPath = path.resolve(cwd, stringFlag({ flags }, 'config') ?? CONFIG_FILE_NAME);
  const dbFlag = stringFlag({ flags }, 'db');
  const dbPath = path.resolve(cwd, dbFlag ?? DEFAULT_DB);
  const stores: StoreApi[] = [];
  const err = (text: string) => io.stderr(`${text}\n`);
  const ctx: CliContext = {
    positionals,
    flags,
    cwd,
    json: booleanFlag({ flags }, 'json'),
    out: (text) => io.stdout(`${text}\n`),
    write: (text) => io.stdout(text),
    err,
    configPath,
    dbPath,
    logger: booleanFlag({ flags }, 'verbose') ? stderrLogger(err) : silentLogger,
    signal: io.signal,
    env: io.env,
    async loadConfig() {
      // Loaded on use: zod's schema and the presets cost start-up time a command may not need.
      const { formatProblems, loadConfig } = await import('../core/config');
      const result = await loadConfig(configPath);
      if (result.ok) return result.config;
      const shown = path.relative(cwd, configPath) || configPath;
      err(formatProblems(shown, result.problems));
      const n = result.problems.length;
      throw new UsageError(`${shown}: ${n} problem${n === 1 ? '' : 's'}, nothing was done`, false);
    },
    async openStore(options = {}) {
      if (!options.readOnly) prepareStoreDir(path.dirname(dbPath));
      const lockTimeout = Number(io.env.TIDEMARK_LOCK_TIMEOUT_MS);
      const { openStore } = await import('../core/store/sqlStore');
      const store = await openStore(dbPath, {
        readOnly: options.readOnly,
        lockTimeoutMs: Number.isFinite(lockTimeout) && lockTimeout > 0 ? lockTimeout : undefined,
        logger: ctx.logger,
        // Damage found in the history files is worth knowing about even without --verbose.
        onProblem: (problem) => err(`warning: ${problem.message}`),
      });
      stores.push(store);
      return store;
    },
  };
  return {
    ctx,
    async dispose() {
      for (const store of stores.splice(0)) await store.close();
    },
  };
}

function stderrLogger(err: (text: string) => void): Logger {
  const log =
    (level: string) =>
    (message: string | Error, ...args: unknown[]) => {
      const text = message instanceof Error ? (message.stack ?? message.message) : message;
      err([`[${level}] ${text}`, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' '));
    };
  return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
