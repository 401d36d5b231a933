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
