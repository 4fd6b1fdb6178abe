import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { descendantRunning, killLeftoverPlatforms, runPlatform } from '../helpers/process.js';

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
  afterEach(killLeftoverPlatforms);

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

    // A request in flight when SIGTERM arrives still gets its answer: its headers and half its
    // body are in when the signal lands; the rest follows after.
    const body = JSON.stringify({ username: 'admin', password });
    const { hostname, port } = new URL(url);
    const req = http.request({
      hostname,
      port,
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    req.end(body.slice(10));
    expect(await response).toBe(200);
    const answered = Date.now();
    const { code } = await p.exit;
    expect(code).toBe(0);
    // Once in-flight work is done, closing the broker, database and FerretDB takes moments; the
    // looser bound from the signal allows for a slow scrypt login on a busy 2-core machine.
    expect(Date.now() - answered).toBeLessThan(3_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
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
  }, 90_000); // two start-ups of the whole platform on a 2-core machine

  it('keeps running with /readyz at 503 while the database is unreachable, retrying with backoff', async () => {
    const p = runPlatform({ MONGODB_URI: 'mongodb://127.0.0.1:9/bwv' });
    const url = await p.url;
    await p.waitForLog((l) => l.msg === 'database unreachable, retrying', 30_000);
    expect((await request(url).get('/healthz')).status).toBe(200);
    const ready = await request(url).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      detail: 'Not ready: database, broker, api',
      // The platform joins the bus, and mounts the API, once the database is up.
      checks: { database: 'failed', broker: 'failed', api: 'failed' },
    });
    // Logged as a warning: the probe got its answer; the cause is logged where it happens.
    const probe = await p.waitForLog((l) => (l.req as { url?: string } | undefined)?.url === '/readyz');
    expect(probe.level).toBe(40);
    const api = await request(url).get('/api/v1/me');
    expect(api.status).toBe(503);
    expect(api.body.type).toBe('/problems/not-ready');
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
  });

  it('restarts the embedded FerretDB after kill -9: /readyz 503 while it is down, 200 again on its own', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bwv-life-'));
    const p = runPlatform({ DATA_DIR: dataDir, BWV_ADMIN_PASSWORD: 'lifecycle-admin-password' });
    const url = await p.url;
    await p.waitForLog((l) => l.msg === 'API ready');
    const ferret = descendantRunning(p.child.pid!, path.join(dataDir, 'db'));
    expect(ferret).toBeDefined();
    process.kill(ferret!, 'SIGKILL');
    const seen: number[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(seen.includes(503) && seen.at(-1) === 200)) {
      seen.push((await request(url).get('/readyz')).status);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toContain(503);
    expect(seen.at(-1)).toBe(200);
    // A new child on the port the first one bound; data written before the kill is there.
    const again = descendantRunning(p.child.pid!, path.join(dataDir, 'db'));
    expect(again).not.toBe(ferret);
    expect(readFileSync(`/proc/${again}/cmdline`, 'utf8')).toMatch(/127\.0\.0\.1:[1-9]\d*/);
    const login = await request(url)
      .post('/api/v1/auth/login')
      .send({ username: 'admin', password: 'lifecycle-admin-password' });
    expect(login.status).toBe(200);
    const down = p.logs.filter((l) => l.msg === 'embedded FerretDB exited unexpectedly; restarting');
    expect(down.map((l) => l.level)).toEqual([50]);
    expect(p.logs.filter((l) => Number(l.level) >= 60)).toEqual([]);
    p.child.kill('SIGTERM');
    expect((await p.exit).code).toBe(0);
    expect(processesUsing(path.join(dataDir, 'db'))).toEqual([]);
  }, 90_000);
});
