import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_POLICY,
  assess,
  drainPerMinute,
  fmtMinutes,
  gotWorse,
  type CameraFacts,
} from '../../src/readiness/index.js';
import { FirmwarePolicy, type VersionsRepository } from '../../src/firmware/index.js';
import { healthReasonsOf } from '../../src/devices/index.js';
import type { DeviceState } from '../../src/devices/state.types.js';

const now = new Date('2026-11-25T12:00:00Z');
const min = (m: number) => new Date(now.getTime() + m * 60_000);
interface LiveInput {
  online: boolean;
  battery: number;
  charging: boolean;
  storage: { usedMb: number; totalMb: number };
  firmware: string;
  firmwareFault: string | null;
  faults: Array<{ code: string; message: string }>;
  assignedTo: string | null;
}
const healthy: LiveInput = {
  online: true,
  battery: 90,
  charging: false,
  storage: { usedMb: 1000, totalMb: 64000 },
  firmware: '2.1.0',
  firmwareFault: null,
  faults: [],
  assignedTo: 'O1',
};
const thresholds = { batteryLowPercent: 20, storageFullPercent: 90 };
/**
 * A camera's facts as readiness gets them: its health from the device-state capability's own
 * function (healthReasonsOf), given a device state built from these readings.
 */
const cam = (
  input: Partial<LiveInput> | null,
  history: CameraFacts['history'] = [],
  status = 'issued',
  lostReason: 'lost' | 'stolen' | null = null,
): CameraFacts => {
  const l = input && { ...healthy, ...input };
  const state: DeviceState | null = l && {
    kind: 'camera',
    id: 'C1',
    online: l.online,
    lastSeen: now,
    camera: {
      battery: l.battery,
      charging: l.charging,
      storageUsedMb: l.storage.usedMb,
      storageTotalMb: l.storage.totalMb,
      firmware: l.firmware,
      recording: false,
      dock: null,
      assignedTo: l.assignedTo,
      ts: now.toISOString(),
    },
    dock: null,
    faults: l.faults.map((f) => ({ ...f, since: now.toISOString() })),
    malformed: 0,
    updatedAt: now,
  };
  const register = { status, holder: status === 'issued' ? 'O1' : null, lostReason };
  return {
    serial: 'C1',
    status,
    lostReason,
    live: l &&
      state && {
        online: l.online,
        battery: l.battery,
        charging: l.charging,
        storage: l.storage,
        firmware: l.firmware,
        health: healthReasonsOf(state, thresholds, register, l.firmwareFault ? [l.firmwareFault] : []),
      },
    history,
  };
};
/** Battery readings every 5 minutes over the last `minutes`, falling `perMin` % a minute to `end`. */
const falling = (end: number, perMin: number, minutes = 30) =>
  Array.from({ length: minutes / 5 + 1 }, (_, i) => ({
    t: min(-minutes + i * 5),
    battery: end + perMin * (minutes - i * 5),
    charging: false,
  }));

