import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Resvg } from '@resvg/resvg-js';
import jsQRModule from 'jsqr';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newDock, newStation } from '../helpers/factories.js';

// jsqr is CommonJS whose typings declare an ES default export: at runtime the import is the function.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/** Rasterises an SVG and returns its RGBA pixels (what a printer, then a scanner, would see). */
function rasterise(svg: string, width: number) {
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: width }, background: '#ffffff' }).render();
  return { data: new Uint8ClampedArray(img.pixels), width: img.width, height: img.height };
}

function crop(img: { data: Uint8ClampedArray; width: number }, x: number, y: number, w: number, h: number) {
  const out = new Uint8ClampedArray(w * h * 4);
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * img.width + x) * 4;
    out.set(img.data.subarray(from, from + w * 4), row * w * 4);
  }
  return out;
}

describe('camera labels', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
  });
  afterAll(() => app.close());

  it('renders a QR code that decodes back to the serial, with the asset tag under it', async () => {
    const station = await newStation(app, stores);
    const serial = await newCamera(app, stores, { station, assetTag: `BWV-${station}-0042` });
    const res = await app
      .http()
      .get(`/api/v1/cameras/${serial}/label.svg`)
      .set(stores)
      .buffer(true)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
    expect(svg).toContain(`>BWV-${station}-0042</text>`);
    const img = rasterise(svg, 480);
    const code = jsQR(img.data, img.width, img.height);
    expect(code?.data).toBe(serial);
  });

  it('prints a sheet for a station whose every label decodes to its camera', async () => {
    const station = await newStation(app, stores);
    const serials = [];
    for (let i = 0; i < 6; i++) serials.push(await newCamera(app, stores, { station }));
    serials.sort();
    const res = await app
      .http()
      .get(`/api/v1/stations/${station}/labels.svg`)
      .set(stores)
      .buffer(true)
      .expect(200);
    const svg = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
    // Layout: 4 columns of 240×290 units with 36-unit gutters; render at 1 px per unit.
    const columns = 4;
    const width = columns * 240 + (columns + 1) * 36;
    const img = rasterise(svg, width);
    const decoded = serials.map((_, i) => {
      const x = 36 + (i % columns) * (240 + 36);
      const y = 36 + Math.floor(i / columns) * (290 + 36);
      return jsQR(crop(img, x, y, 240, 290), 240, 290)?.data;
    });
    expect(decoded).toEqual(serials);
  });

  it('prints a sheet of the cameras chosen, in the order given, each label decoding to its camera', async () => {
    const station = await newStation(app, stores);
    const other = await newStation(app, stores);
    const here = [await newCamera(app, stores, { station }), await newCamera(app, stores, { station })];
    const there = await newCamera(app, stores, { station: other });
    // Not the station's whole sheet: the two chosen here and one of another station, as named.
    const chosen = [here[1]!, there, here[0]!];
    const res = await app
      .http()
      .get(`/api/v1/cameras/labels.svg?serials=${chosen.join(',')}`)
      .set(await app.as('auditor'))
      .buffer(true)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
    const width = 4 * 240 + 5 * 36;
    const img = rasterise(svg, width);
    const decoded = [0, 1, 2, 3].map((i) => jsQR(crop(img, 36 + i * 276, 36, 240, 290), 240, 290)?.data);
    expect(decoded).toEqual([...chosen, undefined]);
  });

  it('refuses a chosen sheet naming an unknown camera, an invalid serial or none', async () => {
    const station = await newStation(app, stores);
    const serial = await newCamera(app, stores, { station });
    const unknown = await app
      .http()
      .get(`/api/v1/cameras/labels.svg?serials=${serial},NO-SUCH-CAM`)
      .set(stores)
      .expect(404);
    expect(unknown.body).toMatchObject({
      type: '/problems/camera-not-found',
      detail: "No camera 'NO-SUCH-CAM'",
    });
    const invalid = await app.http().get('/api/v1/cameras/labels.svg?serials=a%20b').set(stores).expect(400);
    expect(invalid.body.errors).toEqual([expect.objectContaining({ path: 'query.serials.0' })]);
    await app.http().get('/api/v1/cameras/labels.svg?serials=,').set(stores).expect(400);
    await app.http().get('/api/v1/cameras/labels.svg').set(stores).expect(400);
  });

  it('answers 404 for an unknown camera or station', async () => {
    await app.http().get('/api/v1/cameras/NO-SUCH-CAM/label.svg').set(stores).expect(404);
    await app.http().get('/api/v1/stations/NOPE/labels.svg').set(stores).expect(404);
  });

  describe('dock labels', () => {
    /** The sheet's labels in order, each decoded from its QR code (4 across, as camera sheets). */
    const decodeSheet = (svg: string, count: number) => {
      const img = rasterise(svg, 4 * 240 + 5 * 36);
      return Array.from({ length: count }, (_, i) => {
        const x = 36 + (i % 4) * (240 + 36);
        const y = 36 + Math.floor(i / 4) * (290 + 36);
        return jsQR(crop(img, x, y, 240, 290), 240, 290)?.data;
      });
    };
    const sheet = async (query: string, headers = stores) => {
      const res = await app
        .http()
        .get(`/api/v1/docks/labels.svg${query}`)
        .set(headers)
        .buffer(true)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      return Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text;
    };

    it("prints a station's docks, each label's code decoding to the dock id with its station under it", async () => {
      const station = await newStation(app, stores);
      const other = await newStation(app, stores);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await newDock(app, stores, { station }));
      const elsewhere = await newDock(app, stores, { station: other });
      ids.sort();
      const svg = await sheet(`?station=${station}`, await app.as('auditor'));
      expect(decodeSheet(svg, 5)).toEqual(ids);
      for (const id of ids) expect(svg).toContain(`>${id}</text>`);
      expect(svg).toContain(`>Dock at ${station}</text>`);
      expect(svg).not.toContain(`>${elsewhere}</text>`);
    });

    it('prints the docks chosen in the order given, and refuses an unknown dock or station', async () => {
      const a = await newStation(app, stores);
      const b = await newStation(app, stores);
      const chosen = [await newDock(app, stores, { station: b }), await newDock(app, stores, { station: a })];
      const svg = await sheet(`?ids=${chosen.join(',')}`);
      expect(decodeSheet(svg, 3)).toEqual([...chosen, undefined]);
      expect(svg).toContain(`>Dock at ${a}</text>`);
      expect(svg).toContain(`>Dock at ${b}</text>`);

      const unknown = await app
        .http()
        .get(`/api/v1/docks/labels.svg?ids=${chosen[0]},NO-SUCH-DOCK`)
        .set(stores)
        .expect(404);
      expect(unknown.body).toMatchObject({ type: '/problems/dock-not-found' });
      await app.http().get('/api/v1/docks/labels.svg?station=NOPE1').set(stores).expect(404);
      const invalid = await app.http().get('/api/v1/docks/labels.svg?ids=a%20b').set(stores).expect(400);
      expect(invalid.body.errors).toEqual([expect.objectContaining({ path: 'query.ids.0' })]);
    });
  });
});
