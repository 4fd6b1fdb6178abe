// The pure rules of firmware campaigns: maintenance windows in time zones, eligibility at the moment
// of sending, the update state machine, targeting and wave plans, wave and threshold decisions, and
// the pace of commands.
import { describe, expect, it } from '@jest/globals';
import {
  orderForWaves,
  previewOf,
  select,
  wavePlan,
  type Candidate,
} from '../../src/firmware/campaigns.targeting.js';
import { eligibility, type EligibilityInput } from '../../src/firmware/engine.eligibility.js';
import { Pace } from '../../src/firmware/engine.pace.js';
import { decide, type Counts, type Wave, type WaveInputs } from '../../src/firmware/engine.waves.js';
import {
  onAck,
  onCancel,
  onClock,
  onTelemetry,
  type UpdateFacts,
} from '../../src/firmware/updates.states.js';
import { describeWindow, insideWindow, isTimeZone, localTime } from '../../src/firmware/windows.rules.js';

const at = (iso: string) => new Date(iso);

describe('maintenance windows', () => {
  const nights = {
    timeZone: 'Europe/London',
    windows: [{ days: ['mon' as const], start: '22:00', end: '02:00' }],
  };

  it('reads the weekday and time in the station’s zone', () => {
    // 2026-07-06 is a Monday; London is UTC+1 in summer, New York UTC-4.
    expect(localTime(at('2026-07-06T21:30:00Z'), 'Europe/London')).toEqual({
      day: 'mon',
      minutes: 22 * 60 + 30,
    });
    expect(localTime(at('2026-07-06T02:00:00Z'), 'America/New_York')).toEqual({
      day: 'sun',
      minutes: 22 * 60,
    });
  });

  it('crosses midnight into the next day', () => {
    expect(insideWindow(nights, at('2026-07-06T20:59:00Z'))).toBe(false); // mon 21:59 local
    expect(insideWindow(nights, at('2026-07-06T21:00:00Z'))).toBe(true); // mon 22:00
    expect(insideWindow(nights, at('2026-07-07T00:30:00Z'))).toBe(true); // tue 01:30
    expect(insideWindow(nights, at('2026-07-07T01:00:00Z'))).toBe(false); // tue 02:00: the end is out
    expect(insideWindow(nights, at('2026-07-07T21:30:00Z'))).toBe(false); // tue 22:30: not a listed day
    expect(insideWindow(nights, at('2026-07-06T00:30:00Z'))).toBe(false); // mon 01:30: sunday was not listed
  });

  it('follows the zone’s summer time', () => {
    const early = {
      timeZone: 'Europe/London',
      windows: [{ days: ['sun' as const], start: '03:00', end: '04:00' }],
    };
    // 29 March 2026: clocks go forward at 01:00 UTC. 03:30 local is 02:30 UTC after the change.
    expect(insideWindow(early, at('2026-03-29T02:30:00Z'))).toBe(true);
    expect(insideWindow(early, at('2026-03-29T03:30:00Z'))).toBe(false);
    // In winter, 03:30 local is 03:30 UTC.
    expect(insideWindow(early, at('2026-01-04T03:30:00Z'))).toBe(true);
  });

  it('treats start = end as the whole day, and 24:00 as its end', () => {
    const allMonday = {
      timeZone: 'UTC',
      windows: [{ days: ['mon' as const], start: '00:00', end: '00:00' }],
    };
    expect(insideWindow(allMonday, at('2026-07-06T23:59:00Z'))).toBe(true);
    expect(insideWindow(allMonday, at('2026-07-07T00:00:00Z'))).toBe(false);
    const evening = { timeZone: 'UTC', windows: [{ days: ['mon' as const], start: '18:00', end: '24:00' }] };
    expect(insideWindow(evening, at('2026-07-06T23:59:00Z'))).toBe(true);
    expect(insideWindow(evening, at('2026-07-06T17:59:00Z'))).toBe(false);
  });

  it('knows IANA zones and describes a window in words', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(describeWindow(nights)).toBe('mon 22:00–02:00 Europe/London');
  });
});

