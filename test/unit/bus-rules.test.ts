// Pure rules of the bus: topic parsing, per-device access, decoding, the packet-size guard, health.
import { describe, expect, it } from '@jest/globals';
import { FrameGuard } from '../../src/bus/frame-guard.js';
import { mayPublish, maySubscribe, type Identity } from '../../src/bus/identity.js';
import { decode } from '../../src/bus/decode.js';
import {
  CameraTelemetry,
  CommandAck,
  DeviceStatus,
  DockTelemetry,
  parseTopic,
} from '../../src/bus/topics.js';
import { healthOf } from '../../src/devices/health.js';
import type { DeviceState } from '../../src/devices/state.types.js';

const cam: Identity = { type: 'device', kind: 'camera', id: 'C1', username: 'camera:C1' };
const limits = { maxAgeMs: 300_000, maxSkewMs: 60_000 };

describe('topics and access', () => {
  it('parses only well-formed device topics', () => {
    expect(parseTopic('bwv/v1/cameras/C1/telemetry')).toEqual({
      kind: 'camera',
      id: 'C1',
      channel: 'telemetry',
    });
    expect(parseTopic('bwv/v1/cameras/+/telemetry')).toBeNull();
    expect(parseTopic('bwv/v2/cameras/C1/telemetry')).toBeNull();
    expect(parseTopic('bwv/v1/cameras/C1/telemetry/x')).toBeNull();
    // Kinds come from a lookup that must not reach inherited properties.
    expect(parseTopic('bwv/v1/constructor/C1/telemetry')).toBeNull();
    expect(parseTopic('bwv/v1/__proto__/C1/telemetry')).toBeNull();
  });

  it('gives the same answer for a topic seen again (parsed topics are remembered)', () => {
    for (let i = 0; i < 3; i++) {
      expect(parseTopic('bwv/v1/docks/D-1/events')).toEqual({ kind: 'dock', id: 'D-1', channel: 'events' });
      expect(parseTopic('bwv/v1/docks/D 1/events')).toBeNull();
    }
  });

  it('lets a camera publish on its own channels and subscribe to its own commands only', () => {
    expect(mayPublish(cam, 'bwv/v1/cameras/C1/telemetry')).toBe(true);
    expect(mayPublish(cam, 'bwv/v1/cameras/C2/telemetry')).toBe(false);
    expect(mayPublish(cam, 'bwv/v1/cameras/C1/commands')).toBe(false);
    expect(mayPublish(cam, 'bwv/v1/docks/C1/telemetry')).toBe(false);
    expect(maySubscribe(cam, 'bwv/v1/cameras/C1/commands')).toBe(true);
    expect(maySubscribe(cam, 'bwv/v1/cameras/+/commands')).toBe(false);
    expect(maySubscribe(cam, '#')).toBe(false);
  });
});

