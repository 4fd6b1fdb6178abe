// Factories: each test makes the data it needs, with unique identifiers.
import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

const uid = (n = 3) => randomBytes(n).toString('hex').toUpperCase();

// Six hex digits: with four, the 55 stations one test makes collided about once in 40 runs.
export async function newStation(app: TestApp, headers: Record<string, string>, code = `S${uid(3)}`) {
  await app
    .http()
    .post('/api/v1/stations')
    .set(headers)
    .send({ code, name: `Station ${code}` })
    .expect(201);
  return code;
}

export async function newOfficer(
  app: TestApp,
  headers: Record<string, string>,
  fields: { station: string; qualifications?: string[]; number?: string },
) {
  const number = fields.number ?? `O${uid()}`;
  await app
    .http()
    .post('/api/v1/officers')
    .set(headers)
    .send({
      number,
      name: `Officer ${number}`,
      station: fields.station,
      qualifications: fields.qualifications ?? [],
    })
    .expect(201);
  return number;
}

export async function newCamera(
  app: TestApp,
  headers: Record<string, string>,
  fields: { station: string; serial?: string; model?: string; assetTag?: string },
) {
  const serial = fields.serial ?? `CAM-${uid(4)}`;
  await app
    .http()
    .post('/api/v1/cameras')
    .set(headers)
    .send({
      serial,
      model: fields.model ?? 'VB400',
      assetTag: fields.assetTag ?? `AT-${uid(4)}`,
      station: fields.station,
    })
    .expect(201);
  return serial;
}

export async function newDock(
  app: TestApp,
  headers: Record<string, string>,
  fields: { station: string; id?: string; slots?: number },
) {
  const id = fields.id ?? `DOCK-${uid(3)}`;
  await app
    .http()
    .post('/api/v1/docks')
    .set(headers)
    .send({ id, station: fields.station, slots: fields.slots ?? 14, model: 'VT-DOCK14' })
    .expect(201);
  return id;
}

/** A shift at the station that started an hour ago and ends in four hours: these officers are on duty now. */
export async function newShiftNow(
  app: TestApp,
  headers: Record<string, string>,
  station: string,
  officers: string[],
) {
  await app
    .http()
    .post('/api/v1/shifts')
    .set(headers)
    .send({
      station,
      team: 'A',
      start: new Date(Date.now() - 3_600_000),
      end: new Date(Date.now() + 4 * 3_600_000),
      officers,
    })
    .expect(201);
}
