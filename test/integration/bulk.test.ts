import { systemContext } from '../../src/shared/index.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { createConnection } from '../../src/db/connection.js';
import { CameraImport } from '../../src/fleet/camera-import.js';
import { FleetRepository, type NewCamera } from '../../src/fleet/fleet.repository.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newStation } from '../helpers/factories.js';

describe('bulk data', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  let auditor: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
    auditor = await app.as('auditor');
  });
  afterAll(() => app.close());

  const postCsv = (path: string, csv: string, headers = stores) =>
    app.http().post(path).set(headers).set('Content-Type', 'text/csv').send(csv);
  const count = async (station: string) =>
    (await app.http().get(`/api/v1/cameras?station=${station}`).set(stores)).body.total as number;

  describe('camera delivery manifest', () => {
    it('reports every row on a dry run and imports nothing', async () => {
      const station = await newStation(app, stores);
      const existing = await newCamera(app, stores, { station });
      const csv = [
        'serial,model,assetTag,station,purchaseDate,purchaseCost',
        `DRY-0001,VB400,DRYTAG-1,${station},2025-04-01,499`,
        `DRY-0002,,DRYTAG-2,${station},,`,
        `DRY-0003,VB400,DRYTAG-3,NOWHERE,,`,
        `DRY-0001,VB400,DRYTAG-4,${station},,`,
        `${existing},VB400,DRYTAG-5,${station},,`,
        `DRY-0006,VB400,DRYTAG-6,${station},not-a-date,`,
      ].join('\n');
      const res = await postCsv('/api/v1/cameras/import?dryRun=true', csv).expect(200);
      expect(res.body).toMatchObject({ dryRun: true, total: 6, valid: 1, invalid: 5, imported: 0 });
      const byLine = Object.fromEntries(
        res.body.rows.map((r: { line: number; errors: string[] }) => [r.line, r]),
      );
      expect(byLine[2]).toMatchObject({ key: 'DRY-0001', ok: true, errors: [] });
      expect(byLine[3].errors.join()).toMatch(/^model:/);
      expect(byLine[4].errors).toEqual(["station: unknown station 'NOWHERE'"]);
      expect(byLine[5].errors).toEqual(['serial: duplicate of line 2']);
      expect(byLine[6].errors).toEqual([`serial: '${existing}' is already registered`]);
      expect(byLine[7].errors.join()).toMatch(/^purchaseDate:/);
      expect(await count(station)).toBe(1);
    });

    it('imports every row of a clean manifest, audited once', async () => {
      const station = await newStation(app, stores);
      const csv = ['serial,model,assetTag,station,purchaseCost']
        .concat(
          Array.from(
            { length: 30 },
            (_, i) => `IMP-${station}-${i},VB400,IMPTAG-${station}-${i},${station},450.5`,
          ),
        )
        .join('\r\n');
      const res = await postCsv('/api/v1/cameras/import', csv).expect(201);
      expect(res.body).toMatchObject({ dryRun: false, total: 30, valid: 30, imported: 30 });
      expect(await count(station)).toBe(30);
      const cam = await app.http().get(`/api/v1/cameras/IMP-${station}-7`).set(stores).expect(200);
      expect(cam.body).toMatchObject({ status: 'in_stock', purchaseCost: 450.5, holder: null });
      const audit = await app
        .http()
        .get(`/api/v1/audit?action=camera.import&targetId=${res.body.importId}`)
        .set(auditor);
      expect(audit.body.total).toBe(1);
      expect(audit.body.items[0].changes.count).toBe(30);
    });

    it('imports nothing when any row is bad, naming the bad lines', async () => {
      const station = await newStation(app, stores);
      const csv = [
        'serial,model,assetTag,station',
        `ALL-1-${station},VB400,ALLTAG-1-${station},${station}`,
        `ALL-2-${station},VB400,ALLTAG-1-${station},${station}`,
        `ALL-3-${station},VB400,ALLTAG-3-${station},${station}`,
      ].join('\n');
      const res = await postCsv('/api/v1/cameras/import', csv).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.type).toBe('/problems/import-invalid-rows');
      expect(res.body.errors).toEqual([{ path: 'line 3', message: 'assetTag: duplicate of line 2' }]);
      expect(await count(station)).toBe(0);
    });

    it('removes its own rows when an insert fails after validation', async () => {
      const station = await newStation(app, stores);
      const conn = createConnection();
      await conn.openUri(process.env.BWV_TEST_MONGODB_URI!, { dbName: app.dbName });
      try {
        // Interleave deterministically: another desk registers the manifest's last camera after
        // validation passed but before the import's insert reaches it.
        class Interleaved extends FleetRepository {
          override async insertCameras(cs: NewCamera[]) {
            const last = cs[cs.length - 1]!;
            await this.insertCamera({ ...last, assetTag: 'RACE-OTHER', importId: null });
            return super.insertCameras(cs);
          }
        }
        const people = app.platform.services.people;
        const importer = new CameraImport(new Interleaved(conn), people, app.platform.services.audit);
        const rows = Array.from(
          { length: 50 },
          (_, i) => `RACE-${station}-${i},VB400,RACETAG-${station}-${i},${station}`,
        );
        const csv = ['serial,model,assetTag,station', ...rows].join('\n');
        await expect(importer.run(csv, false, systemContext)).rejects.toMatchObject({
          status: 409,
          type: 'import-conflict',
        });
        const left = await app.http().get(`/api/v1/cameras?station=${station}`).set(stores);
        expect(left.body.items.map((c: { serial: string }) => c.serial)).toEqual([`RACE-${station}-49`]);
      } finally {
        await conn.close();
      }
    });

    it('refuses a file without the required columns, a non-CSV body and readers', async () => {
      const bad = await postCsv('/api/v1/cameras/import', 'serial,model\nX-1,VB400').expect(400);
      expect(bad.body.type).toBe('/problems/csv-missing-columns');
      const json = await app
        .http()
        .post('/api/v1/cameras/import')
        .set(stores)
        .send({ serial: 'x' })
        .expect(400);
      expect(json.body.type).toBe('/problems/validation-failed');
      const huge = `serial,model,assetTag,station\n${'X-1,VB400,T-1,CEN\n'.repeat(400_000)}`;
      const tooBig = await postCsv('/api/v1/cameras/import', huge).expect(400);
      expect(tooBig.body.type).toBe('/problems/body-too-large');
      const inspector = await app.as('inspector');
      await postCsv('/api/v1/cameras/import', 'serial,model,assetTag,station\n', inspector).expect(403);
    });

    it('exports the register as CSV', async () => {
      const station = await newStation(app, stores);
      const serial = await newCamera(app, stores, { station, model: 'AXON3' });
      await app
        .http()
        .patch(`/api/v1/cameras/${serial}`)
        .set(stores)
        .send({ notes: '=HYPERLINK("x")' })
        .expect(200);
      const res = await app
        .http()
        .get(`/api/v1/cameras/export.csv?station=${station}`)
        .set(auditor)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse<Record<string, string>>(res.text, { columns: true });
      expect(rows).toEqual([
        expect.objectContaining({ serial, model: 'AXON3', station, status: 'in_stock', holder: '' }),
      ]);
      expect(rows[0]!.notes).toBe(`'=HYPERLINK("x")`); // neutralised for spreadsheets
    });
  });

  describe('HR officer export', () => {
    it('dry-runs, then imports officers with qualifications', async () => {
      const station = await newStation(app, stores);
      const csv = [
        'number,name,station,team,qualifications,active',
        `H${station}1,PC One,${station},A,AFO;TASER,true`,
        `H${station}2,PC Two,${station},B,,yes`,
        `H${station}3,PCSO Three,${station},,PCSO,false`,
      ].join('\n');
      const dry = await postCsv('/api/v1/officers/import?dryRun=true', csv).expect(200);
      expect(dry.body).toMatchObject({ total: 3, valid: 3, imported: 0 });
      await app.http().get(`/api/v1/officers/H${station}1`).set(stores).expect(404);
      const res = await postCsv('/api/v1/officers/import', csv).expect(201);
      expect(res.body.imported).toBe(3);
      const one = await app.http().get(`/api/v1/officers/H${station}1`).set(stores).expect(200);
      expect(one.body).toMatchObject({ station, team: 'A', qualifications: ['AFO', 'TASER'], active: true });
      expect(one.body).not.toHaveProperty('importId');
      const three = await app.http().get(`/api/v1/officers/H${station}3`).set(stores).expect(200);
      expect(three.body).toMatchObject({ active: false, qualifications: ['PCSO'], team: null });
    });

    it('imports no officer when one row is bad', async () => {
      const station = await newStation(app, stores);
      const csv = [
        'number,name,station,qualifications',
        `B${station}1,PC One,${station},AFO`,
        `B${station}2,,${station},`,
        `B${station}3,PC Three,${station},JEDI`,
      ].join('\n');
      const res = await postCsv('/api/v1/officers/import', csv).expect(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['line 3', 'line 4']);
      const list = await app.http().get(`/api/v1/officers?station=${station}`).set(stores).expect(200);
      expect(list.body.total).toBe(0);
    });
  });
});