describe('decoding', () => {
  const now = Date.parse('2026-11-25T04:00:00Z');
  const msg = (o: object) => Buffer.from(JSON.stringify(o));
  const good = {
    ts: '2026-11-25T03:59:59Z',
    battery: 50,
    charging: false,
    storageUsedMb: 10,
    storageTotalMb: 100,
    firmware: '1',
    recording: false,
    dock: null,
    assignedTo: null,
  };
  it('accepts a valid reading and refuses stale, future, out-of-range and inconsistent ones', () => {
    expect(decode('bwv/v1/cameras/C1/telemetry', msg(good), now, limits).ok).toBe(true);
    const reason = (o: object) => {
      const r = decode('bwv/v1/cameras/C1/telemetry', msg(o), now, limits);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason({ ...good, ts: '2026-11-25T03:00:00Z' })).toBe('stale');
    expect(reason({ ...good, ts: '2026-11-25T04:05:00Z' })).toBe('timestamp in the future');
    expect(reason({ ...good, battery: 101 })).toMatch(/^invalid: battery/);
    expect(reason({ ...good, storageUsedMb: 101 })).toMatch(/^invalid: storageUsedMb/);
    const notJson = decode('bwv/v1/cameras/C1/telemetry', Buffer.from('{'), now, limits);
    expect(notJson).toEqual({ ok: false, device: { kind: 'camera', id: 'C1' }, reason: 'not JSON' });
  });

  // The busy channels are checked by schemas ajv compiles from the contract; they must say what zod says.
  it('gives the verdict and the payload that the zod contract gives, extra keys dropped', () => {
    const dock = {
      ts: '2026-11-25T04:59:59.5+01:00',
      firmware: 'd-2',
      slots: [{ slot: 0, camera: 'C1', charging: true, offload: 'idle', colour: 'red' }],
      network: { online: true, uplinkMbps: null, ssid: 'x' },
      extra: 1,
    };
    const cases: Array<[string, object, object]> = [
      ['cameras/C1/telemetry', { ...good, extra: 1 }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, dock: { id: 'D1', slot: 2, why: 1 } }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, firmware: '😀'.repeat(20) }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, firmware: '😀'.repeat(21) }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, battery: '50' }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, storageUsedMb: 1.5 }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, ts: '2026-11-25 03:59:59' }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, assignedTo: 'PC 1' }, CameraTelemetry],
      ['cameras/C1/telemetry', { ...good, recording: undefined }, CameraTelemetry],
      ['docks/D1/telemetry', dock, DockTelemetry],
      ['docks/D1/telemetry', { ...dock, slots: [{ ...dock.slots[0], offload: 'stuck' }] }, DockTelemetry],
      ['docks/D1/telemetry', { ...dock, slots: Array(65).fill(dock.slots[0]) }, DockTelemetry],
      ['docks/D1/status', { online: false, since: 1 }, DeviceStatus],
      ['docks/D1/status', { online: 'yes' }, DeviceStatus],
      ['cameras/C1/acks', { ts: good.ts, commandId: 'k', ok: true, detail: 'd', x: 1 }, CommandAck],
      ['cameras/C1/acks', { ts: good.ts, commandId: '', ok: true }, CommandAck],
    ];
    for (const [topic, payload, schema] of cases) {
      const zod = (schema as typeof DeviceStatus).safeParse(payload);
      const r = decode(`bwv/v1/${topic}`, msg(payload), now, limits);
      const issue = zod.error?.issues[0];
      expect([topic, r.ok ? r.message.payload : r.reason]).toEqual([
        topic,
        zod.success ? zod.data : `invalid: ${issue!.path.join('.')} ${issue!.message}`,
      ]);
    }
  });
});

describe('packet size guard', () => {
  it('refuses a packet whose fixed header announces more than the limit, across chunk boundaries', () => {
    const g = new FrameGuard(1000);
    // PUBLISH with remaining length 100 (one length byte), its body split over chunks.
    expect(g.accept(Buffer.from([0x30, 100]))).toBe(true);
    expect(g.accept(Buffer.alloc(60))).toBe(true);
    expect(g.accept(Buffer.alloc(40))).toBe(true);
    // Next packet: remaining length 2000 = 0xD0 0x0F.
    expect(g.accept(Buffer.from([0x30, 0xd0]))).toBe(true);
    expect(g.accept(Buffer.from([0x0f]))).toBe(false);
  });
});

describe('health', () => {
  const base: DeviceState = {
    kind: 'camera',
    id: 'C1',
    online: true,
    lastSeen: new Date(),
    camera: {
      ts: '',
      battery: 80,
      charging: false,
      storageUsedMb: 1,
      storageTotalMb: 100,
      firmware: '1',
      recording: false,
      dock: null,
      assignedTo: null,
    },
    dock: null,
    faults: [],
    malformed: 0,
    updatedAt: new Date(),
  };
  const t = { batteryLowPercent: 20, storageFullPercent: 90 };
  it('ranks offline over fault over warning, and gives the reasons', () => {
    expect(healthOf(base, t)).toEqual({ health: 'ok', reasons: [] });
    const low = { ...base, camera: { ...base.camera!, battery: 10 } };
    expect(healthOf(low, t)).toEqual({ health: 'warning', reasons: ['battery 10% and not charging'] });
    expect(healthOf({ ...low, camera: { ...low.camera, charging: true } }, t).health).toBe('ok');
    const faulted = { ...low, faults: [{ code: 'E1', message: 'x', since: '' }] };
    expect(healthOf(faulted, t).health).toBe('fault');
    expect(healthOf({ ...faulted, online: false }, t).health).toBe('offline');
  });
});