describe('eligibility at the moment of sending', () => {
  const fit: EligibilityInput = {
    kind: 'camera',
    register: { station: 'N1', model: 'VB400', status: 'in_stock', holder: null, transfer: null },
    live: {
      online: true,
      firmware: '2.4.1',
      camera: { battery: 80, charging: false, recording: false, docked: true, ts: '2026-07-06T10:00:00Z' },
      dock: null,
    },
    holderOnShift: false,
    window: null,
    now: at('2026-07-06T10:00:00Z'),
    minBattery: 30,
  };
  const reason = (patch: Partial<EligibilityInput>) => {
    const v = eligibility({ ...fit, ...patch });
    return v.eligible ? 'eligible' : v.reason;
  };
  const camera = (c: Partial<NonNullable<NonNullable<EligibilityInput['live']>['camera']>>) => ({
    live: { ...fit.live!, camera: { ...fit.live!.camera!, ...c } },
  });

  it('sends a docked, idle, charged camera in stock', () => {
    expect(reason({})).toBe('eligible');
    expect(reason(camera({ battery: 10, charging: true }))).toBe('eligible');
  });

  it('makes an issued camera wait, saying whether its officer is on shift', () => {
    const issued = { register: { ...fit.register!, status: 'issued', holder: 'O123' } };
    expect(reason(issued)).toBe('issued to officer O123');
    expect(reason({ ...issued, holderOnShift: true })).toBe('officer O123 is on shift');
    // Custody comes first: even docked and idle, an issued camera is never touched.
    expect(reason({ ...issued, ...camera({ docked: true }) })).toBe('issued to officer O123');
  });

  it('names each other reason to wait', () => {
    expect(reason({ register: null })).toBe('no longer in the register');
    expect(reason({ register: { ...fit.register!, status: 'in_repair' } })).toBe('in repair');
    expect(reason({ register: { ...fit.register!, status: 'lost' } })).toBe('reported lost');
    expect(reason({ register: { ...fit.register!, transfer: 'T1' } })).toBe('in transit to another station');
    expect(reason({ live: null })).toBe('offline');
    expect(reason({ live: { ...fit.live!, online: false } })).toBe('offline');
    expect(reason(camera({ docked: false }))).toBe('not docked');
    expect(reason(camera({ recording: true }))).toBe('recording');
    expect(reason(camera({ battery: 29 }))).toBe('battery below 30% and not charging');
  });

  it('waits outside the station’s maintenance window', () => {
    const window = { timeZone: 'UTC', windows: [{ days: ['mon' as const], start: '01:00', end: '05:00' }] };
    expect(reason({ window })).toBe('outside the maintenance window (mon 01:00–05:00 UTC)');
    expect(reason({ window, now: at('2026-07-06T02:00:00Z') })).toBe('eligible');
  });

  it('sends a dock that is online, with its uplink up and nothing offloading', () => {
    const dock = (d: { uplink: boolean; offloading: boolean }, online = true): Partial<EligibilityInput> => ({
      kind: 'dock',
      register: { station: 'N1', model: 'D14', status: null, holder: null, transfer: null },
      live: { online, firmware: '1.3.0', camera: null, dock: { ...d, ts: '2026-07-06T10:00:00Z' } },
    });
    expect(reason(dock({ uplink: true, offloading: false }))).toBe('eligible');
    expect(reason(dock({ uplink: false, offloading: false }))).toBe('uplink down');
    expect(reason(dock({ uplink: true, offloading: true }))).toBe('offloading clips');
    expect(reason(dock({ uplink: true, offloading: false }, false))).toBe('offline');
  });
});

