/**
 * Waits for a condition with a deadline — the harness's only way to wait: no fixed sleeps.
 * The condition is polled; its last thrown error (if any) is part of the timeout message.
 */
export interface WaitOptions {
  /** What is awaited, in words, for the failure message ("the status bar to show Tidemark"). */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : '';
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${options.what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}
