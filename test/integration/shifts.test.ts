import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer, newStation } from '../helpers/factories.js';

const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
const H = 3_600_000;

describe('shifts and rosters', () => {
  let app: TestApp;
  let inspector: Record<string, string>;
  let stores: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    inspector = await app.as('inspector');
    stores = await app.as('stores');
  });
  afterAll(() => app.close());

  const csv = (rows: string[][]) =>
    ['station,team,start,end,officer', ...rows.map((r) => r.join(','))].join('\n');
  const postRoster = (body: string, dryRun = false) =>
    app
      .http()
      .post(`/api/v1/shifts/import${dryRun ? '?dryRun=true' : ''}`)
      .set(inspector)
      .set('content-type', 'text/csv')
      .send(body);

  it('answers who is on duty at a station now, and not before or after the shift', async () => {
    const station = await newStation(app, stores);
    const [o1, o2, off] = [
      await newOfficer(app, stores, { station }),
      await newOfficer(app, stores, { station }),
      await newOfficer(app, stores, { station }),
    ];
    const created = await app
      .http()
      .post('/api/v1/shifts')
      .set(inspector)
      .send({ station, team: 'B', start: iso(-H), end: iso(7 * H), officers: [o1, o2] })
      .expect(201);
    expect(created.body).toMatchObject({ station, team: 'B', officers: [o1, o2] });
    const now = await app.http().get(`/api/v1/stations/${station}/on-duty`).set(stores).expect(200);
    expect(now.body.officers.map((o: { number: string }) => o.number)).toEqual([o1, o2].sort());
    expect(now.body.officers[0]).toMatchObject({ team: 'B', shift: created.body.id });
    expect(now.body.officers.some((o: { number: string }) => o.number === off)).toBe(false);
    const later = await app
      .http()
      .get(`/api/v1/stations/${station}/on-duty?at=${encodeURIComponent(iso(9 * H))}`)
      .set(stores)
      .expect(200);
    expect(later.body.officers).toEqual([]);
  });

  it('refuses a shift from stores staff, a shift ending before it starts, and double-booking', async () => {
    const station = await newStation(app, stores);
    const o = await newOfficer(app, stores, { station });
    const body = { station, team: 'A', start: iso(0), end: iso(8 * H), officers: [o] };
    await app.http().post('/api/v1/shifts').set(stores).send(body).expect(403);
    const back = await app
      .http()
      .post('/api/v1/shifts')
      .set(inspector)
      .send({ ...body, end: iso(-H) })
      .expect(400);
    expect(back.body.errors[0].message).toMatch(/after start/);
    await app.http().post('/api/v1/shifts').set(inspector).send(body).expect(201);
    const dup = await app.http().post('/api/v1/shifts').set(inspector).send(body).expect(409);
    expect(dup.body.type).toBe('/problems/shift-exists');
    const overlap = await app
      .http()
      .post('/api/v1/shifts')
      .set(inspector)
      .send({ ...body, team: 'C', start: iso(H) })
      .expect(400);
    expect(overlap.body.detail).toMatch(/already on shift/);
  });

  it('dry-runs a roster with a report per line and imports nothing', async () => {
    const station = await newStation(app, stores);
    const o = await newOfficer(app, stores, { station });
    const start = iso(2 * H);
    const end = iso(10 * H);
    const report = await postRoster(
      csv([
        [station, 'D', start, end, o],
        [station, 'D', start, end, 'NOBODY'],
        ['NOWHERE', 'D', start, end, o],
        [station, 'E', start, 'not-a-date', o],
      ]),
      true,
    ).expect(200);
    expect(report.body).toMatchObject({ dryRun: true, imported: false, rows: 3, shifts: 2 });
    const lines = report.body.errors.map((e: { line: number; message: string }) => `${e.line}: ${e.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        "3: unknown officer 'NOBODY'",
        "4: unknown station 'NOWHERE'",
        expect.stringMatching(/^5: /),
      ]),
    );
    const listed = await app.http().get(`/api/v1/shifts?station=${station}`).set(stores).expect(200);
    expect(listed.body).toEqual([]);
  });

  it('imports a roster all or nothing', async () => {
    const station = await newStation(app, stores);
    const [o1, o2] = [await newOfficer(app, stores, { station }), await newOfficer(app, stores, { station })];
    const start = iso(12 * H);
    const end = iso(20 * H);
    const bad = await postRoster(
      csv([
        [station, 'A', start, end, o1],
        [station, 'A', start, end, 'GHOST'],
      ]),
    ).expect(422);
    expect(bad.body.type).toBe('/problems/roster-invalid');
    expect((await app.http().get(`/api/v1/shifts?station=${station}`).set(stores)).body).toEqual([]);

    const good = await postRoster(
      csv([
        [station, 'A', start, end, o1],
        [station, 'A', start, end, o2],
        [station, 'B', iso(20 * H), iso(28 * H), o1],
      ]),
    ).expect(200);
    expect(good.body).toMatchObject({ imported: true, rows: 3, shifts: 2, errors: [] });
    const shifts = (await app.http().get(`/api/v1/shifts?station=${station}`).set(stores)).body;
    expect(shifts.map((s: { team: string; officers: string[] }) => [s.team, s.officers])).toEqual([
      ['A', [o1, o2]],
      ['B', [o1]],
    ]);
    // Importing the same roster again would duplicate shifts: refused as a whole.
    const again = await postRoster(csv([[station, 'A', start, end, o1]])).expect(422);
    expect(again.body.errors[0].message).toMatch(/already exists/);
    const audit = await app
      .http()
      .get('/api/v1/audit?action=shift.import')
      .set(await app.as('auditor'))
      .expect(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses an officer on two overlapping shifts in one roster', async () => {
    const station = await newStation(app, stores);
    const o = await newOfficer(app, stores, { station });
    const res = await postRoster(
      csv([
        [station, 'A', iso(30 * H), iso(38 * H), o],
        [station, 'B', iso(34 * H), iso(42 * H), o],
      ]),
      true,
    ).expect(200);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/overlapping/) }),
    ]);
  });
});