describe('a device update', () => {
  const now = at('2026-07-06T10:00:00Z');
  const limits = { now, stepTimeoutS: 60, maxRetries: 2, retryBaseS: 30 };
  const sent: UpdateFacts = { state: 'sent', attempt: 1, commandId: 'c1', progress: null, rebootingTs: null };
  const ack = (a: Partial<Parameters<typeof onAck>[1]>) => ({
    commandId: 'c1',
    ok: true,
    stage: null,
    progress: null,
    detail: null,
    ts: '2026-07-06T10:00:00Z',
    ...a,
  });

  it('moves forward through the steps, each resetting the deadline', () => {
    expect(onAck(sent, ack({ stage: 'downloading', progress: 10 }), limits)).toMatchObject({
      state: 'downloading',
      progress: 10,
      stepDeadline: at('2026-07-06T10:01:00Z'),
    });
    const rebooting = onAck({ ...sent, state: 'installing' }, ack({ stage: 'rebooting', ts: 'T1' }), limits);
    expect(rebooting).toMatchObject({ state: 'rebooting', rebootingTs: 'T1' });
  });

  it('ignores replays, earlier steps, other commands and old progress', () => {
    const downloaded = { ...sent, state: 'downloaded' as const, progress: 100 };
    expect(onAck(downloaded, ack({ stage: 'downloading', progress: 50 }), limits)).toBeNull();
    expect(onAck(downloaded, ack({ stage: 'downloaded' }), limits)).toBeNull();
    expect(onAck(downloaded, ack({ commandId: 'c0', stage: 'installing' }), limits)).toBeNull();
    expect(onAck({ ...sent, state: 'succeeded' }, ack({ ok: false, stage: 'verifying' }), limits)).toBeNull();
    const downloading = { ...sent, state: 'downloading' as const, progress: 40 };
    expect(onAck(downloading, ack({ stage: 'downloading', progress: 40 }), limits)).toBeNull();
    expect(onAck(downloading, ack({ stage: 'downloading', progress: 60 }), limits)).toMatchObject({
      progress: 60,
    });
  });

  it('retries a failed download with backoff up to maxRetries, then fails', () => {
    const fail = ack({ ok: false, stage: 'verifying', detail: 'sha256 mismatch' });
    expect(onAck(sent, fail, limits)).toMatchObject({
      state: 'retry-wait',
      retryAt: at('2026-07-06T10:00:30Z'),
      reason: 'verifying failed: sha256 mismatch (attempt 1 of 3; retrying)',
    });
    expect(onAck({ ...sent, attempt: 2 }, fail, limits)).toMatchObject({
      retryAt: at('2026-07-06T10:01:00Z'),
    });
    expect(onAck({ ...sent, attempt: 3 }, fail, limits)).toMatchObject({
      state: 'failed',
      reason: 'verifying failed: sha256 mismatch (attempt 3 of 3)',
    });
  });

  it('fails at once when installing fails', () => {
    expect(onAck(sent, ack({ ok: false, stage: 'installing', detail: 'flash' }), limits)).toMatchObject({
      state: 'failed',
      reason: 'installing failed: flash',
    });
  });

  it('fails a device silent past its step’s deadline', () => {
    const late = { state: 'verifying' as const, stepDeadline: at('2026-07-06T09:59:59Z') };
    expect(onClock(late, limits)).toMatchObject({
      state: 'failed',
      reason: 'no report for 60 s after verifying',
    });
    expect(onClock({ ...late, stepDeadline: at('2026-07-06T10:00:01Z') }, limits)).toBeNull();
    expect(onClock({ ...late, state: 'waiting' }, limits)).toBeNull();
  });

  it('succeeds only on telemetry newer than the reboot, on the target version', () => {
    const rebooting = { ...sent, state: 'rebooting' as const, rebootingTs: '2026-07-06T10:00:00.000Z' };
    const t = (ts: string, firmware: string, online = true) => ({ ts, firmware, online });
    expect(
      onTelemetry({ ...rebooting, state: 'installing' }, t('2026-07-06T10:05:00Z', '2.5.0'), '2.5.0', limits),
    ).toBeNull();
    expect(onTelemetry(rebooting, t('2026-07-06T09:59:00Z', '2.5.0'), '2.5.0', limits)).toBeNull();
    expect(onTelemetry(rebooting, t('2026-07-06T10:05:00Z', '2.5.0', false), '2.5.0', limits)).toBeNull();
    expect(onTelemetry(rebooting, t('2026-07-06T10:05:00Z', '2.5.0'), '2.5.0', limits)).toMatchObject({
      state: 'succeeded',
    });
    expect(onTelemetry(rebooting, t('2026-07-06T10:05:00Z', '2.4.1'), '2.5.0', limits)).toMatchObject({
      state: 'failed',
      reason: 'came back on 2.4.1',
    });
  });

  it('is canceled only while nothing is in flight', () => {
    expect(onCancel({ state: 'waiting' }, limits)).toMatchObject({ state: 'canceled' });
    expect(onCancel({ state: 'retry-wait' }, limits)).toMatchObject({ state: 'canceled' });
    expect(onCancel({ state: 'downloading' }, limits)).toBeNull();
  });
});

