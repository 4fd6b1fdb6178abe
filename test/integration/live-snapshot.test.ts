// A snapshot of the fleet joins two halves kept apart: the register (station, status, holder) and
// the device's own reports. Rows are merged when either half changes, not at each snapshot; these
// tests hold the merged row to both halves as they are now.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { startApp, type TestApp } from '../helpers/app.js';
import { newOfficer } from '../helpers/factories.js';
import { connect, sessionFor, type LiveClient } from '../helpers/live.js';
import { cameraTelemetry, connectDevice, eventually, register, uid } from '../helpers/mqtt.js';

describe('the fleet snapshot', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  let sock: LiveClient;
  let device: MqttClient;
  const serial = `SNAP${uid()}`;

  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
    device = await connectDevice(app, admin, 'camera', serial);
    sock = connect(app, (await sessionFor(app, 'admin')).cookie);
  });
  afterAll(async () => {
    sock.close();
    await device.endAsync();
    await app.close();
  });

  const row = async () => {
    const r = await sock.emitWithAck('resync');
    if (!r.ok) throw new Error(r.error);
    return r.data.devices.find((d) => d.id === serial);
  };
  const report = (fields: Record<string, unknown> = {}) =>
    device.publishAsync(`bwv/v1/cameras/${serial}/telemetry`, JSON.stringify(cameraTelemetry(fields)));

  it('shows the last reading, the register as it is now, and a last-seen that moves without a change', async () => {
    await report({ battery: 77 });
    const first = await eventually(async () => {
      const r = await row();
      return r?.battery === 77 && r;
    });
    expect(first).toMatchObject({ status: 'in_stock', holder: null, online: true, health: 'ok' });

    // The same reading again: nothing changed but the time the camera was last heard from.
    await new Promise((r) => setTimeout(r, 1_100));
    await report({ battery: 77 });
    const seenAgain = await eventually(async () => {
      const r = await row();
      return r && r.lastSeen! > first.lastSeen! && r;
    });
    expect(seenAgain.battery).toBe(77);

    // A register write (a check-out) keeps the live half; a new reading keeps the register's half.
    const station = await register(app, 'camera', `OTHER${uid()}`);
    const officer = await newOfficer(app, admin, { station });
    await app
      .http()
      .post('/api/v1/checkouts')
      .set(admin)
      .send({ camera: serial, officer, mode: 'pool' })
      .expect(201);
    expect(await eventually(async () => (await row())?.holder === officer && row())).toMatchObject({
      status: 'issued',
      battery: 77,
    });
    await report({ battery: 64, assignedTo: officer });
    expect(await eventually(async () => (await row())?.battery === 64 && row())).toMatchObject({
      status: 'issued',
      holder: officer,
    });
  });
});
