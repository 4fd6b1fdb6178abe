// Webhooks end to end: an admin registers an endpoint, a check-out publishes `camera.checked-out`,
// and a real local HTTP receiver gets it signed per Standard Webhooks (verified with the
// `standardwebhooks` library), retried with backoff through the job scheduler until it succeeds,
// or dead once the (shortened) retry window ends. Also: the publish path never waits for a
// receiver, replay, the secret shown once, admins only, audit entries, and the address rules.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { Webhook } from 'standardwebhooks';
import { createLogger } from '../../src/logger.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newOfficer, newStation } from '../helpers/factories.js';
import { eventually } from '../helpers/mqtt.js';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** A real HTTP receiver; each path answers as `behaviour` says (status, or 'hang' never to answer). */
async function startReceiver(behaviour: (path: string, nth: number) => number | 'hang') {
  const received: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({
        path,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const answer = behaviour(path, received.filter((r) => r.path === path).length);
      if (answer === 'hang') hanging.push(res);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    at: (path: string) => received.filter((r) => r.path === path),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A port nothing listens on: connections are refused. */
async function closedPort() {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface DeliveryView {
  id: string;
  eventId: string;
  type: string;
  state: string;
  attempts: Array<{ at: string; durationMs: number; status: number | null; error: string | null }>;
  nextAttemptAt: string | null;
  lastError: string | null;
  replayOf: string | null;
  data: Record<string, unknown>;
}

const TIMEOUT_MS = 2_000;

describe('webhooks', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let stores: Record<string, string>;
  let auditor: Record<string, string>;
  let mongo: MongoClient;
  const logLines: string[] = [];
  const receiver = startReceiver((path, nth) => {
    if (path === '/flaky') return nth <= 2 ? 500 : 200;
    if (path === '/hang') return 'hang';
    return 200;
  });

  beforeAll(async () => {
    app = await startApp(
      {
        // The receivers are on this machine; the address rules have their own app below.
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        WEBHOOK_RETRY_BASE_MS: '200',
        WEBHOOK_RETRY_WINDOW_S: '3',
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        JOBS_POLL_MS: '200',
      },
      createLogger('debug', { write: (line: string) => void logLines.push(line) }),
    );
    admin = await app.as('admin');
    stores = await app.as('stores');
    auditor = await app.as('auditor');
    mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
  }, 60_000);
  afterAll(async () => {
    if (process.env.DUMP_LOG) console.log(logLines.filter((l) => /"level":(40|50)/.test(l)).join(''));
    await (await receiver).close();
    await mongo?.close();
    await app?.close();
  });

  const register = async (body: Record<string, unknown>) =>
    (await app.http().post('/api/v1/webhooks').set(admin).send(body).expect(201)).body as {
      id: string;
      secret: string;
      url: string;
      events: string[];
      enabled: boolean;
    };
  const deliveries = async (id: string) =>
    (await app.http().get(`/api/v1/webhooks/${id}/deliveries`).set(admin).expect(200)).body as {
      items: DeliveryView[];
      total: number;
    };
  const remove = (id: string) => app.http().delete(`/api/v1/webhooks/${id}`).set(admin).expect(204);
  async function checkOut() {
    const station = await newStation(app, stores);
    const camera = await newCamera(app, stores, { station });
    const officer = await newOfficer(app, stores, { station });
    const started = Date.now();
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera, officer, mode: 'pool' })
      .expect(201);
    return { camera, officer, station, ms: Date.now() - started };
  }

  it('signs deliveries per Standard Webhooks and retries a failing receiver: one delivery, succeeded after 3 attempts', async () => {
    const rx = await receiver;
    const hook = await register({
      url: rx.url('/flaky'),
      events: ['camera.checked-out'],
      description: 'evidence system',
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(hook).toMatchObject({ events: ['camera.checked-out'], enabled: true });

    const { camera, officer, station } = await checkOut();
    await eventually(() => rx.at('/flaky').length === 3, 15_000);
    const requests = rx.at('/flaky');
    const verifier = new Webhook(hook.secret);
    for (const r of requests) {
      // verify() checks `webhook-signature` over "id.timestamp.body" and that the timestamp is fresh.
      expect(verifier.verify(r.body, r.headers)).toEqual({
        type: 'camera.checked-out',
        occurredAt: expect.any(String),
        data: { camera, officer, station, mode: 'pool' },
      });
      expect(r.headers['content-type']).toBe('application/json');
    }
    // The same message on every attempt: a receiver drops repeats by webhook-id.
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    // A signature made with another secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(
        requests[0]!.body,
        requests[0]!.headers,
      ),
    ).toThrow();
    // Backoff: the second wait is longer than the first's shortest (base 200 ms, doubling, jittered).
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(100);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(200);

    const log = await eventually(async () => {
      const l = await deliveries(hook.id);
      return l.items[0]?.state === 'succeeded' && l;
    }, 5_000);
    expect(log.total).toBe(1);
    const [delivery] = log.items;
    expect(delivery).toMatchObject({
      id: requests[0]!.headers['webhook-id'],
      type: 'camera.checked-out',
      state: 'succeeded',
      nextAttemptAt: null,
      replayOf: null,
      data: { camera, officer, station, mode: 'pool' },
    });
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(delivery!.attempts.map((a) => a.error)).toEqual(['HTTP 500', 'HTTP 500', null]);

    // Run the last attempt's job again, as a processor that crashed before finishing it would:
    // nothing is sent, nothing recorded twice.
    await mongo
      .db(app.dbName)
      .collection('agenda_jobs')
      .insertOne({
        name: 'webhooks.deliver',
        key: `rerun-${delivery!.id}`,
        data: { deliveryId: delivery!.id, attempt: 3 },
        type: 'normal',
        priority: 0,
        nextRunAt: new Date(),
        lockedAt: null,
      });
    await eventually(
      async () =>
        (await mongo
          .db(app.dbName)
          .collection('agenda_jobs')
          .findOne({ key: `rerun-${delivery!.id}`, lastFinishedAt: { $ne: null } })) !== null,
      10_000,
    );
    expect(rx.at('/flaky')).toHaveLength(3);
    expect((await deliveries(hook.id)).items[0]!.attempts).toHaveLength(3);
    await remove(hook.id);
  });

  it('never makes the check-out wait for a receiver that hangs', async () => {
    const rx = await receiver;
    const hook = await register({ url: rx.url('/hang'), events: ['*'] });
    const { ms } = await checkOut();
    // Had the check-out waited for the receiver, it would have taken the whole timeout.
    expect(ms).toBeLessThan(TIMEOUT_MS);
    await eventually(() => rx.at('/hang').length >= 1, 10_000);
    const failed = await eventually(async () => {
      const [d] = (await deliveries(hook.id)).items;
      return d?.attempts.length ? d : null;
    }, 10_000);
    expect(failed.attempts[0]).toMatchObject({ status: null, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(failed.attempts[0]!.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    await remove(hook.id);
  });

  it('gives a delivery to a receiver that is down up as dead, with its last error, after the retry window', async () => {
    const hook = await register({
      url: `http://127.0.0.1:${await closedPort()}/down`,
      events: ['camera.checked-out'],
    });
    await checkOut();
    const dead = await eventually(async () => {
      const [d] = (await deliveries(hook.id)).items;
      return d?.state === 'dead' ? d : null;
    }, 15_000);
    expect(dead.lastError).toMatch(/ECONNREFUSED/);
    expect(dead.nextAttemptAt).toBeNull();
    expect(dead.attempts.length).toBeGreaterThanOrEqual(3);
    // Every attempt after the first fell within the window (3 s) of the first.
    const first = Date.parse(dead.attempts[0]!.at);
    for (const a of dead.attempts) expect(Date.parse(a.at) - first).toBeLessThanOrEqual(3_000);
    const listed = await app
      .http()
      .get(`/api/v1/webhooks/${hook.id}/deliveries?state=dead`)
      .set(admin)
      .expect(200);
    expect(listed.body.total).toBe(1);
    await remove(hook.id);
  });

  it('replays a delivery as a new one, sent again with its own webhook-id', async () => {
    const rx = await receiver;
    const hook = await register({ url: rx.url('/replayed'), events: ['camera.checked-out'] });
    const { camera } = await checkOut();
    const original = await eventually(async () => {
      const [d] = (await deliveries(hook.id)).items;
      return d?.state === 'succeeded' ? d : null;
    }, 10_000);
    const replay = await app
      .http()
      .post(`/api/v1/webhooks/${hook.id}/deliveries/${original.id}/replay`)
      .set(admin)
      .expect(202);
    expect(replay.body).toMatchObject({ replayOf: original.id, type: 'camera.checked-out' });
    expect(replay.body.id).not.toBe(original.id);
    const sent = (id: string) => rx.at('/replayed').find((r) => r.headers['webhook-id'] === id);
    const again = await eventually(() => sent(replay.body.id as string), 10_000);
    expect(JSON.parse(again.body)).toEqual(JSON.parse(sent(original.id)!.body));
    expect(new Webhook(hook.secret).verify(again.body, again.headers)).toMatchObject({ data: { camera } });
    const log = await eventually(async () => {
      const l = await deliveries(hook.id);
      return l.items.every((d) => d.state === 'succeeded') && l.total === 2 && l;
    }, 5_000);
    expect(log.items.map((d) => d.replayOf).sort()).toEqual([null, original.id].sort());
    // A delivery of another webhook is not found under this one.
    await app
      .http()
      .post(`/api/v1/webhooks/wh_${'0'.repeat(24)}/deliveries/${original.id}/replay`)
      .set(admin)
      .expect(404);
    await remove(hook.id);
  });

  it('shows the secret once, in the 201, and never again: not in reads, changes, the audit trail or the log', async () => {
    const hook = await register({ url: 'https://10.20.30.40/hooks', events: ['*'], description: 'x' });
    const responses = [
      await app.http().get('/api/v1/webhooks').set(admin).expect(200),
      await app.http().get(`/api/v1/webhooks/${hook.id}`).set(admin).expect(200),
      await app.http().patch(`/api/v1/webhooks/${hook.id}`).set(admin).send({ enabled: false }).expect(200),
      await app.http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(admin).expect(200),
      await app.http().get(`/api/v1/audit?targetKind=webhook&targetId=${hook.id}`).set(auditor).expect(200),
    ];
    for (const res of responses) {
      expect(res.text).not.toContain(hook.secret);
      expect(res.text).not.toContain('whsec_');
    }
    expect(responses[1]!.body).toMatchObject({ id: hook.id, url: hook.url, enabled: true });
    expect(responses[1]!.body).not.toHaveProperty('secret');
    expect(responses[2]!.body).toMatchObject({ enabled: false });
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((l) => l.includes(hook.secret) || l.includes('whsec_'))).toEqual([]);
    await remove(hook.id);
  });

  it('audits every change: create, update, replay and delete', async () => {
    const hook = await register({ url: 'https://10.20.30.41/a', events: ['camera.checked-in'] });
    await app
      .http()
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(admin)
      .send({ events: ['camera.checked-in', 'camera.checked-out'], description: 'both' })
      .expect(200);
    await remove(hook.id);
    await app.http().get(`/api/v1/webhooks/${hook.id}`).set(admin).expect(404);
    const audit = await app
      .http()
      .get(`/api/v1/audit?targetKind=webhook&targetId=${hook.id}`)
      .set(auditor)
      .expect(200);
    const entries = (audit.body.items as Array<{ action: string; changes: Record<string, unknown> }>).sort(
      (a, b) => a.action.localeCompare(b.action),
    );
    expect(entries.map((e) => e.action)).toEqual(['webhook.create', 'webhook.delete', 'webhook.update']);
    expect(entries[0]!.changes).toMatchObject({ url: hook.url, events: ['camera.checked-in'] });
    expect(entries[2]!.changes).toEqual({
      events: { from: ['camera.checked-in'], to: ['camera.checked-in', 'camera.checked-out'] },
      description: { from: '', to: 'both' },
    });
  });

  it('accepts only event names from the map, or "*" alone', async () => {
    for (const events of [['camera.exploded'], ['*', 'camera.checked-out'], []]) {
      const res = await app
        .http()
        .post('/api/v1/webhooks')
        .set(admin)
        .send({ url: 'https://10.20.30.43/', events })
        .expect(400);
      expect(res.type).toBe('application/problem+json');
    }
    await app
      .http()
      .post('/api/v1/webhooks')
      .set(admin)
      .send({ url: 'ftp://x.example.test/', events: ['*'] })
      .expect(400);
  });

  it('is for admins only', async () => {
    const hook = await register({ url: 'https://10.20.30.42/roles', events: ['*'] });
    // Those who keep the cameras, read the audit trail and provision devices: not them either.
    for (const who of [stores, auditor, await app.as('it')]) {
      await app.http().get('/api/v1/webhooks').set(who).expect(403);
      await app.http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(who).expect(403);
      await app
        .http()
        .post('/api/v1/webhooks')
        .set(who)
        .send({ url: 'https://10.20.30.43/', events: ['*'] })
        .expect(403);
      await app.http().delete(`/api/v1/webhooks/${hook.id}`).set(who).expect(403);
    }
    await app.http().get('/api/v1/webhooks').expect(401);
    await remove(hook.id);
  });
});

describe('webhook addresses', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startApp(); // WEBHOOK_ALLOW_LOOPBACK unset
    admin = await app.as('admin');
  }, 60_000);
  afterAll(() => app?.close());

  const post = (url: string) =>
    app
      .http()
      .post('/api/v1/webhooks')
      .set(admin)
      .send({ url, events: ['*'] });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['a name for loopback', 'http://localhost/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
    ['IPv4-mapped link-local', 'http://[::ffff:169.254.169.254]/'],
    ['unspecified', 'http://0.0.0.0/hook'],
    ['multicast', 'http://224.0.0.1/hook'],
  ])('refuses %s without WEBHOOK_ALLOW_LOOPBACK (422)', async (_what, url) => {
    const res = await post(url).expect(422);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.type).toBe('/problems/webhook-url-refused');
  });

  it('allows private networks, where a force’s own systems live', async () => {
    for (const url of ['http://10.1.2.3/hook', 'https://192.168.10.20/hook', 'http://172.16.0.9:8443/x']) {
      const res = await post(url).expect(201);
      await app.http().delete(`/api/v1/webhooks/${res.body.id}`).set(admin).expect(204);
    }
  });

  it('refuses a loopback URL in a change too', async () => {
    const res = await post('http://10.1.2.3/hook').expect(201);
    const refused = await app
      .http()
      .patch(`/api/v1/webhooks/${res.body.id}`)
      .set(admin)
      .send({ url: 'http://127.0.0.1/x' })
      .expect(422);
    expect(refused.body.type).toBe('/problems/webhook-url-refused');
  });
});
