// When to try a failed delivery again: exponential backoff with jitter, until a window from the
// first attempt has passed. Jitter ("equal jitter": half fixed, half random) spreads the retries of
// many deliveries that failed together (a receiver that was down) so they do not return in a herd.

/** No wait between two attempts is longer than this, however many failed. */
export const MAX_DELAY_MS = 60 * 60_000;

export interface RetryPolicy {
  /** The wait after the first failure, before jitter; doubled after each further one. */
  baseMs: number;
  /** Retries stop once the next attempt would fall this long after the first. */
  windowMs: number;
}

/** The wait after failed attempt number `attempt` (1-based). */
export function retryDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const full = Math.min(baseMs * 2 ** Math.min(attempt - 1, 40), MAX_DELAY_MS);
  return Math.round(full / 2 + (full / 2) * random());
}

/** When to try again after failed attempt `attempt`, or null: the window is over (dead letter). */
export function nextAttemptAt(
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
  policy: RetryPolicy,
  random?: () => number,
): Date | null {
  const next = new Date(now.getTime() + retryDelay(attempt, policy.baseMs, random));
  return next.getTime() - firstAttemptAt.getTime() > policy.windowMs ? null : next;
}
