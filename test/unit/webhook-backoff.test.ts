// Webhook retries: exponential backoff with jitter, capped, until the window from the first attempt.
import { describe, expect, it } from '@jest/globals';
import { MAX_DELAY_MS, nextAttemptAt, retryDelay } from '../../src/webhooks/backoff.js';

describe('webhook backoff', () => {
  it('doubles the wait after each failure, jittered between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 1000, () => 0))).toEqual([500, 1000, 2000, 4000]);
  });

  it('never waits longer than an hour, however many attempts failed', () => {
    expect(retryDelay(30, 30_000, () => 1)).toBe(MAX_DELAY_MS);
    expect(retryDelay(5000, 30_000, () => 1)).toBe(MAX_DELAY_MS);
  });

  it('gives up once the next attempt would fall outside the window from the first', () => {
    const first = new Date('2026-12-01T00:00:00Z');
    const policy = { baseMs: 30_000, windowMs: 86_400_000 };
    expect(nextAttemptAt(1, first, first, policy, () => 1)).toEqual(new Date('2026-12-01T00:00:30Z'));
    const late = new Date('2026-12-01T23:30:00Z');
    expect(nextAttemptAt(20, first, late, policy, () => 1)).toBeNull();
  });

  it('retries about 30 times over 24 hours with the defaults', () => {
    const first = new Date(0);
    const policy = { baseMs: 30_000, windowMs: 86_400_000 };
    let now = first;
    let attempts = 1;
    for (let next = nextAttemptAt(1, first, now, policy, () => 1); next; attempts++) {
      now = next;
      next = nextAttemptAt(attempts + 1, first, now, policy, () => 1);
    }
    expect(attempts).toBeGreaterThanOrEqual(25);
    expect(attempts).toBeLessThanOrEqual(35);
  });
});
