// Issue 19: the set-up lists search a register of a force's size (1,500 cameras, 1,300 officers) by
// `?q=` and page through it with the API's own `limit`/`offset`; the text is matched literally, in
// any case, on the fields a clerk reads off the item.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newOfficer, newStation } from '../helpers/factories.js';
import { uid } from '../helpers/mqtt.js';

interface Page {
  items: Array<Record<string, unknown>>;
  total: number;
  limit: number;
  offset: number;
}

describe('searching the registers', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
  });
  afterAll(() => app.close());

  const list = async (path: string) =>
    (await app.http().get(`/api/v1${path}`).set(stores).expect(200)).body as Page;

  it('finds cameras by part of the serial or the asset tag, in any case, and pages the matches', async () => {
    const station = await newStation(app, stores);
    const tag = uid().toUpperCase();
    const serials: string[] = [];
    for (let i = 0; i < 5; i++)
      serials.push(
        await newCamera(app, stores, { station, serial: `SRCH-${tag}-${i}`, assetTag: `AT-${i}` }),
      );
    const byTag = await newCamera(app, stores, { station, assetTag: `BWV-${tag}-X` });
    await newCamera(app, stores, { station, serial: `OTHER-${uid()}` });

    const all = await list(`/cameras?q=${tag.toLowerCase()}&limit=50`);
    expect(all.total).toBe(6);
    expect(all.items.map((c) => c.serial)).toEqual([...serials, byTag].sort());

    // Paging over the matches: the API's own limit and offset.
    const second = await list(`/cameras?q=${tag}&limit=2&offset=2`);
    expect(second).toMatchObject({ total: 6, limit: 2, offset: 2 });
    expect(second.items.map((c) => c.serial)).toEqual([...serials, byTag].sort().slice(2, 4));

    // Combined with the station filter; the text is literal ('.' is no wildcard).
    expect((await list(`/cameras?q=${tag}&station=${station}`)).total).toBe(6);
    expect((await list(`/cameras?q=${tag}&station=${await newStation(app, stores)}`)).total).toBe(0);
    expect((await list(`/cameras?q=SRCH.${tag}`)).total).toBe(0);
  });

  it('finds docks by part of their id, and officers by number or name', async () => {
    const station = await newStation(app, stores);
    const tag = uid().toUpperCase();
    const docks = [
      await newDock(app, stores, { station, id: `DK-${tag}-1` }),
      await newDock(app, stores, { station, id: `DK-${tag}-2` }),
    ];
    await newDock(app, stores, { station });
    const found = await list(`/docks?q=${tag.toLowerCase()}`);
    expect(found.total).toBe(2);
    expect(found.items.map((d) => d.id)).toEqual(docks);

    const number = await newOfficer(app, stores, { station, number: `N${tag}` });
    expect((await list(`/officers?q=n${tag.toLowerCase()}`)).items.map((o) => o.number)).toEqual([number]);
  });

  it('refuses an empty or over-long search with the field named', async () => {
    for (const path of ['/cameras', '/docks', '/officers']) {
      for (const q of ['%20%20', 'x'.repeat(51)]) {
        const res = await app.http().get(`/api/v1${path}?q=${q}`).set(stores).expect(400);
        expect(res.body).toMatchObject({ type: '/problems/validation-failed' });
        expect(res.body.errors).toEqual([expect.objectContaining({ path: 'query.q' })]);
      }
    }
  });
});
