// Login throttling after OWASP's Authentication Cheat Sheet: failures on one account (from any
// address) and failures from one address (on any account) each earn a delay that doubles with
// every further failure, up to a cap. While a delay runs, attempts are refused with 429 before the
// password is even checked, so guessing gains nothing from sending faster. The address allowance is
// generous because a whole station sits behind one NAT address: one person's typos must not lock
// out the others. A refused attempt does not count, so hammering cannot prolong someone's wait.
import { AppError } from '../errors.js';
import type { Attempt, LoginAttemptsRepository } from './login-attempts.repository.js';

export interface ThrottlePolicy {
  /** Failures on one account before each further attempt must wait. */
  accountFailures: number;
  /** Failures from one address before each further attempt must wait. */
  addressFailures: number;
  /** The longest wait (the first is 1 s, doubling with each further failure). */
  maxDelayMs: number;
}

/** Failures older than this no longer count. */
export const FAILURE_MEMORY_MS = 60 * 60_000;
const FIRST_DELAY_MS = 1_000;
const SWEEP_EVERY_MS = 60_000;

export interface LoginClient {
  account: string;
  address: string;
}

/** 429: this login must wait; the route sends the wait as `Retry-After` too. */
export class LoginWaitError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super('too-many-login-attempts', `Too many failed logins; try again in ${seconds} s`);
    this.retryAfterSeconds = seconds;
  }
}

export class LoginThrottle {
  private nextSweep = 0;

  constructor(
    private readonly repo: LoginAttemptsRepository,
    private readonly policy: ThrottlePolicy,
  ) {}

  /**
   * Runs `check` (the password check) unless the account or address must wait, in which case it
   * throws LoginWaitError. `check` rejecting with `isFailure(err)` counts as a failed login;
   * resolving clears the account's failures (its address's stay: others share the address).
   */
  async guard<T>(client: LoginClient, check: () => Promise<T>, isFailure: (err: unknown) => boolean) {
    const now = Date.now();
    if (now >= this.nextSweep) {
      this.nextSweep = now + SWEEP_EVERY_MS;
      await this.repo.deleteExpired(new Date(now));
    }
    // Recorded first, so concurrent attempts see each other: a burst cannot all slip past.
    const mine = await this.repo.insert({
      ...client,
      at: new Date(now),
      expires: new Date(now + FAILURE_MEMORY_MS),
    });
    let counted = false;
    try {
      const since = new Date(now - FAILURE_MEMORY_MS);
      const [account, address] = await Promise.all([
        this.repo.since({ account: client.account }, since),
        this.repo.since({ address: client.address }, since),
      ]);
      const wait = Math.max(
        this.waitMs(account, mine, this.policy.accountFailures),
        this.waitMs(address, mine, this.policy.addressFailures),
      );
      if (wait > 0) throw new LoginWaitError(wait);
      try {
        const result = await check();
        await this.repo.clearAccount(client.account);
        return result;
      } catch (err) {
        counted = isFailure(err);
        // Waits run from when the failure was known, not from when the (slow) check began.
        if (counted) await this.repo.failedAt(mine.id, new Date());
        throw err;
      }
    } finally {
      if (!counted) await this.repo.remove(mine.id);
    }
  }

  /**
   * How long `mine` must wait given every other attempt on its key: failures, and attempts still
   * being checked. Counting those in flight (not only the ones stamped earlier) is what makes a
   * burst safe: of any `allowed + 1` concurrent attempts, the last to read sees the others.
   */
  private waitMs(attempts: Attempt[], mine: Attempt, allowed: number) {
    const others = attempts.filter((a) => a.id !== mine.id);
    const last = others.at(-1);
    if (others.length < allowed || !last) return 0;
    const delay = Math.min(FIRST_DELAY_MS * 2 ** (others.length - allowed), this.policy.maxDelayMs);
    return Math.min(last.at.getTime() + delay - mine.at.getTime(), this.policy.maxDelayMs);
  }
}
