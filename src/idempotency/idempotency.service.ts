// Idempotency-Key handling (draft-ietf-httpapi-idempotency-key-header): the first request with a
// key runs and its outcome is stored; a repeat with the same key gets the stored outcome (replayed),
// a concurrent repeat waits for the first to finish. Errors we raised on purpose (409s etc.) are
// stored and replayed too; an unexpected failure releases the key so the client can retry.
import { createHash } from 'node:crypto';
import { AppError, type FieldError, type ProblemExtensions } from '../errors.js';
import { isProblemSlug } from '../shared/problem-types.js';
import type { IdempotencyRepository } from './idempotency.repository.js';

export interface Outcome {
  status: number;
  body: unknown;
  replayed: boolean;
  /** Set when the stored first outcome was a refusal: the caller rethrows it after marking the replay. */
  error?: AppError;
}

interface StoredProblem {
  kind: AppError['kind'];
  type: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  extensions?: ProblemExtensions;
}

const KEEP_MS = 24 * 60 * 60 * 1000;
/**
 * A key still pending after this long belongs to a request whose process died (or whose database
 * went away) before it stored the outcome: a retry takes it over and runs the action again, which
 * the action must make safe (check-out and check-in recognise their own earlier attempt).
 */
const ABANDONED_MS = 30_000;

export const fingerprintOf = (body: unknown) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

export class IdempotencyService {
  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly opts: { waitMs: number; pollMs: number; abandonedMs: number } = {
      waitMs: 10_000,
      pollMs: 25,
      abandonedMs: ABANDONED_MS,
    },
  ) {}

  /**
   * Runs `action` once per (scope, key). `scope` names the actor and route so one user's key can
   * never replay another's result.
   */
  async run(
    scope: string,
    key: string,
    fingerprint: string,
    action: () => Promise<{ status: number; body: unknown }>,
  ): Promise<Outcome> {
    const id = `${scope}\n${key}`;
    const deadline = Date.now() + this.opts.waitMs;
    for (;;) {
      if (await this.repo.claim(id, fingerprint)) return this.runClaimed(id, action);
      const doc = await this.repo.get(id);
      if (!doc) continue; // the first attempt failed unexpectedly and released the key: claim again
      if (doc.fingerprint !== fingerprint) {
        throw new AppError(
          'idempotency-key-reused',
          'This Idempotency-Key was first used with a different body; use a new key for a new request',
        );
      }
      if (doc.state === 'done') {
        if (doc.failed) {
          const p = doc.body as StoredProblem;
          const error = new AppError(
            isProblemSlug(p.type) ? p.type : 'bad-request',
            p.detail,
            p.errors,
            p.extensions,
          );
          return { status: error.status, body: null, replayed: true, error };
        }
        return { status: doc.status ?? 200, body: doc.body, replayed: true };
      }
      if (Date.now() - doc.createdAt.getTime() > this.opts.abandonedMs) {
        await this.repo.releaseIfCreatedAt(id, doc.createdAt);
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError('idempotency-request-in-progress', 'Retry shortly');
      }
      await new Promise((r) => setTimeout(r, this.opts.pollMs));
    }
  }

  private async runClaimed(id: string, action: () => Promise<{ status: number; body: unknown }>) {
    let result;
    try {
      result = await action();
    } catch (err) {
      if (err instanceof AppError) {
        const stored: StoredProblem = {
          kind: err.kind,
          type: err.type,
          title: err.title,
          ...(err.detail !== undefined && { detail: err.detail }),
          ...(err.errors && { errors: err.errors }),
          ...(err.extensions && { extensions: err.extensions }),
        };
        await this.repo.complete(id, err.status, stored, true);
      } else {
        await this.release(id);
      }
      throw err;
    }
    // JSON round trip so a replay returns exactly what the first response carried.
    const body = JSON.parse(JSON.stringify(result.body ?? null)) as unknown;
    await this.repo.complete(id, result.status, body, false);
    return { status: result.status, body, replayed: false };
  }

  /**
   * Gives the key back after an unexpected failure. When the failure was the database going away,
   * the release fails too: keep trying in the background so a client's retry soon after the
   * database is back runs again, rather than waiting out ABANDONED_MS.
   */
  private async release(id: string, attempt = 0): Promise<void> {
    try {
      await this.repo.release(id);
    } catch {
      // ~15 s, well inside ABANDONED_MS: after that the abandoned-key takeover applies instead.
      if (attempt >= 5) return;
      setTimeout(() => void this.release(id, attempt + 1), Math.min(500 * 2 ** attempt, 30_000)).unref();
    }
  }

  /** Forgets keys older than a day (FerretDB v1 has no TTL expiry). */
  prune(now = new Date()) {
    return this.repo.pruneOlderThan(new Date(now.getTime() - KEEP_MS));
  }
}
