// The dashboard's fleet state: snapshot, ordered diffs, search and per-station counts (web/src/lib).
import { describe, expect, it } from '@jest/globals';
import {
  applyDiff,
  countByStation,
  emptyFleet,
  filterDevices,
  fromSnapshot,
  NO_FILTER,
  reportedLost,
} from '../../web/src/lib/devices.js';
import { homeFor, screensFor } from '../../web/src/lib/nav.js';
import { ROLES } from '../../src/shared/roles.js';
import type { LiveDevice, Snapshot } from '../../src/realtime/index.js';

const viewer = { username: 'u', displayName: 'U', role: 'it' as const, station: null };
const cam = (id: string, station: string, extra: Partial<LiveDevice> = {}): LiveDevice => ({
  kind: 'camera',
  id,
  station,
  ...extra,
});
const snapshot = (seq: number, devices: LiveDevice[]): Snapshot => ({ at: '', seq, viewer, devices });

describe('dashboard fleet state', () => {
  it('applies diffs newer than the snapshot, merging fields, and skips older ones', () => {
    const waiting = emptyFleet();
    const early = { seq: 3, at: '', changes: [{ kind: 'camera' as const, id: 'C9', station: 'N' }] };
    expect(applyDiff(waiting, early)).toBe(false); // no snapshot yet: it will cover this
    expect(waiting.devices.size).toBe(0);
    const s = fromSnapshot(snapshot(5, [cam('C1', 'N', { battery: 90, status: 'issued' })]));
    expect(
      applyDiff(s, { seq: 5, at: '', changes: [{ kind: 'camera', id: 'C1', station: 'N', battery: 1 }] }),
    ).toBe(false);
    expect(
      applyDiff(s, { seq: 6, at: '', changes: [{ kind: 'camera', id: 'C1', station: 'N', battery: 80 }] }),
    ).toBe(true);
    expect(s.devices.get('camera:C1')).toEqual(cam('C1', 'N', { battery: 80, status: 'issued' }));
    applyDiff(s, { seq: 7, at: '', changes: [{ kind: 'dock', id: 'D1', station: 'N', online: true }] });
    expect(s.devices.size).toBe(2);
  });

  it('filters by text (serial or holder), kind, station, status and health', () => {
    const all = [
      cam('C2', 'N', { holder: 'O77', status: 'issued', health: 'ok' }),
      cam('C1', 'S', { status: 'in_stock', health: 'warning' }),
      { kind: 'dock' as const, id: 'D1', station: 'N' },
    ];
    expect(filterDevices(all, NO_FILTER).map((d) => d.id)).toEqual(['C1', 'C2', 'D1']);
    expect(filterDevices(all, { ...NO_FILTER, text: 'o77' }).map((d) => d.id)).toEqual(['C2']);
    expect(filterDevices(all, { ...NO_FILTER, kind: 'dock' }).map((d) => d.id)).toEqual(['D1']);
    expect(filterDevices(all, { ...NO_FILTER, station: 'N', health: 'ok' }).map((d) => d.id)).toEqual(['C2']);
    expect(filterDevices(all, { ...NO_FILTER, health: 'unknown' }).map((d) => d.id)).toEqual(['D1']);
  });

  it('counts cameras per station by status and health, across 10,000 devices', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      cam(`C${i}`, `S${i % 12}`, {
        status: i % 2 ? 'issued' : 'in_stock',
        health: i % 10 ? 'ok' : 'offline',
      }),
    );
    const { stations: rows, inTransit } = countByStation(many);
    expect(filterDevices(many, { ...NO_FILTER, text: 'C999' }).map((d) => d.id)).toEqual([
      'C999',
      'C9990',
      'C9991',
      'C9992',
      'C9993',
      'C9994',
      'C9995',
      'C9996',
      'C9997',
      'C9998',
      'C9999',
    ]);
    expect(rows).toHaveLength(12);
    const s0 = rows.find((r) => r.station === 'S0')!;
    expect(s0.total).toBe(834);
    expect(s0.byStatus).toEqual({ in_stock: 834 });
    expect(s0.byHealth).toEqual({ ok: 667, offline: 167 });
    expect(inTransit).toBeNull();
  });

  it('counts cameras in transit at neither station, on a line of their own, until received', () => {
    const fleet = fromSnapshot(
      snapshot(1, [
        cam('C1', 'N', { status: 'in_stock', health: 'ok', inTransit: false }),
        cam('C2', 'N', { status: 'in_stock', health: 'ok', inTransit: true }),
        cam('C3', 'N', { status: 'in_stock', health: 'offline', inTransit: true }),
        cam('C4', 'S', { status: 'issued', health: 'ok' }),
        { kind: 'dock', id: 'D1', station: 'N' },
      ]),
    );
    const before = countByStation(fleet.devices.values());
    expect(before.stations.map((r) => [r.station, r.total, r.byStatus])).toEqual([
      ['N', 1, { in_stock: 1 }],
      ['S', 1, { issued: 1 }],
    ]);
    expect(before.inTransit).toEqual({
      station: 'in transit',
      total: 2,
      byStatus: { in_stock: 2 },
      byHealth: { ok: 1, offline: 1 },
    });
    // Received at S: the register's whole row moves it, and the flag is cleared on the same patch.
    applyDiff(fleet, {
      seq: 2,
      at: '',
      changes: [
        { kind: 'camera', id: 'C2', station: 'S', inTransit: false },
        { kind: 'camera', id: 'C3', station: 'S', inTransit: false },
      ],
    });
    const after = countByStation(fleet.devices.values());
    expect(after.stations.map((r) => [r.station, r.total])).toEqual([
      ['N', 1],
      ['S', 3],
    ]);
    expect(after.inTransit).toBeNull();
  });

  it('finds lost or stolen cameras that report in, with where the server says they are', () => {
    const all = [
      cam('C3', 'N', {
        status: 'lost',
        health: 'fault',
        reasons: ['battery 9% and not charging', 'stolen camera online at dock D1 slot 3'],
      }),
      cam('C1', 'N', { status: 'lost', health: 'fault', reasons: ['lost camera online not in a dock'] }),
      // Its reasons not sent yet (not a row this tab shows): listed, the words follow.
      cam('C2', 'N', { status: 'lost', health: 'fault' }),
      cam('C4', 'N', { status: 'lost', health: 'offline', reasons: ['offline'] }),
      cam('C5', 'N', { status: 'issued', health: 'fault', reasons: ['fault E1: lens'] }),
    ];
    expect(reportedLost(all)).toEqual([
      { id: 'C1', kind: 'Lost', where: 'not in a dock' },
      { id: 'C2', kind: null, where: null },
      { id: 'C3', kind: 'Stolen', where: 'at dock D1 slot 3' },
    ]);
    expect(reportedLost([all[3]!, all[4]!])).toEqual([]);
  });

  it('shows each role its screens and lands it on the one it uses most', () => {
    expect(screensFor('stores')).toEqual(['fleet', 'stores', 'setup', 'account']);
    expect(screensFor('inspector')).toEqual(['fleet', 'readiness', 'clips', 'account']);
    expect(screensFor('admin')).toEqual([
      'fleet',
      'readiness',
      'stores',
      'clips',
      'firmware',
      'programme',
      'admin',
      'setup',
      'audit',
      'account',
    ]);
    expect(screensFor('it')).toEqual(['fleet', 'firmware', 'account']);
    expect(screensFor('auditor')).toEqual([
      'fleet',
      'readiness',
      'clips',
      'firmware',
      'programme',
      'audit',
      'account',
    ]);
    expect(screensFor('reviewer')).toEqual(['fleet', 'clips', 'account']);
    // Every role can change its own password (issue 19).
    for (const role of ROLES) expect(screensFor(role)).toContain('account');
    expect(homeFor('inspector')).toBe('readiness');
    expect(homeFor('it')).toBe('firmware');
    expect(homeFor('auditor')).toBe('audit');
  });
});
