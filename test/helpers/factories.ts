// Factories: each test makes the data it needs, with unique identifiers.
import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

const uid = (n = 3) => randomBytes(n).toString('hex').toUpperCase();

export async function newStation(app: TestApp, headers: Record<string, string>, code = `S${uid(2)}`) {
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
