// A camera's telemetry history (`GET /cameras/:serial/telemetry`): stored hourly buckets and the
// open hour in memory, read as one answer; a bounded range, a bounded answer, and a bounded number
// of database lookups per request (issue 14, finding 14: `from=2000-…` made 744 lookups).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { startApp, type TestApp } from '../helpers/app.js';
import { cameraTelemetry, connectDevice, eventually, uid } from '../helpers/mqtt.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

let app: TestApp;
let mongo: MongoClient;
let reader: Record<string, string>;
beforeAll(async () => {
  app = await startApp();
  reader = await app.as('it');
  mongo = await MongoClient.connect(process.env.BWV_TEST_MONGODB_URI!);
});
afterAll(async () => {
  await mongo?.close();
  await app?.close();
});

/** Start of the UTC hour `msAgo` before now. */
const hourAgo = (msAgo: number) => Math.floor((Date.now() - msAgo) / HOUR) * HOUR;
/** A stored bucket as the platform writes it when an hour closes: a sample at each given minute. */
const bucket = (serial: string, hour: number, minutes: number[]) => ({
  _id: `camera:${serial}@${new Date(hour).toISOString().slice(0, 13)}`,
  kind: 'camera',
  id: serial,
  hour: new Date(hour),
  samples: minutes.map((m) => ({
    t: new Date(hour + m * MINUTE),
    battery: m,
    charging: false,
    storageUsedMb: 10,
    recording: false,
    docked: true,
  })),
});
const store = (docs: Array<ReturnType<typeof bucket>>) =>
  mongo.db(`${app.dbName}_telemetry`).collection<{ _id: string }>('telemetry_history').insertMany(docs);
const history = (serial: string, query: Record<string, string> = {}) =>
  app.http().get(`/api/v1/cameras/${serial}/telemetry`).query(query).set(reader);
type Samples = { samples: Array<{ t: string; battery?: number }> };
const times = (body: Samples) => body.samples.map((s) => Date.parse(s.t));

/** The history lookups (finds on `telemetry_history`) mongoose sends while `lookups` is on. */
let lookups: string[] | null = null;
beforeAll(() => {
  mongoose.set('debug', (collection: string, method: string) => {
    if (collection === 'telemetry_history' && method.startsWith('find')) lookups?.push(method);
  });
});
afterEach(() => {
  lookups = null;
});
afterAll(() => {
  mongoose.set('debug', false);
});

describe('telemetry history', () => {
  it('answers every sample in the range, oldest first, across stored hours and the open hour', async () => {
    const serial = `CAM${uid()}`;
    const [h3, h2, h1] = [hourAgo(3 * HOUR), hourAgo(2 * HOUR), hourAgo(HOUR)];
    await store([
      bucket(serial, h1, [0, 30, 59]),
      bucket(serial, h3, [0, 30, 59]),
      bucket(serial, h2, [0, 59]),
    ]);
    const cam = await connectDevice(app, reader, 'camera', serial);
    try {
      const sentAt = Date.now();
      await cam.publishAsync(
        `bwv/v1/cameras/${serial}/telemetry`,
        JSON.stringify(cameraTelemetry({ battery: 77 })),
      );
      const from = new Date(h3 + 30 * MINUTE).toISOString();
      const all = await eventually(async () => {
        const { body } = await history(serial, { from }).expect(200);
        return (body as Samples).samples.length === 8 ? (body as Samples) : null;
      });
      const stored = [
        h3 + 30 * MINUTE,
        h3 + 59 * MINUTE,
        h2,
        h2 + 59 * MINUTE,
        h1,
        h1 + 30 * MINUTE,
        h1 + 59 * MINUTE,
      ];
      expect(times(all).slice(0, 7)).toEqual(stored);
      expect(all.samples[7]).toMatchObject({ battery: 77, charging: false, recording: false });
      expect(times(all)[7]).toBeGreaterThanOrEqual(sentAt - 1000);

      // Both ends count; a range inside stored hours needs nothing from memory.
      const inner = await history(serial, { from, to: new Date(h2 + 59 * MINUTE).toISOString() }).expect(200);
      expect(times(inner.body)).toEqual(stored.slice(0, 4));
    } finally {
      await cam.endAsync();
    }
  });

  it('answers the last twelve hours when the request names no range', async () => {
    const serial = `CAM${uid()}`;
    await store([bucket(serial, hourAgo(14 * HOUR), [10]), bucket(serial, hourAgo(2 * HOUR), [10])]);
    const res = await history(serial).expect(200);
    expect(times(res.body)).toEqual([hourAgo(2 * HOUR) + 10 * MINUTE]);
  });

  it('refuses a range of more than seven days, naming the limit, without reading the database', async () => {
    lookups = [];
    const res = await history(`CAM${uid()}`, {
      from: '2000-01-01T00:00:00Z',
      to: '2030-01-01T00:00:00Z',
    }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/history-range-too-long', status: 400 });
    expect(res.body.detail).toMatch(/7 days/);
    expect(lookups).toEqual([]);

    const backwards = await history(`CAM${uid()}`, {
      from: '2026-11-25T10:00:00Z',
      to: '2026-11-25T09:00:00Z',
    }).expect(400);
    expect(backwards.body.errors).toEqual([{ path: 'query.from', message: 'from is after to' }]);
  });

  it('reads a full week with one lookup per hour and answers at most 2,000 samples spread over it', async () => {
    const serial = `CAM${uid()}`;
    const to = hourAgo(HOUR) + 59 * MINUTE;
    const from = to + 59 * MINUTE - 7 * DAY;
    const minutes = Array.from({ length: 60 }, (_, m) => m);
    const hours = Array.from({ length: 7 * 24 }, (_, i) => hourAgo(HOUR) - i * HOUR);
    await store(hours.map((h) => bucket(serial, h, minutes)));

    lookups = [];
    const res = await history(serial, {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
    }).expect(200);
    // 7 × 24 buckets hold 10,080 samples; the range starts two minutes before the oldest hour ends.
    expect(lookups.length).toBe(7 * 24);
    const t = times(res.body);
    expect(t.length).toBeLessThanOrEqual(2_000);
    expect(t.length).toBeGreaterThan(1_000);
    expect(t[0]).toBe(from);
    expect(t[t.length - 1]).toBeGreaterThan(to - 10 * MINUTE);
    expect([...t].sort((a, b) => a - b)).toEqual(t);

    // Concurrent requests share one queue of lookups; each still gets its whole answer.
    const query = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const together = await Promise.all([1, 2, 3].map(() => history(serial, query).expect(200)));
    for (const r of together) expect(r.body).toEqual(res.body);
  });
});
