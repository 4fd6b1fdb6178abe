// Firmware campaigns as IT uses them through the API: who may do what, the two-person rule, the
// preview (what it counts and why it leaves devices out), pause, resume and cancel, maintenance
// windows, and fleet compliance. The devices are real MQTT clients reporting their versions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newStation } from '../helpers/factories.js';
import {
  campaignDevices,
  campaignWhen,
  closeDb,
  db,
  newArtifact,
  SERVICE_PASSWORD,
  TestCamera,
  watchCommands,
} from '../helpers/firmware.js';
import { connect as live, next, sessionFor, type LiveClient } from '../helpers/live.js';
import { eventually, uid } from '../helpers/mqtt.js';
import type { Compliance } from '../../src/firmware/index.js';

describe('firmware campaigns', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let itA: Record<string, string>;
  let itB: Record<string, string>;
  let artifact: string;
  let watcher: Awaited<ReturnType<typeof watchCommands>>;
  const cameras: TestCamera[] = [];

  beforeAll(async () => {
    app = await startApp({
      MQTT_SERVICE_PASSWORD: SERVICE_PASSWORD,
      FIRMWARE_TICK_MS: '200',
      READ_CACHE_SECONDS: '1',
    });
    admin = await app.as('admin');
    itA = await app.as('it');
    itB = await app.as('it');
    artifact = await newArtifact(app, { version: '2.5.0' });
    watcher = await watchCommands(app);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(cameras.map((c) => c.stop()));
    await watcher?.close();
    await closeDb();
    await app?.close();
  });

  const api = () => app.http();

  /** A camera at the station reporting `firmware` (or registered and never heard, with null). */
  async function camera(station: string, firmware: string | null) {
    const serial = await newCamera(app, admin, { station, serial: `CP${uid()}` });
    if (firmware === null) return serial;
    const cam = await new TestCamera(serial, { firmware, behaviour: 'manual' }).start(app, admin, true);
    cameras.push(cam);
    await eventually(() => app.platform.services.deviceState.reading('camera', serial)?.camera);
    return serial;
  }

  const body = (fields: Record<string, unknown>) => ({ name: `campaign ${uid()}`, artifact, ...fields });

  describe('who may do what', () => {
    it('refuses stores, reviewers and inspectors; lets auditors read but not act', async () => {
      for (const role of ['stores', 'reviewer', 'inspector'] as const) {
        const who = await app.as(role);
        for (const path of ['/api/v1/firmware/campaigns', '/api/v1/firmware/campaigns/preview']) {
          const res = await api()
            .post(path)
            .set(who)
            .send(body({ devices: ['X1'] }));
          expect([role, res.status, res.body.type]).toEqual([role, 403, '/problems/forbidden']);
        }
        await api().get('/api/v1/firmware/campaigns').set(who).expect(403);
      }
      const auditor = await app.as('auditor');
      await api().get('/api/v1/firmware/campaigns').set(auditor).expect(200);
      await api().get('/api/v1/firmware/compliance').set(auditor).expect(200);
      await api().get('/api/v1/firmware/windows').set(auditor).expect(200);
      await api().post('/api/v1/firmware/campaigns').set(auditor).send(body({})).expect(403);
      await api().put('/api/v1/firmware/windows/ZZ1').set(auditor).send({}).expect(403);
    });

    it('lets no one approve a campaign they created (two-person rule)', async () => {
      const station = await newStation(app, admin);
      const serial = await camera(station, '2.4.1');
      // Keep the camera from being updated while the rule is checked: a window that is never open now.
      await api().put(`/api/v1/firmware/windows/${station}`).set(admin).send(closedWindow()).expect(200);
      const created = await api()
        .post('/api/v1/firmware/campaigns')
        .set(itA)
        .send(body({ devices: [serial] }))
        .expect(201);
      expect(created.body).toMatchObject({
        status: 'awaiting-approval',
        total: 1,
        createdBy: expect.any(String),
      });
      const own = await api().post(`/api/v1/firmware/campaigns/${created.body.id}/approve`).set(itA);
      expect(own.status).toBe(403);
      expect(own.body.type).toBe('/problems/firmware-approval-own-campaign');
      expect(own.body.detail).toMatch(/two-person rule/);
      const ok = await api()
        .post(`/api/v1/firmware/campaigns/${created.body.id}/approve`)
        .set(itB)
        .expect(200);
      expect(ok.body).toMatchObject({ status: 'running', currentWave: 0 });
      expect(ok.body.approvedBy).not.toBe(ok.body.createdBy);
      const again = await api().post(`/api/v1/firmware/campaigns/${created.body.id}/approve`).set(itB);
      expect([again.status, again.body.type]).toEqual([409, '/problems/firmware-campaign-state']);
      await api().post(`/api/v1/firmware/campaigns/${created.body.id}/cancel`).set(itB).expect(200);
    });
  });

  describe('preview and creation', () => {
    it('counts the devices hit by station, version and wave, and says why others are left out', async () => {
      const [s1, s2] = [await newStation(app, admin), await newStation(app, admin)];
      const a = await camera(s1, '2.4.1');
      const b = await camera(s1, '2.4.1');
      const c = await camera(s1, '2.3.0');
      const d = await camera(s2, '2.4.1');
      const onTarget = await camera(s2, '2.5.0');
      const silent = await camera(s2, null);
      const retired = await camera(s2, '2.4.1');
      const old = await camera(s2, '1.9.0');
      await api()
        .post(`/api/v1/cameras/${retired}/retire`)
        .set(admin)
        .send({ reason: 'cracked' })
        .expect(200);
      const input = body({
        stations: [s1, s2],
        fromRange: '>=2.0.0 <2.5.0',
        canarySize: 1,
        groups: [50, 50],
      });

      const res = await api().post('/api/v1/firmware/campaigns/preview').set(itA).send(input).expect(200);
      expect(res.body).toMatchObject({
        total: 4,
        byVersion: [
          { version: '2.3.0', count: 1 },
          { version: '2.4.1', count: 3 },
        ],
        waves: [
          { index: 0, size: 1 },
          { index: 1, size: 2 },
          { index: 2, size: 1 },
        ],
        excludedCount: 4,
      });
      expect(res.body.byStation).toHaveLength(2);
      expect(res.body.byStation).toEqual(
        expect.arrayContaining([
          { station: s1, count: 3 },
          { station: s2, count: 1 },
        ]),
      );
      expect(new Set(res.body.sample)).toEqual(new Set([a, b, c, d]));
      expect(res.body.excluded).toEqual(
        expect.arrayContaining([
          { device: onTarget, reason: 'already on 2.5.0' },
          { device: silent, reason: 'has never reported its firmware version' },
          { device: retired, reason: 'retired' },
          { device: old, reason: 'on 1.9.0, outside >=2.0.0 <2.5.0' },
        ]),
      );

      // Creating it claims the devices: a second campaign over them is left with none.
      const created = await api()
        .post('/api/v1/firmware/campaigns')
        .set(itA)
        .send({ ...input, successThreshold: 80 })
        .expect(201);
      expect(created.body).toMatchObject({
        status: 'awaiting-approval',
        total: 4,
        version: '2.5.0',
        kind: 'camera',
        model: 'VB400',
        excludedCount: 4,
        waves: [
          { index: 0, size: 1, status: 'pending' },
          { index: 1, size: 2, status: 'pending' },
          { index: 2, size: 1, status: 'pending' },
        ],
        counts: { pending: 4 },
      });
      const again = await api().post('/api/v1/firmware/campaigns/preview').set(itA).send(input).expect(200);
      expect(again.body.total).toBe(0);
      expect(again.body.excluded).toEqual(
        expect.arrayContaining([{ device: a, reason: `already in campaign ${created.body.id}` }]),
      );
      const second = await api().post('/api/v1/firmware/campaigns').set(itB).send(input);
      expect([second.status, second.body.type]).toEqual([422, '/problems/firmware-campaign-empty']);

      // Listed, and audited as created.
      const list = await api().get('/api/v1/firmware/campaigns?limit=100').set(itB).expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(created.body.id);
      const audit = await api().get(`/api/v1/audit?targetId=${created.body.id}`).set(admin).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('firmware.campaign.create');
      await api().post(`/api/v1/firmware/campaigns/${created.body.id}/cancel`).set(itA).expect(200);
    });

    it('refuses an unknown artifact, one of another kind or model, a blocked version, and bad plans', async () => {
      const unknown = await api()
        .post('/api/v1/firmware/campaigns/preview')
        .set(itA)
        .send(body({ artifact: '000000000000' }));
      expect([unknown.status, unknown.body.type]).toEqual([422, '/problems/firmware-artifact-unusable']);
      const kind = await api()
        .post('/api/v1/firmware/campaigns/preview')
        .set(itA)
        .send(body({ kind: 'dock' }));
      expect([kind.status, kind.body.detail]).toEqual([
        422,
        `Artifact ${artifact} is for cameras, not docks`,
      ]);
      const groups = await api()
        .post('/api/v1/firmware/campaigns')
        .set(itA)
        .send(body({ groups: [50, 30] }));
      expect([groups.status, groups.body.errors?.[0]?.path]).toEqual([400, 'body.groups']);
      const range = await api()
        .post('/api/v1/firmware/campaigns')
        .set(itA)
        .send(body({ fromRange: 'not a range' }));
      expect([range.status, range.body.errors?.[0]?.path]).toEqual([400, 'body.fromRange']);

      const blocked = await newArtifact(app, { version: '2.6.0-rc.1' });
      await (
        await db(app)
      )
        .collection<Record<string, unknown> & { _id: string }>('firmware_versions')
        .insertOne({
          _id: 'camera|VB400|2.6.0-rc.1',
          kind: 'camera',
          model: 'VB400',
          version: '2.6.0-rc.1',
          status: 'blocked',
          reason: 'bricks the flash',
          by: 'it',
          at: new Date(),
        });
      const res = await eventually(async () => {
        const r = await api()
          .post('/api/v1/firmware/campaigns/preview')
          .set(itA)
          .send(body({ artifact: blocked }));
        return r.status === 422 ? r : null;
      });
      expect(res.body.detail).toBe('Version 2.6.0-rc.1 is blocked: bricks the flash');
    });
  });

  describe('pause, resume, cancel', () => {
    it('pauses with a reason, resumes, cancels; waiting devices are canceled and freed', async () => {
      const station = await newStation(app, admin);
      const serials = [await camera(station, '2.4.1'), await camera(station, '2.4.1')];
      await api().put(`/api/v1/firmware/windows/${station}`).set(itA).send(closedWindow()).expect(200);
      const created = await api()
        .post('/api/v1/firmware/campaigns')
        .set(itA)
        .send(body({ devices: serials, canarySize: 0 }))
        .expect(201);
      const id = created.body.id as string;
      await api().post(`/api/v1/firmware/campaigns/${id}/approve`).set(admin).expect(200);
      const waiting = await campaignWhen(app, itA, id, (c) => c.counts.waiting === 2);
      expect(waiting.waiting).toEqual([
        { reason: expect.stringMatching(/^outside the maintenance window \(.+ UTC\)$/), count: 2 },
      ]);
      for (const s of serials) expect(watcher.to(s)).toEqual([]);

      const paused = await api()
        .post(`/api/v1/firmware/campaigns/${id}/pause`)
        .set(itB)
        .send({ reason: 'vendor advisory' })
        .expect(200);
      expect(paused.body).toMatchObject({
        status: 'paused',
        pausedReason: expect.stringMatching(/: vendor advisory$/),
      });
      const twice = await api().post(`/api/v1/firmware/campaigns/${id}/pause`).set(itB).send({ reason: 'x' });
      expect(twice.status).toBe(409);
      const noReason = await api().post(`/api/v1/firmware/campaigns/${id}/pause`).set(itB).send({});
      expect(noReason.status).toBe(400);
      await api().post(`/api/v1/firmware/campaigns/${id}/resume`).set(itB).expect(200);
      expect((await campaignWhen(app, itA, id, () => true)).status).toBe('running');

      const canceled = await api().post(`/api/v1/firmware/campaigns/${id}/cancel`).set(itB).expect(200);
      expect(canceled.body.status).toBe('canceled');
      await campaignWhen(app, itA, id, (c) => c.counts.canceled === 2);
      const devices = await campaignDevices(app, itA, id);
      expect([...devices.values()].map((d) => d.reason)).toEqual(['campaign canceled', 'campaign canceled']);
      // Freed: another campaign may take them.
      await eventually(async () => {
        const p = await api()
          .post('/api/v1/firmware/campaigns/preview')
          .set(itA)
          .send(body({ devices: serials }));
        return p.body.total === 2;
      });
      const resumeEnded = await api().post(`/api/v1/firmware/campaigns/${id}/resume`).set(itB);
      expect(resumeEnded.status).toBe(409);

      const audit = await api().get(`/api/v1/audit?targetId=${id}&limit=50`).set(admin).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
        'firmware.campaign.approve',
        'firmware.campaign.cancel',
        'firmware.campaign.create',
        'firmware.campaign.pause',
        'firmware.campaign.resume',
      ]);
    });

    it('answers 404 for a campaign that does not exist', async () => {
      const res = await api().get('/api/v1/firmware/campaigns/0123456789abcdef').set(itA);
      expect([res.status, res.body.type]).toEqual([404, '/problems/firmware-campaign-not-found']);
      const rb = await api().post('/api/v1/firmware/campaigns/0123456789abcdef/rollback').set(itA);
      expect(rb.status).toBe(404);
    });
  });

  describe('maintenance windows', () => {
    it('are set, listed and removed per station by IT, audited, in a real time zone', async () => {
      const station = await newStation(app, admin);
      const window = {
        timeZone: 'Europe/London',
        windows: [{ days: ['fri', 'mon'], start: '22:00', end: '04:00' }],
      };
      const put = await api().put(`/api/v1/firmware/windows/${station}`).set(itA).send(window).expect(200);
      expect(put.body).toMatchObject({
        station,
        timeZone: 'Europe/London',
        windows: [{ days: ['mon', 'fri'], start: '22:00', end: '04:00' }],
      });
      const list = await api().get('/api/v1/firmware/windows').set(itB).expect(200);
      expect(list.body.map((w: { station: string }) => w.station)).toContain(station);
      const badZone = await api()
        .put(`/api/v1/firmware/windows/${station}`)
        .set(itA)
        .send({ ...window, timeZone: 'Mars/Olympus' });
      expect([badZone.status, badZone.body.errors?.[0]?.path]).toEqual([400, 'body.timeZone']);
      const badTime = await api()
        .put(`/api/v1/firmware/windows/${station}`)
        .set(itA)
        .send({ ...window, windows: [{ days: ['mon'], start: '25:00', end: '04:00' }] });
      expect(badTime.status).toBe(400);
      const nowhere = await api().put('/api/v1/firmware/windows/NOSUCH1').set(itA).send(window);
      expect([nowhere.status, nowhere.body.type]).toEqual([404, '/problems/station-not-found']);
      const stores = await app.as('stores');
      await api().put(`/api/v1/firmware/windows/${station}`).set(stores).send(window).expect(403);

      await api().delete(`/api/v1/firmware/windows/${station}`).set(itA).expect(204);
      const gone = await api().delete(`/api/v1/firmware/windows/${station}`).set(itA);
      expect([gone.status, gone.body.type]).toEqual([404, '/problems/firmware-window-not-found']);
      const audit = await api().get(`/api/v1/audit?targetId=${station}`).set(admin).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['firmware.window.set', 'firmware.window.delete']),
      );
    });
  });

  describe('compliance', () => {
    it('shows versions by model and station, devices behind the latest approved and on blocked versions', async () => {
      const station = await newStation(app, admin);
      const current = await camera(station, '2.5.0');
      const behind = await camera(station, '2.4.1');
      const blocked = await camera(station, '2.2.0');
      await camera(station, null);
      const versions = (await db(app)).collection<Record<string, unknown> & { _id: string }>(
        'firmware_versions',
      );
      await versions.insertMany([
        {
          _id: 'camera|VB400|2.5.0',
          kind: 'camera',
          model: 'VB400',
          version: '2.5.0',
          status: 'approved',
          reason: null,
        },
        {
          _id: 'camera|*|2.4.1',
          kind: 'camera',
          model: '*',
          version: '2.4.1',
          status: 'approved',
          reason: null,
        },
        {
          _id: 'camera|VB400|2.2.0',
          kind: 'camera',
          model: 'VB400',
          version: '2.2.0',
          status: 'blocked',
          reason: 'battery drain',
        },
      ]);
      const report = await eventually(async () => {
        const r = await api().get('/api/v1/firmware/compliance').set(itA).expect(200);
        const found = r.body.blocked.some((b: { id: string }) => b.id === blocked);
        return found ? (r.body as Compliance) : null;
      });
      expect(report.byStation.filter((r) => r.station === station)).toEqual([
        { station, kind: 'camera', model: 'VB400', current: 1, behind: 1, blocked: 1, unknown: 1 },
      ]);
      const model = report.byModel.find((m) => m.model === 'VB400')!;
      expect(model.latest).toBe('2.5.0');
      expect(model.versions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ version: '2.5.0', status: 'approved' }),
          expect.objectContaining({ version: '2.2.0', status: 'blocked' }),
        ]),
      );
      expect(report.behind).toEqual(
        expect.arrayContaining([
          { kind: 'camera', id: behind, station, model: 'VB400', version: '2.4.1', latest: '2.5.0' },
        ]),
      );
      expect(report.blocked).toEqual(
        expect.arrayContaining([
          { kind: 'camera', id: blocked, station, model: 'VB400', version: '2.2.0', reason: 'battery drain' },
        ]),
      );
      expect(report.behind.map((b) => b.id)).not.toContain(current);
    });
  });

  describe('the live feed', () => {
    it('pushes a campaign’s page to IT, admins and auditors as it changes, and to no one else', async () => {
      const sockets: LiveClient[] = [];
      const open = async (role: 'it' | 'auditor' | 'stores') => {
        const s = live(app, (await sessionFor(app, role)).cookie);
        sockets.push(s);
        await next(s, 'snapshot');
        return s;
      };
      try {
        const [it, auditor, stores] = [await open('it'), await open('auditor'), await open('stores')];
        const storesHeard: string[] = [];
        stores.on('firmware:campaign', (c) => storesHeard.push(c.id));
        const station = await newStation(app, admin);
        const serial = await camera(station, '2.4.1');
        await api().put(`/api/v1/firmware/windows/${station}`).set(itA).send(closedWindow()).expect(200);
        const created = await api()
          .post('/api/v1/firmware/campaigns')
          .set(itA)
          .send(body({ devices: [serial] }))
          .expect(201);
        const id = created.body.id as string;
        const pushed = next(it, 'firmware:campaign', 5_000, (c) => c.id === id && c.status === 'running');
        const seenByAuditor = next(auditor, 'firmware:campaign', 5_000, (c) => c.id === id);
        // Its devices' progress follows: the waiting reason shows up live.
        const waiting = next(it, 'firmware:campaign', 5_000, (c) => c.id === id && c.waiting.length === 1);
        await api().post(`/api/v1/firmware/campaigns/${id}/approve`).set(itB).expect(200);
        const page = await pushed;
        expect(page).toMatchObject({ id, total: 1, waves: [expect.objectContaining({ index: 0 })] });
        await seenByAuditor;
        expect((await waiting).waiting[0]!.reason).toMatch(/^outside the maintenance window/);
        await api().post(`/api/v1/firmware/campaigns/${id}/cancel`).set(itB).expect(200);
        await next(it, 'firmware:campaign', 5_000, (c) => c.id === id && c.status === 'canceled');
        expect(storesHeard).toEqual([]);
      } finally {
        for (const s of sockets) s.disconnect();
      }
    });
  });
});

/** A window that is not open now: one hour, twelve hours from now (UTC), every day. */
function closedWindow() {
  const at = (h: number) => {
    const d = new Date(Date.now() + h * 3_600_000);
    return `${String(d.getUTCHours()).padStart(2, '0')}:00`;
  };
  return {
    timeZone: 'UTC',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: at(12), end: at(13) }],
  };
}