describe('shift readiness rules', () => {
  const shiftEnd = min(6 * 60);

  it('is green for a healthy, charged camera with a gentle drain', () => {
    expect(assess(cam({}, falling(90, 0.1)), shiftEnd, now, DEFAULT_POLICY)).toMatchObject({
      rag: 'green',
      reasons: [],
    });
  });

  it('is red with no camera issued, and for a camera recorded faulty', () => {
    expect(assess(null, shiftEnd, now, DEFAULT_POLICY)).toMatchObject({
      rag: 'red',
      reasons: ['no camera issued'],
    });
    expect(assess(cam({ assignedTo: null }, [], 'faulty'), shiftEnd, now, DEFAULT_POLICY).reasons).toEqual([
      'camera C1 recorded as faulty',
    ]);
  });

  it('is amber when the battery will not last the rest of the shift at the current drain', () => {
    // 60% falling 0.25%/min: 240 minutes left, 360 to go.
    const v = assess(cam({ battery: 60 }, falling(60, 0.25)), shiftEnd, now, DEFAULT_POLICY);
    expect(v.rag).toBe('amber');
    expect(v.reasons[0]).toMatch(/battery 60% will not last the shift \(about 4\.0 h left, 6\.0 h to go\)/);
    expect(Math.round(v.batteryMinutesLeft!)).toBe(240);
  });

  it('is red when the battery runs out within half an hour; fine while charging', () => {
    expect(assess(cam({ battery: 5 }, falling(5, 0.5)), shiftEnd, now, DEFAULT_POLICY).rag).toBe('red');
    expect(
      assess(cam({ battery: 5, charging: true }, falling(5, 0.5)), shiftEnd, now, DEFAULT_POLICY).rag,
    ).toBe('green');
  });

  it('reads drain only since the camera last charged, and not from too little history', () => {
    const history = [
      ...falling(80, 1, 30).map((s) => ({ ...s, battery: s.battery })),
      { t: min(-1), battery: 80, charging: true },
    ];
    expect(drainPerMinute(history, now)).toBeNull();
    expect(drainPerMinute(falling(50, 0.2, 5), now)).toBeNull(); // two samples
    expect(drainPerMinute(falling(50, 0.2), now)).toBeCloseTo(0.2, 5);
  });

  it('flags offline, storage nearly full and full, firmware blocked, open faults, and no telemetry', () => {
    const policy = DEFAULT_POLICY;
    expect(assess(cam({ online: false }), shiftEnd, now, policy)).toMatchObject({
      rag: 'amber',
      reasons: ['offline'],
    });
    // Nearly full by readiness's policy, before the device's own storage warning starts (90%).
    expect(assess(cam({ storage: { usedMb: 56000, totalMb: 64000 } }), shiftEnd, now, policy)).toMatchObject({
      rag: 'amber',
      reasons: ['storage nearly full (88%)'],
    });
    // From 90% the device's health says it, in its words, and readiness does not say it twice.
    expect(assess(cam({ storage: { usedMb: 58000, totalMb: 64000 } }), shiftEnd, now, policy)).toMatchObject({
      rag: 'amber',
      reasons: ['storage 91% full'],
    });
    expect(assess(cam({ storage: { usedMb: 63900, totalMb: 64000 } }), shiftEnd, now, policy).rag).toBe(
      'red',
    );
    // The versions register's verdict on the camera's firmware, in the same words as its health.
    const register = new FirmwarePolicy({} as VersionsRepository);
    register.set('camera', 'VB400', '2.0.9', {
      kind: 'camera',
      model: 'VB400',
      version: '2.0.9',
      status: 'blocked',
      reason: 'bricks on low battery',
    });
    const firmwareFault = register.blockedReason('camera', 'VB400', '2.0.9');
    expect(assess(cam({ firmware: '2.0.9', firmwareFault }), shiftEnd, now, policy)).toMatchObject({
      rag: 'red',
      reasons: ['firmware 2.0.9 is blocked'],
    });
    const otherModel = register.blockedReason('camera', 'VB300', '2.0.9');
    expect(assess(cam({ firmware: '2.0.9', firmwareFault: otherModel }), shiftEnd, now, policy).rag).toBe(
      'green',
    );
    expect(
      assess(cam({ faults: [{ code: 'E42', message: 'lens heater' }] }), shiftEnd, now, policy).reasons,
    ).toEqual(['fault E42: lens heater']);
    expect(assess(cam(null), shiftEnd, now, policy)).toMatchObject({
      rag: 'amber',
      reasons: ['camera C1 has not reported yet'],
    });
  });

  it("carries the camera's health reasons: an assignment the register does not have, a loss", () => {
    // The API's warning (issue 19: readiness said "Working" for it).
    expect(assess(cam({ assignedTo: 'O7' }), shiftEnd, now, DEFAULT_POLICY)).toMatchObject({
      rag: 'amber',
      reasons: ['camera reports assignment to O7, register says O1'],
    });
    // Reported stolen and reporting in: the reason stays, with where it is.
    expect(
      assess(cam({ assignedTo: null }, [], 'lost', 'stolen'), shiftEnd, now, DEFAULT_POLICY),
    ).toMatchObject({
      rag: 'red',
      reasons: ['camera C1 reported stolen', 'stolen camera online not in a dock'],
    });
    expect(assess(cam(null, [], 'lost', 'lost'), shiftEnd, now, DEFAULT_POLICY).reasons).toEqual([
      'camera C1 reported lost',
      'camera C1 has not reported yet',
    ]);
  });

  it('says battery time left in the whole minutes the row shows', () => {
    // 40% at 0.303%/min: 132.0… minutes; the reason says 2.2 h and the row 132.
    const v = assess(cam({ battery: 40 }, falling(40, 0.303)), shiftEnd, now, DEFAULT_POLICY);
    expect(v.batteryMinutesLeft).toBe(132);
    expect(v.reasons[0]).toContain(`about ${fmtMinutes(132)} left`);
    expect(fmtMinutes(132)).toBe('2.2 h');
    // Rounded first: 89.6 minutes shows as 90 on the row, so 1.5 h in words, not "90 min".
    expect(fmtMinutes(89.6)).toBe('1.5 h');
  });

  it('alerts only when an officer gets worse', () => {
    expect(gotWorse('green', 'amber')).toBe(true);
    expect(gotWorse('amber', 'red')).toBe(true);
    expect(gotWorse(null, 'red')).toBe(true);
    expect(gotWorse('red', 'amber')).toBe(false);
    expect(gotWorse('amber', 'amber')).toBe(false);
  });
});
