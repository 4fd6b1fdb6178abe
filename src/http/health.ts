// Liveness and readiness. Readiness runs every registered check (database, and the broker once it
// exists) and answers 503 naming the ones that failed.
import { Router } from 'express';
import { problemTypeUri } from '../errors.js';

export type ReadinessCheck = () => Promise<void>;

const withTimeout = (p: Promise<void>, ms: number) =>
  Promise.race([
    p,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);

export function healthRoutes(checks: Record<string, ReadinessCheck>) {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'failed'] as const;
        }
      }),
    );
    const failed = results.filter(([, r]) => r !== 'ok').map(([n]) => n);
    if (failed.length === 0) {
      res.json({ status: 'ready', checks: Object.fromEntries(results) });
      return;
    }
    res
      .status(503)
      .type('application/problem+json')
      .json({
        type: problemTypeUri('not-ready'),
        title: 'Not ready',
        status: 503,
        detail: `Not ready: ${failed.join(', ')}`,
        checks: Object.fromEntries(results),
      });
  });
  return router;
}
