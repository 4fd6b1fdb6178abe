// Send what the screen shows (src/realtime/views.ts): which changes go to everyone in scope, which
// only to the screens showing the device, and that only changed fields are sent.
import { describe, expect, it } from '@jest/globals';
import { DeviceViews } from '../../src/realtime/views.js';

const cam = (fields: Record<string, unknown>) => ({
  kind: 'camera' as const,
  id: 'C1',
  station: 'NORTH',
  ...fields,
});

describe('device views', () => {
  it('sends a new device whole to everyone, then only what changed', () => {
    const v = new DeviceViews();
    expect(v.change(cam({ status: 'in_stock', battery: 80, storage: { usedMb: 1, totalMb: 10 } }))).toEqual({
      patch: cam({ status: 'in_stock', battery: 80, storage: { usedMb: 1, totalMb: 10 } }),
      shared: true,
    });
    // Nothing changed: nothing to send.
    expect(
      v.change(cam({ status: 'in_stock', battery: 80, storage: { usedMb: 1, totalMb: 10 } })),
    ).toBeNull();
    // A reading: only the screens showing it.
    expect(v.change(cam({ status: 'in_stock', battery: 79, storage: { usedMb: 1, totalMb: 10 } }))).toEqual({
      patch: cam({ battery: 79 }),
      shared: false,
    });
    // A status change: everyone in scope.
    expect(v.change(cam({ status: 'issued', holder: 'O1', battery: 79 }))).toEqual({
      patch: cam({ status: 'issued', holder: 'O1' }),
      shared: true,
    });
  });

  it('notices an object changed in place by its sender', () => {
    const v = new DeviceViews();
    const storage = { usedMb: 1, totalMb: 10 };
    v.change(cam({ storage }));
    storage.usedMb = 2;
    expect(v.change(cam({ storage }))?.patch).toEqual(cam({ storage: { usedMb: 2, totalMb: 10 } }));
  });

  it('sends a device that moved station whole, to its new station', () => {
    const v = new DeviceViews();
    v.change(cam({ status: 'in_stock', model: 'VB400' }));
    expect(v.change({ ...cam({ status: 'in_stock', model: 'VB400' }), station: 'SOUTH' })).toEqual({
      patch: { ...cam({ status: 'in_stock', model: 'VB400' }), station: 'SOUTH' },
      shared: true,
    });
  });

  it('keeps which sockets show which rows, and says which rows came into view', () => {
    const v = new DeviceViews();
    expect(v.setView('s1', ['camera:C1', 'camera:C2'])).toEqual(['camera:C1', 'camera:C2']);
    expect(v.setView('s2', ['camera:C2'])).toEqual(['camera:C2']);
    expect(v.setView('s1', ['camera:C2', 'camera:C3'])).toEqual(['camera:C3']);
    expect(v.watched('camera:C1')).toBe(false);
    expect([...(v.watchersOf('camera:C2') ?? [])].sort()).toEqual(['s1', 's2']);
    v.drop('s1');
    expect([...(v.watchersOf('camera:C2') ?? [])]).toEqual(['s2']);
    expect(v.watched('camera:C3')).toBe(false);
  });
});
