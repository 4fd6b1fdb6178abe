import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { startApp, type TestApp } from '../helpers/app.js';
import { newStation } from '../helpers/factories.js';

interface Entry {
  seq: number;
  action: string;
  actor: { type: string; id: string; via?: string };
  target: { kind: string; id: string };
  requestId: string | null;
  changes: Record<string, unknown> | null;
}

describe('audit trail', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
    auditor = await app.as('auditor');
  });
  afterAll(() => app.close());

  it('records each change with its actor, target, changes and request id', async () => {
    const station = await newStation(app, admin);
    const stores = await app.as('stores', 'clerk-audit');
    await app
      .http()
      .post('/api/v1/officers')
      .set(stores)
      .set('X-Request-Id', 'req-audit-1')
      .send({ number: 'AUD1', name: 'PC Audit', station, qualifications: ['UNIFORM'] })
      .expect(201);
    await app.http().patch('/api/v1/officers/AUD1').set(stores).send({ team: 'D' }).expect(200);

    const res = await app
      .http()
      .get('/api/v1/audit?targetKind=officer&targetId=AUD1')
      .set(auditor)
      .expect(200);
    const [update, create] = res.body.items as Entry[];
    expect(create).toMatchObject({
      action: 'officer.create',
      actor: { type: 'user', id: 'clerk-audit', via: 'token' },
      target: { kind: 'officer', id: 'AUD1' },
      requestId: 'req-audit-1',
    });
    expect(update).toMatchObject({ action: 'officer.update', changes: { team: { from: null, to: 'D' } } });
    expect(update!.seq).toBeGreaterThan(create!.seq);
  });

  it('verifies the chain, and reports the first entry edited behind the API', async () => {
    await newStation(app, admin);
    const ok = await app.http().get('/api/v1/audit/verify').set(auditor).expect(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.entries).toBeGreaterThan(3);

    // Tamper directly in the database, as an insider with database access might.
    const conn = await mongoose
      .createConnection(process.env.BWV_TEST_MONGODB_URI!, { dbName: app.dbName })
      .asPromise();
    try {
      await conn.collection('audit').updateOne({ seq: 3 }, { $set: { summary: 'nothing happened here' } });
      const broken = await app.http().get('/api/v1/audit/verify').set(auditor).expect(200);
      expect(broken.body).toEqual({ ok: false, brokenAt: 3, entries: 2 });
    } finally {
      await conn.close();
    }
  });
});

describe('audit trail under concurrency', () => {
  it('keeps one unbroken chain when many requests and two processes append at once', async () => {
    const first = await startApp();
    // A second platform instance on the same database stands in for a second API process:
    // its own connection, its own cached chain head.
    const second = await startApp({ MONGODB_DB: first.dbName });
    try {
      const a = await first.as('admin');
      const b = await second.as('admin');
      const codes = Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(2, '0')}`);
      const results = await Promise.all(
        codes.map((code, i) =>
          (i % 2 ? first : second)
            .http()
            .post('/api/v1/stations')
            .set(i % 2 ? a : b)
            .send({ code, name: code }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(codes.map(() => 201));

      const verdict = await first.http().get('/api/v1/audit/verify').set(a).expect(200);
      expect(verdict.body.ok).toBe(true);
      const all = await first.http().get('/api/v1/audit?action=station.create&limit=500').set(a).expect(200);
      expect(new Set(all.body.items.map((e: Entry) => e.target.id))).toEqual(new Set(codes));
    } finally {
      await second.close();
      await first.close();
    }
  });
});
