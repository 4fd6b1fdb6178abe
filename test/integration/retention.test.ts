// Telemetry history retention: the agenda job `telemetry.trim-history` deletes hourly buckets older
// than TELEMETRY_HISTORY_RETENTION_DAYS, keeps the rest, and leaves an audit entry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { startApp, type TestApp } from '../helpers/app.js';
import { eventually, uid } from '../helpers/mqtt.js';

let app: TestApp;
let mongo: MongoClient;
beforeAll(async () => {
  app = await startApp({ TELEMETRY_HISTORY_RETENTION_DAYS: '30', TELEMETRY_TRIM_EVERY_S: '1' });
  mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
});
afterAll(async () => {
  await mongo?.close();
  await app?.close();
});

const DAY = 86_400_000;
const hourAgo = (ms: number) => new Date(Math.floor((Date.now() - ms) / 3_600_000) * 3_600_000);
const bucket = (serial: string, hour: Date) => ({
  _id: `camera:${serial}@${hour.toISOString().slice(0, 13)}`,
  kind: 'camera',
  id: serial,
  hour,
  samples: [{ t: hour, battery: 50, charging: false, storageUsedMb: 10, recording: false, docked: true }],
});

describe('telemetry history retention', () => {
  it('deletes history older than the retention period and keeps the rest', async () => {
    const serial = `CAM${uid()}`;
    const history = mongo.db(`${app.dbName}_telemetry`).collection<{ _id: string }>('telemetry_history');
    const old = bucket(serial, hourAgo(40 * DAY));
    const recent = bucket(serial, hourAgo(2 * DAY));
    await history.insertMany([old, recent]);

    await eventually(async () => (await history.countDocuments({ _id: old._id })) === 0, 15_000);
    expect(await history.countDocuments({ _id: recent._id })).toBe(1);
    const admin = await app.as('admin');
    const charted = await app
      .http()
      .get(`/api/v1/cameras/${serial}/telemetry`)
      .query({ from: new Date(Date.now() - 3 * DAY).toISOString() })
      .set(admin)
      .expect(200);
    expect(charted.body.samples).toHaveLength(1);

    const audit = await app
      .http()
      .get('/api/v1/audit')
      .query({ action: 'telemetry.history.trim' })
      .set(admin)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({
      actor: { type: 'job', id: 'telemetry.trim-history' },
      changes: { deleted: 1 },
    });
  });
});