describe('targeting and waves', () => {
  const cam = (id: string, patch: Partial<Candidate> = {}): Candidate => ({
    kind: 'camera',
    id,
    station: 'N1',
    model: 'VB400',
    status: 'in_stock',
    version: '2.4.1',
    ...patch,
  });
  const target = {
    kind: 'camera' as const,
    model: 'VB400',
    version: '2.5.0',
    fromRange: null,
    stations: [],
    devices: [],
  };

  it('selects by model, stations, list and range, and says why it leaves devices out', () => {
    const register = [
      cam('A'),
      cam('B', { station: 'S2' }),
      cam('C', { version: '2.5.0' }),
      cam('D', { version: null }),
      cam('E', { status: 'retired' }),
      cam('F', { model: 'VB300' }),
      cam('G', { version: '1.0.0' }),
      cam('H'),
    ];
    const s = select(
      register,
      { ...target, stations: ['N1'], fromRange: '>=2.0.0' },
      new Map([['camera:H', 'cx']]),
    );
    expect(s.selected.map((d) => d.id)).toEqual(['A']);
    expect(s.excluded).toEqual([
      { device: 'C', reason: 'already on 2.5.0' },
      { device: 'D', reason: 'has never reported its firmware version' },
      { device: 'E', reason: 'retired' },
      { device: 'G', reason: 'on 1.0.0, outside >=2.0.0' },
      { device: 'H', reason: 'already in campaign cx' },
    ]);
    const listed = select(register, { ...target, stations: ['N1'], devices: ['B', 'F', 'Z'] }, new Map());
    expect(listed.excluded).toEqual([
      { device: 'B', reason: "at station S2, not one of the campaign's stations" },
      { device: 'F', reason: 'model VB300, not VB400' },
      { device: 'Z', reason: 'no camera Z in the register' },
    ]);
  });

  it('orders spares first, then by station and id', () => {
    const order = orderForWaves([
      cam('Z', { status: 'issued' }),
      cam('B', { station: 'S2' }),
      cam('A', { station: 'S2' }),
      cam('Y', { status: 'faulty' }),
      cam('C'),
    ]).map((d) => d.id);
    expect(order).toEqual(['C', 'A', 'B', 'Y', 'Z']);
  });

  it('plans a canary and percentage groups adding up to every device', () => {
    expect(wavePlan(100, 5, [25, 75])).toEqual([5, 24, 71]);
    expect(wavePlan(6, 2, [50, 50])).toEqual([2, 2, 2]);
    expect(wavePlan(3, 5, [100])).toEqual([3]);
    expect(wavePlan(10, 0, [10, 90])).toEqual([1, 9]);
    for (const n of [1, 7, 99, 1500]) expect(wavePlan(n, 10, [33, 33, 34]).reduce((a, b) => a + b)).toBe(n);
  });

  it('previews counts by station and version', () => {
    const s = select([cam('A'), cam('B', { station: 'S2', version: '2.3.0' }), cam('C')], target, new Map());
    expect(previewOf(s, 1, [100])).toEqual({
      total: 3,
      byStation: [
        { station: 'N1', count: 2 },
        { station: 'S2', count: 1 },
      ],
      byVersion: [
        { version: '2.3.0', count: 1 },
        { version: '2.4.1', count: 2 },
      ],
      waves: [
        { index: 0, size: 1 },
        { index: 1, size: 2 },
      ],
      excluded: [],
      excludedCount: 0,
      sample: ['A', 'C', 'B'],
    });
  });
});

