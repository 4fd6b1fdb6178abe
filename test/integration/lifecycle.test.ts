import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runPlatform } from '../helpers/process.js';

/** Processes whose command line mentions the directory (to find a leftover FerretDB). */
function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('process lifecycle', () => {
  it('refuses to start on bad configuration, naming the variable', async () => {
    const p = runPlatform({ PORT: 'not-a-port', MONGODB_URI: 'mongodb://127.0.0.1:1' });
    const { code } = await p.exit;
    expect(code).toBe(2);
    expect(p.stderr()).toMatch(/PORT/);
  });

  it('starts on the embedded database, prints the first admin password once, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bwv-life-'));
    const p = runPlatform({ DATA_DIR: dataDir });
    const url = await p.url;
    await p.waitForLog((l) => l.msg === 'API ready');
    expect((await request(url).get('/readyz')).status).toBe(200);

    const password = /password (\S+)/.exec(p.stderr())?.[1];
    expect(password).toBeDefined();
    expect(JSON.stringify(p.logs)).not.toContain(password);
    expect(processesUsing(path.join(dataDir, 'db')).length).toBe(1); // the FerretDB child

    // A request in flight when SIGTERM arrives still gets its answer.
    const inFlight = request(url).post('/api/v1/auth/login').send({ username: 'admin', password });
    const sent = new Promise<void>((r) => setTimeout(r, 30));
    const response = inFlight.then((r) => r.status);
    await sent;
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    expect(await response).toBe(200);
    const { code } = await p.exit;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(processesUsing(path.join(dataDir, 'db'))).toEqual([]);

    // Second start on the same data: the admin exists, no new password is printed.
    const again = runPlatform({ DATA_DIR: dataDir });
    await again.waitForLog((l) => l.msg === 'API ready');
    const login = await request(await again.url)
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password });
    expect(login.status).toBe(200);
    expect(again.stderr()).not.toMatch(/First run/);
    again.child.kill('SIGINT');
    expect((await again.exit).code).toBe(0);
  });

  it('keeps running with /readyz at 503 while the database is unreachable, retrying with backoff', async () => {
    const p = runPlatform({ MONGODB_URI: 'mongodb://127.0.0.1:9/bwv' });
    const url = await p.url;
    await p.waitForLog((l) => l.msg === 'database unreachable, retrying', 30_000);
    expect((await request(url).get('/healthz')).status).toBe(200);
    const ready = await request(url).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      detail: 'Not ready: database, broker',
      // The platform's MQTT client connects once the database is up.
      checks: { database: 'failed', broker: 'failed' },
    });
    const api = await request(url).get('/api/v1/me');
    expect(api.status).toBe(503);
    expect(api.body.type).toBe('/problems/not-ready');
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
  });
});
