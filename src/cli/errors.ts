/** A problem with how tidemark was called or configured: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';

  /** showUsage: print the command's usage line after the message. */
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_USAGE = 2;
export const EXIT_STRICT_FAILURES = 3;
/** Sharing through git notes failed (no remote, no network, push refused); nothing local was lost. */
export const EXIT_SHARING_FAILED = 4;
/** Interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/**
 * A message a user can act on for the failures that are about their machine rather than a
 * bug (full disk, read-only folder, permissions, a directory or foreign file as the store, a
 * locked store), or null for a genuinely unexpected error.
 */
export function actionableMessage(error: unknown, dbPath: string): { message: string; exitCode: number } | null {
  if (!(error instanceof Error)) return null;
  const e = error as NodeJS.ErrnoException;
  const where = e.path ?? dbPath;
  if (e.name === 'StoreRefusedError') return { message: e.message, exitCode: EXIT_USAGE };
  if (e.name === 'StoreLockedError') return { message: e.message, exitCode: EXIT_UNEXPECTED };
  if (e.name === 'GitRefusedError') return { message: e.message, exitCode: EXIT_USAGE };
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return {
        message: `no space left on the disk holding ${where}: nothing more was recorded and the history recorded so far is intact. Free some space (or point --db at another disk) and run again.`,
        exitCode: EXIT_UNEXPECTED,
      };
    case 'EROFS':
      return {
        message: `${where} is on a read-only file system: recording needs a writable folder. Point --db at a writable location; read-only commands (stats, history, summary, export, compare, report, check) work on a read-only store.`,
        exitCode: EXIT_UNEXPECTED,
      };
    case 'EACCES':
    case 'EPERM':
      return { message: `permission denied on ${where}: run as a user who may write it, or point --db elsewhere.`, exitCode: EXIT_UNEXPECTED };
    case 'EISDIR':
      return { message: `${where} is a directory where a file was expected: point --db at a file (e.g. ${where}/tidemark.db).`, exitCode: EXIT_USAGE };
    case 'ENOTDIR':
      return { message: `a part of ${where} is a file where a folder was expected: choose another --db path.`, exitCode: EXIT_USAGE };
    default:
      return null;
  }
}