describe('wave and threshold decisions', () => {
  const wave = (index: number, size: number, status: Wave['status'], waived = false): Wave => ({
    index,
    size,
    status,
    waived,
    approvedBy: null,
  });
  const base: WaveInputs = {
    waves: [wave(0, 10, 'running'), wave(1, 90, 'pending')],
    successThreshold: 95,
    errorThreshold: { count: null, percent: 50 },
    approveEachWave: false,
    failuresAcknowledged: 0,
    canarySize: 10,
  };
  const counts = (...byWave: Counts[]) => new Map(byWave.map((c, i) => [i, c]));

  it('waits while a wave has devices in flight, to send or to retry', () => {
    expect(decide(base, counts({ succeeded: 9, downloading: 1 }, { pending: 90 }))).toEqual({ type: 'none' });
    expect(decide(base, counts({ succeeded: 9, 'retry-wait': 1 }, { pending: 90 }))).toEqual({
      type: 'none',
    });
    expect(decide(base, counts({ waiting: 10 }, { pending: 90 }))).toEqual({ type: 'none' });
  });

  it('starts the next wave once a wave has settled at or above the threshold (waiting devices stay)', () => {
    expect(decide(base, counts({ succeeded: 9, waiting: 1 }, { pending: 90 }))).toEqual({
      type: 'advance',
      done: 0,
      next: 1,
      nextStatus: 'running',
    });
    expect(
      decide({ ...base, approveEachWave: true }, counts({ succeeded: 10 }, { pending: 90 })),
    ).toMatchObject({
      nextStatus: 'awaiting-approval',
    });
  });

  it('pauses below the success threshold, unless a person waived it', () => {
    expect(decide(base, counts({ succeeded: 7, failed: 3 }, { pending: 90 }))).toEqual({
      type: 'pause',
      kind: 'wave',
      reason: 'wave 0 (canary): 70% succeeded, below the 95% threshold',
    });
    const waived = {
      ...base,
      waves: [wave(0, 10, 'running', true), wave(1, 90, 'pending')],
      failuresAcknowledged: 3,
    };
    expect(decide(waived, counts({ succeeded: 7, failed: 3 }, { pending: 90 }))).toMatchObject({
      type: 'advance',
    });
  });

  it('pauses on the error threshold, counting failures since the last resume', () => {
    const c = {
      ...base,
      errorThreshold: { count: 6, percent: 30 },
      waves: [wave(0, 10, 'done'), wave(1, 90, 'running')],
    };
    expect(decide(c, counts({ succeeded: 10 }, { failed: 6, sent: 84 }))).toEqual({
      type: 'pause',
      kind: 'errors',
      reason: 'error threshold: 6 of 100 devices failed (6%)',
    });
    expect(
      decide({ ...c, failuresAcknowledged: 6 }, counts({ succeeded: 10 }, { failed: 6, sent: 84 })),
    ).toEqual({
      type: 'none',
    });
    const pct = { ...base, errorThreshold: { count: null, percent: 30 } };
    expect(decide(pct, counts({ failed: 3, sent: 7 }, { pending: 90 }))).toEqual({
      type: 'pause',
      kind: 'errors',
      reason: 'error threshold: 3 of 10 devices failed (30%)',
    });
  });

  it('completes when the last wave passed and every device has ended; waiting ones keep it running', () => {
    const last = { ...base, waves: [wave(0, 10, 'done'), wave(1, 90, 'running')] };
    expect(decide(last, counts({ succeeded: 10 }, { succeeded: 89, canceled: 1 }))).toEqual({
      type: 'complete',
    });
    expect(decide(last, counts({ succeeded: 10 }, { succeeded: 89, waiting: 1 }))).toEqual({ type: 'none' });
  });
});

describe('the pace of commands', () => {
  it('spreads sends evenly and never exceeds the rate in any minute', () => {
    const pace = new Pace(120, 0); // two a second
    let sent = 0;
    for (let t = 0; t < 120_000; t += 50) if (pace.take(t)) sent++;
    expect(sent).toBeGreaterThanOrEqual(238);
    expect(sent).toBeLessThanOrEqual(242);
    const burst = new Pace(60, 0);
    expect([burst.take(0), burst.take(0)]).toEqual([true, false]);
    burst.refund();
    expect(burst.take(0)).toBe(true);
  });
});
