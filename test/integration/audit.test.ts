import { systemContext } from '../../src/shared/index.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { entryHash, type Verdict } from '../../src/audit/chain.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newStation } from '../helpers/factories.js';
import { connectDevice, eventually, uid } from '../helpers/mqtt.js';

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
      expect(broken.body).toMatchObject({
        ok: false,
        brokenAt: 3,
        entries: 2,
        breaks: [{ seq: 3, reason: 'hash-mismatch' }],
      });
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

describe('audit chain and text the database stores differently (issue 14, finding 1)', () => {
  let app: TestApp;
  let auditor: Record<string, string>;
  let mongo: MongoClient;
  const audit = () => mongo.db(app.dbName).collection<{ _id: number; [field: string]: unknown }>('audit');
  const verify = async () =>
    (await app.http().get('/api/v1/audit/verify').set(auditor).expect(200)).body as Verdict;
  const entriesFor = async (action: string, targetId: string) =>
    (await app.http().get('/api/v1/audit').query({ action, targetId }).set(auditor).expect(200)).body
      .items as Array<{ summary: string }>;
  const reanchor = (body: object) => app.http().post('/api/v1/audit/reanchor').set(auditor).send(body);
  beforeAll(async () => {
    app = await startApp();
    auditor = await app.as('auditor');
    mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
  });
  afterAll(async () => {
    await mongo.close();
    await app.close();
  });

  /** Appends an entry as the code before the fix did: hashed over the raw text, stored with U+FFFD. */
  async function appendTheOldWay(text: string, ts = new Date()) {
    const [head] = (await app.http().get('/api/v1/audit?limit=1').set(auditor).expect(200)).body
      .items as Array<{
      seq: number;
      hash: string;
    }>;
    const fields = {
      seq: head!.seq + 1,
      ts,
      actor: { type: 'user' as const, id: 'clerk' },
      action: 'officer.update',
      target: { kind: 'officer', id: 'OLD1' },
      summary: `Officer OLD1 updated`,
      changes: { team: { from: null, to: text } },
      requestId: null,
      prevHash: head!.hash,
    };
    await audit().insertOne({ _id: fields.seq, ...fields, hash: entryHash(fields) });
    return fields.seq;
  }

  it('keeps the chain intact when a user names a token with a lone surrogate', async () => {
    await app.http().post('/api/v1/auth/tokens').set(auditor).send({ name: 't\ud800' }).expect(201);
    expect(await verify()).toMatchObject({ ok: true, breaks: [] });
    const created = await app
      .http()
      .get('/api/v1/audit?action=token.create&limit=1')
      .set(auditor)
      .expect(200);
    expect(JSON.stringify(created.body.items[0])).toContain('t\uFFFD');
  });

  it('keeps the chain intact when a camera reports a fault with lone surrogates', async () => {
    const it_ = await app.as('it');
    const serial = `CAM${uid()}`;
    const cam = await connectDevice(app, it_, 'camera', serial);
    try {
      await cam.publishAsync(
        `bwv/v1/cameras/${serial}/events`,
        JSON.stringify({
          ts: new Date().toISOString(),
          type: 'fault',
          code: 'E\ud800',
          message: 'lens \udc00',
        }),
      );
      const fault = await eventually(async () => (await entriesFor('device.alert.fault', serial))[0]);
      expect(fault.summary).toContain('lens \uFFFD');
      expect(await verify()).toMatchObject({ ok: true, breaks: [] });
    } finally {
      await cam.endAsync();
    }
    // Its going offline is audited too; let that land before the next test counts entries.
    await eventually(async () => (await entriesFor('device.alert.offline', serial)).length === 1);
  });

  it('chains entries whose content the database would refuse or return differently', async () => {
    const entry = await app.platform.services.audit.record(systemContext, {
      action: 'import.rows',
      target: { kind: 'import', id: 'I\ud800' },
      summary: 'odd content',
      changes: {
        'a.b': 1,
        $set: 2,
        'nul\u0000': 3,
        neg: -0,
        nan: NaN,
        big: 2 ** 63,
        at: new Date(0),
        deep: { 'k\udc00': [undefined] },
      },
    });
    expect(entry.changes).toEqual({
      'a\uFF0Eb': 1,
      '\uFF04set': 2,
      'nul\u2400': 3,
      neg: 0,
      nan: null,
      big: 2 ** 63,
      at: '1970-01-01T00:00:00.000Z',
      deep: { 'k\uFFFD': [null] },
    });
    expect(await audit().findOne({ _id: entry.seq })).toMatchObject({
      changes: entry.changes,
      target: { id: 'I\uFFFD' },
    });
    // Nesting SQLite's JSON refuses ("malformed JSON" at 1,000 levels) is stored in part as JSON text.
    const deep = JSON.parse('{"a":'.repeat(1000) + '1' + '}'.repeat(1000)) as Record<string, unknown>;
    await app.platform.services.audit.record(systemContext, {
      action: 'import.rows',
      target: { kind: 'import', id: 'deep' },
      summary: 'deep content',
      changes: deep,
    });
    expect(await verify()).toMatchObject({ ok: true, breaks: [] });
  });

  it('re-anchors, with a reason, an entry broken the old way, and still catches tampering after it', async () => {
    const broken = await appendTheOldWay('D\ud800');
    await newStation(app, await app.as('admin')); // entries after the broken one
    const before = await verify();
    expect(before).toMatchObject({
      ok: false,
      brokenAt: broken,
      breaks: [{ seq: broken, reason: 'hash-mismatch' }],
    });

    const stores = await app.as('stores');
    await app
      .http()
      .post('/api/v1/audit/reanchor')
      .set(stores)
      .send({ reason: 'surrogate bug', seqs: [broken] })
      .expect(403);
    await reanchor({ reason: 'short', seqs: [broken] }).expect(400);
    const res = await reanchor({
      reason: 'Hashed before the issue 14 fix; stored text differs',
      seqs: [broken],
    }).expect(201);
    const stored = (await audit().findOne({ _id: broken })) as unknown as { hash: string };
    expect(res.body).toMatchObject({
      reason: 'Hashed before the issue 14 fix; stored text differs',
      entries: [
        { seq: broken, storedHash: stored.hash, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
    });
    const anchor = (
      await app.http().get('/api/v1/audit?action=audit.chain-reanchored').set(auditor).expect(200)
    ).body.items[0];
    expect(anchor).toMatchObject({
      seq: res.body.seq,
      actor: { type: 'user' },
      changes: { entries: res.body.entries },
    });
    expect(await verify()).toMatchObject({ ok: true, breaks: [], reanchored: 1 });

    // Tampering after the re-anchor is still found, and so is a change to the re-anchored entry.
    await newStation(app, await app.as('admin'));
    const head = (await app.http().get('/api/v1/audit?limit=1').set(auditor).expect(200)).body.items[0] as {
      seq: number;
    };
    await audit().updateOne({ _id: head.seq }, { $set: { summary: 'nothing happened here' } });
    await audit().updateOne({ _id: broken }, { $set: { 'changes.team.to': 'E\uFFFD' } });
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: broken,
      breaks: [
        { seq: broken, reason: 'hash-mismatch' },
        { seq: head.seq, reason: 'hash-mismatch' },
      ],
      reanchored: 0,
    });
  });

  it('refuses to re-anchor a break that does not show the bug, and it stays visible', async () => {
    const station = await newStation(app, await app.as('admin'));
    const [entry] = (await app.http().get(`/api/v1/audit?targetId=${station}`).set(auditor).expect(200)).body
      .items as Array<{
      seq: number;
    }>;
    await audit().updateOne({ _id: entry!.seq }, { $set: { summary: 'nothing happened here' } });
    const refused = await reanchor({ reason: 'Trying to hide a tampered entry', seqs: [entry!.seq] }).expect(
      409,
    );
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: '/problems/audit-entry-not-reanchorable',
      errors: [{ path: 'body.seqs.0', message: expect.stringContaining('holds no U+FFFD') }],
    });
    // Not broken at all, or missing: refused too, and nothing was appended.
    const intact = entry!.seq - 1;
    await reanchor({ reason: 'Trying to bless an intact entry', seqs: [intact, 1_000_000] }).expect(409);
    expect(
      (await app.http().get('/api/v1/audit?action=audit.chain-reanchored').set(auditor)).body.total,
    ).toBe(1);
    expect((await verify()).breaks).toContainEqual({ seq: entry!.seq, reason: 'hash-mismatch' });
  });

  it('lists every break, with its reason', async () => {
    const admin = await app.as('admin');
    for (let i = 0; i < 4; i++) await newStation(app, admin);
    const head = (await app.http().get('/api/v1/audit?limit=1').set(auditor).expect(200)).body.items[0] as {
      seq: number;
    };
    await audit().updateOne({ _id: head.seq - 3 }, { $set: { summary: 'edited' } });
    await audit().deleteOne({ _id: head.seq - 1 });
    const verdict = await verify();
    expect(verdict.breaks).toEqual(
      expect.arrayContaining([
        { seq: head.seq - 3, reason: 'hash-mismatch' },
        { seq: head.seq - 1, reason: 'seq-gap' },
        { seq: head.seq, reason: 'link-broken' },
      ]),
    );
    expect(verdict.breakCount).toBe(verdict.breaks.length);
    expect(verdict.breakCount).toBeGreaterThanOrEqual(5);
  });
});
