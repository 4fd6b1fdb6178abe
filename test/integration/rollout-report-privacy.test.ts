// The published progress report of the seeded demo force (1,300 officers, the anchor's five phases,
// a year of measured history) holds aggregates only: no officer's number or name, no camera serial,
// no user name appears in its HTML or in its PDF's text, and its four charts are drawn.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedDemo } from '../../scripts/demo-force.js';
import { seedRollout } from '../../scripts/demo-rollout.js';
import { measureRecords, seedRolloutHistory } from '../../src/rollout/index.js';
import { startApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);
let app: TestApp;
let work: string;

beforeAll(async () => {
  app = await startApp();
  const s = app.platform.services;
  await seedDemo(s);
  await seedRollout(s);
  await seedRolloutHistory({
    history: s.rolloutMeasures.history,
    phases: await s.rolloutPhases.list(),
    officers: await measureRecords(s).officers(),
  });
  // The desk at work in the active wave: Taser officers are issued cameras, two come back faulty.
  const stores = await app.as('admin');
  const officers = (await measureRecords(s).officers()).filter((o) => o.qualifications.includes('TASER'));
  const inStock = (await s.fleet.allCameras({ status: 'in_stock' })).filter((c) => !c.holder);
  let issued = 0;
  for (const o of officers) {
    if (issued === 24) break;
    const camera = inStock.find((c) => c.station === o.station);
    if (!camera) continue;
    inStock.splice(inStock.indexOf(camera), 1);
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(stores)
      .send({ camera: camera.serial, officer: o.number, mode: 'personal' })
      .expect(201);
    if (issued < 2)
      await app
        .http()
        .post('/api/v1/checkins')
        .set(stores)
        .send({ camera: camera.serial, condition: 'faulty', notes: 'lens cracked' })
        .expect(200);
    issued++;
  }
  expect(issued).toBe(24);
  work = await mkdtemp(path.join(tmpdir(), 'bwv-report-'));
}, 180_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await app.close();
});

/** Every identifier of a person or a device the database holds. */
async function identifiers() {
  const s = app.platform.services;
  const officers = await measureRecords(s).officers();
  const named = await s.people.listOfficers({}, 1_000_000, 0);
  const cameras = await s.fleet.allCameras({});
  const admin = await app.as('admin');
  const users = (await app.http().get('/api/v1/users?limit=500').set(admin).expect(200)).body as
    { items: Array<{ username: string }> } | Array<{ username: string }>;
  return {
    officers: officers.map((o) => o.number),
    names: named.items.map((o) => o.name),
    serials: cameras.map((c) => c.serial),
    users: (Array.isArray(users) ? users : users.items).map((u) => u.username),
  };
}

const found = (text: string, words: string[]) =>
  words.filter((w) =>
    new RegExp(`(^|[^A-Za-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`).test(text),
  );

describe('the progress report of the demo force', () => {
  it('names no officer, camera or user in its HTML or PDF, and draws its four charts', async () => {
    const lead = await app.as('programme-lead');
    const started = Date.now();
    const draft = await app.http().post('/api/v1/rollout/reports').set(lead).expect(201);
    const generatedMs = Date.now() - started;
    const id = draft.body.id as string;
    const html = (await app.http().get(`/api/v1/rollout/reports/${id}.html`).set(lead).expect(200)).text;
    const pdf = await app
      .http()
      .get(`/api/v1/rollout/reports/${id}.pdf`)
      .set(lead)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const file = path.join(work, `${id}.pdf`);
    await writeFile(file, pdf.body as Buffer);
    const { stdout: pdfText } = await run('pdftotext', ['-layout', file, '-']);

    const ids = await identifiers();
    expect(ids.officers.length).toBeGreaterThanOrEqual(1300);
    expect(ids.serials.length).toBeGreaterThanOrEqual(1500);
    // The report is about the seeded programme.
    expect(html).toContain('Wave 2: Taser officers');
    expect(pdfText).toContain('Taser officers');
    for (const [what, words] of Object.entries(ids)) {
      expect({ what, inHtml: found(html, words), inPdf: found(pdfText, words) }).toEqual({
        what,
        inHtml: [],
        inPdf: [],
      });
    }
    // Four charts, each with marks drawn.
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    // The target: the 1,300-officer force's year, gathered and rendered, under 10 s.
    expect(generatedMs).toBeLessThan(10_000);
  }, 120_000);
});
