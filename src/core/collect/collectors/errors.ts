/**
 * The two ways a collector ends without a value. Kept apart from index.ts so every collector
 * can throw them without importing the dispatcher.
 */

/** The collector could not produce a value; recorded as `invalid-output` with this message. */
export class CollectorError extends Error {
  override name = 'CollectorError';
}

/**
 * A command the collector ran (only `@collect time`) exited unsuccessfully; recorded as
 * `failed` with the exit code, like a failing shell command.
 */
export class CollectorCommandFailed extends Error {
  override name = 'CollectorCommandFailed';
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/** Throws the signal's reason when it is aborted; called between files so cancellation is prompt. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}
