import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';
import { newStation } from '../helpers/factories.js';
import {
  connect,
  connectError,
  disconnected,
  logIn,
  next,
  sessionFor,
  type LiveClient,
} from '../helpers/live.js';

describe('live feed over Socket.IO', () => {
  let app: TestApp;
  const sockets: LiveClient[] = [];
  const open = (cookie?: string) => {
    const s = connect(app, cookie);
    sockets.push(s);
    return s;
  };
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await app.close();
  });

  it('refuses a socket without a session, and one with a forged cookie', async () => {
    const bare = open();
    expect((await connectError(bare)).message).toBe('unauthenticated');
    const forged = open('bwv.sid=s%3Anot-a-session.bogus');
    expect((await connectError(forged)).message).toBe('unauthenticated');
    expect(bare.connected || forged.connected).toBe(false);
  });

  it('refuses a socket after its user logged out', async () => {
    const s = await sessionFor(app, 'stores');
    await app.http().post('/api/v1/auth/logout').set(s.headers).expect(204);
    expect((await connectError(open(s.cookie))).message).toBe('unauthenticated');
  });

  it("closes the sockets a session opened when it logs out, and leaves the user's other sessions live", async () => {
    const s = await sessionFor(app, 'stores');
    const other = await logIn(app, s.username, s.password);
    const [sock, elsewhere] = [open(s.cookie), open(other.cookie)];
    await Promise.all([next(sock, 'snapshot'), next(elsewhere, 'snapshot')]);

    const closed = disconnected(sock).then((reason) => ({ reason, at: Date.now() }));
    await app.http().post('/api/v1/auth/logout').set(s.headers).expect(204);
    const loggedOutAt = Date.now();
    const { reason, at } = await closed;
    // Closed by the server at once, not left to time out.
    expect(reason).toBe('io server disconnect');
    expect(at - loggedOutAt).toBeLessThan(500);
    // Coming back with the old cookie is refused.
    const refused = connectError(sock);
    sock.connect();
    expect((await refused).message).toBe('unauthenticated');
    expect(sock.connected).toBe(false);
    // The same user's other session streams on.
    expect(elsewhere.connected).toBe(true);
    expect(await elsewhere.emitWithAck('resync')).toMatchObject({
      ok: true,
      data: { viewer: { username: s.username } },
    });
  });

  it("closes a user's sockets when an admin changes their role, and for good when disabled", async () => {
    const admin = await app.as('admin');
    const s = await sessionFor(app, 'stores');
    const sock = open(s.cookie);
    expect((await next(sock, 'snapshot')).viewer.role).toBe('stores');
    const user = () => app.http().patch(`/api/v1/users/${s.username}`).set(admin);

    let closed = disconnected(sock);
    await user().send({ role: 'inspector' }).expect(200);
    expect(await closed).toBe('io server disconnect');
    // The session still stands: reconnecting, it is admitted with the new role.
    const again = next(sock, 'snapshot');
    sock.connect();
    expect((await again).viewer.role).toBe('inspector');

    closed = disconnected(sock);
    await user().send({ active: false }).expect(200);
    expect(await closed).toBe('io server disconnect');
    const refused = connectError(sock);
    sock.connect();
    expect((await refused).message).toBe('unauthenticated');
  });

  it('sends a snapshot naming the viewer on connect, and again after a reconnect', async () => {
    const station = await newStation(app, await app.as('admin'));
    const s = await sessionFor(app, 'inspector', station);
    const sock = open(s.cookie);
    const first = await next(sock, 'snapshot');
    expect(first.viewer).toMatchObject({ username: s.username, role: 'inspector', station });
    // Drop the transport as a network blip would; the client reconnects and is resynchronised.
    const again = next(sock, 'snapshot', 8000);
    sock.io.engine.close();
    expect((await again).viewer.username).toBe(s.username);
    expect(sock.connected).toBe(true);
  });

  it('coalesces bursts per device and sends each station only its own devices', async () => {
    const admin = await app.as('admin');
    const [a, b] = [await newStation(app, admin), await newStation(app, admin)];
    const [sa, sb, sf] = [
      await sessionFor(app, 'stores', a),
      await sessionFor(app, 'stores', b),
      await sessionFor(app, 'it', null),
    ];
    const [atA, atB, force] = [open(sa.cookie), open(sb.cookie), open(sf.cookie)];
    await Promise.all([next(atA, 'snapshot'), next(atB, 'snapshot'), next(force, 'snapshot')]);

    const diffs: { a: number; b: number; force: number } = { a: 0, b: 0, force: 0 };
    atA.on('devices:diff', () => diffs.a++);
    atB.on('devices:diff', () => diffs.b++);
    force.on('devices:diff', () => diffs.force++);
    const gotA = next(atA, 'devices:diff');
    const gotForce = next(force, 'devices:diff');
    const gw = app.platform.realtime()!;
    for (let i = 100; i > 50; i--) {
      gw.deviceChanged({ kind: 'camera', id: 'CAM-A1', station: a, battery: i });
      gw.deviceChanged({ kind: 'camera', id: 'CAM-B1', station: b, battery: i, online: true });
    }
    const diffA = await gotA;
    expect(diffA.changes).toEqual([{ kind: 'camera', id: 'CAM-A1', station: a, battery: 51 }]);
    const all = await gotForce;
    expect(all.changes.map((c) => c.id).sort()).toEqual(['CAM-A1', 'CAM-B1']);
    expect(all.seq).toBe(diffA.seq);
    await new Promise((r) => setTimeout(r, 400));
    // 100 changes became one message per client.
    expect(diffs).toEqual({ a: 1, b: 1, force: 1 });
  });

  // Four users, each a scrypt hash and a login: slow on a loaded 2-core machine.
  it('gives readiness boards only to inspectors of that station (or force-wide)', async () => {
    const admin = await app.as('admin');
    const [a, b] = [await newStation(app, admin), await newStation(app, admin)];
    const watch = async (role: 'inspector' | 'stores', home: string | null, station: string) => {
      const sock = open((await sessionFor(app, role, home)).cookie);
      await new Promise((resolve) => sock.once('connect', () => resolve(undefined)));
      return sock.emitWithAck('readiness:watch', station);
    };
    expect(await watch('inspector', a, a)).toMatchObject({ ok: true, data: { station: a, onDuty: 0 } });
    expect(await watch('inspector', a, b)).toEqual({ ok: false, error: 'forbidden' });
    expect(await watch('stores', a, a)).toEqual({ ok: false, error: 'forbidden' });
    expect(await watch('inspector', null, b)).toMatchObject({ ok: true, data: { station: b } });
    expect(await watch('inspector', null, 'bad station!')).toEqual({ ok: false, error: 'invalid station' });
  }, 90_000);
});
