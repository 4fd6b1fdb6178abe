// Transit stock in the live feed (issue 19): a camera sent in a transfer counts at neither station
// until received. The desk and the stock API already said so; the Fleet overview counted it at the
// sending station, because the live rows did not carry the register's `transfer`. The flag travels
// as one changed field to every viewer in scope (it moves counts), not as a whole row.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DevicePatch, LiveDevice } from '../../src/realtime/index.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { newCamera, newStation } from '../helpers/factories.js';
import { connect, next, sessionFor, type LiveClient } from '../helpers/live.js';

describe('cameras in transit on the live feed', () => {
  let app: TestApp;
  let stores: Record<string, string>;
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    app = await startApp();
    stores = await app.as('stores');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app.close();
  });

  const liveSocket = async (role: 'admin' | 'inspector', station: string | null = null) => {
    const sock = connect(app, (await sessionFor(app, role, station)).cookie);
    sockets.push(sock);
    await next(sock, 'snapshot', 10_000);
    return sock;
  };
  const rows = async (sock: LiveClient) => {
    const r = await sock.emitWithAck('resync');
    if (!r.ok) throw new Error(r.error);
    return new Map(r.data.devices.map((d: LiveDevice) => [d.id, d]));
  };
  /** The next patch for this camera that sets `field`. */
  const patchOf = (sock: LiveClient, serial: string, field: keyof LiveDevice) => {
    const found = (d: { changes: DevicePatch[] }) => d.changes.find((c) => c.id === serial && field in c);
    return next(sock, 'devices:diff', 10_000, (d) => found(d) !== undefined).then((d) => found(d)!);
  };

  it('flags the camera from sending to receiving, to force-wide and station viewers alike', async () => {
    const from = await newStation(app, stores);
    const to = await newStation(app, stores);
    const moving = await newCamera(app, stores, { station: from });
    const staying = await newCamera(app, stores, { station: from });
    const forceWide = await liveSocket('admin');
    const atSender = await liveSocket('inspector', from);

    const before = await rows(forceWide);
    expect(before.get(moving)).toMatchObject({ station: from, inTransit: false });
    expect(before.get(staying)).toMatchObject({ station: from, inTransit: false });

    const sentPatches = [patchOf(forceWide, moving, 'inTransit'), patchOf(atSender, moving, 'inTransit')];
    const sent = await app
      .http()
      .post('/api/v1/transfers')
      .set(stores)
      .send({ cameras: [moving], to })
      .expect(201);
    // Only what changed: the flag (with the row's identity), not the whole row again.
    for (const p of await Promise.all(sentPatches)) {
      expect(p).toEqual({ kind: 'camera', id: moving, station: from, inTransit: true });
    }
    expect((await rows(atSender)).get(moving)).toMatchObject({ station: from, inTransit: true });
    expect((await rows(atSender)).get(staying)).toMatchObject({ inTransit: false });

    const received = patchOf(forceWide, moving, 'station');
    await app.http().post(`/api/v1/transfers/${sent.body.id}/receive`).set(stores).expect(200);
    // Moved station: the new station's viewers never had the row, so it goes whole, flag cleared.
    expect(await received).toMatchObject({ kind: 'camera', id: moving, station: to, inTransit: false });
    expect((await rows(forceWide)).get(moving)).toMatchObject({ station: to, inTransit: false });
    expect((await rows(atSender)).has(moving)).toBe(false);
  }, 60_000);
});
