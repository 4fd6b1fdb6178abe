// Issue 19, inspectors: readiness for any shift (now, the next one, a chosen time: `?at=` was
// silently ignored), and a roster written with times of day (`07:00` was refused with "Invalid
// input: expected date, received Date").
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ReadinessBoard } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer, newStation } from '../helpers/factories.js';

const H = 3_600_000;

describe('readiness for any shift, and rosters in times of day', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
  });
  afterAll(() => app.close());

  const shift = (station: string, team: string, start: number, end: number, officers: string[]) =>
    app
      .http()
      .post('/api/v1/shifts')
      .set(admin)
      .send({ station, team, start: new Date(start), end: new Date(end), officers })
      .expect(201);
  const board = async (station: string, query = '') =>
    (await app.http().get(`/api/v1/stations/${station}/readiness${query}`).set(admin).expect(200))
      .body as ReadinessBoard;

  it('shows the shift on now, the next shift, and the shift at a chosen time', async () => {
    const station = await newStation(app, admin);
    const [day, night] = [
      await newOfficer(app, admin, { station }),
      await newOfficer(app, admin, { station }),
    ];
    const now = Date.now();
    await shift(station, 'DAY', now - H, now + 2 * H, [day]);
    await shift(station, 'NIGHT', now + 3 * H, now + 11 * H, [night]);

    const current = await board(station);
    expect(current.shift?.team).toBe('DAY');
    expect(current.officers.map((o) => o.officer)).toEqual([day]);

    const next = await board(station, '?shift=next');
    expect(next.shift?.team).toBe('NIGHT');
    expect(next.at).toBe(new Date(now + 3 * H).toISOString());
    expect(next.officers.map((o) => o.officer)).toEqual([night]);
    expect(next.officers[0]).toMatchObject({ rag: 'red', reasons: ['no camera issued'] });

    const at = await board(station, `?at=${encodeURIComponent(new Date(now + 5 * H).toISOString())}`);
    expect(at.shift?.team).toBe('NIGHT');
    expect(at.officers.map((o) => o.officer)).toEqual([night]);

    // Between the shifts: nobody on duty, no shift.
    const gap = await board(station, `?at=${encodeURIComponent(new Date(now + 2.5 * H).toISOString())}`);
    expect(gap).toMatchObject({ shift: null, officers: [], onDuty: 0 });
  });

  it('answers no next shift with an empty board, and refuses a time it cannot read by name', async () => {
    const station = await newStation(app, admin);
    expect(await board(station, '?shift=next')).toMatchObject({ shift: null, officers: [] });
    const bad = await app
      .http()
      .get(`/api/v1/stations/${station}/readiness?at=tomorrow`)
      .set(admin)
      .expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: 'query.at' });
    const both = await app
      .http()
      .get(`/api/v1/stations/${station}/readiness?at=2026-11-25T07:00:00Z&shift=next`)
      .set(admin)
      .expect(400);
    expect(both.body.errors[0].path).toBe('query.shift');
  });

  const roster = (rows: string[]) =>
    app.http().post('/api/v1/shifts/import').set(admin).set('content-type', 'text/csv').send(rows.join('\n'));

  it('imports a roster written in times of day with a date column, night shifts into the next day', async () => {
    const station = await newStation(app, admin);
    const [a, b] = [await newOfficer(app, admin, { station }), await newOfficer(app, admin, { station })];
    const res = await roster([
      'station,team,date,start,end,officer',
      `${station},A,2030-03-04,07:00,15:00,${a}`,
      `${station},N,2030-03-04,22:00,07:00,${b}`,
    ]).expect(200);
    expect(res.body).toMatchObject({ imported: true, shifts: 2, errors: [] });
    const shifts = (
      await app
        .http()
        .get(`/api/v1/shifts?station=${station}&from=2030-03-03&to=2030-03-06`)
        .set(admin)
        .expect(200)
    ).body as Array<{ team: string; start: string; end: string }>;
    const local = (y: number, m: number, d: number, h: number) => new Date(y, m - 1, d, h).toISOString();
    expect(shifts.map((s) => [s.team, s.start, s.end])).toEqual([
      ['A', local(2030, 3, 4, 7), local(2030, 3, 4, 15)],
      ['N', local(2030, 3, 4, 22), local(2030, 3, 5, 7)],
    ]);
  });

  it('refuses a roster time without its date on the field, in words (not "received Date")', async () => {
    const station = await newStation(app, admin);
    const o = await newOfficer(app, admin, { station });
    const res = await roster(['station,team,start,end,officer', `${station},A,07:00,15:00,${o}`]).expect(422);
    expect(res.body.type).toBe('/problems/roster-invalid');
    expect(res.body.errors).toContainEqual({
      path: 'line 2.start',
      message: expect.stringContaining('needs the shift’s date'),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/received Date/);
    // A shift by the API: an end written as a time of day is on the start's day.
    const created = await app
      .http()
      .post('/api/v1/shifts')
      .set(admin)
      .send({ station, team: 'B', start: '2030-05-06T07:00', end: '15:30', officers: [o] })
      .expect(201);
    expect(created.body.end).toBe(new Date(2030, 4, 6, 15, 30).toISOString());
    const refused = await app
      .http()
      .post('/api/v1/shifts')
      .set(admin)
      .send({ station, team: 'C', start: '07:00', end: '15:00' })
      .expect(400);
    expect(refused.body.errors[0]).toEqual({
      path: 'body.start',
      message: expect.stringContaining('needs the shift’s date'),
    });
  });
});
