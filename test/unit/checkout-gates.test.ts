// The check-out gates a force configures (issue 19), without I/O: which camera each setting refuses,
// in which words, and which camera the desk is told to take instead.
import { describe, expect, it } from '@jest/globals';
import {
  gateRefusal,
  nearestFit,
  type CameraFitness,
  type GateSettings,
} from '../../src/assignments/checkout-gates.js';

const fit = (f: Partial<CameraFitness> = {}): CameraFitness => ({
  battery: 80,
  firmware: '2.0.0',
  blocked: null,
  firmwareStatus: 'unreviewed',
  latest: '2.1.0',
  ...f,
});
const gates = (g: Partial<GateSettings> = {}): GateSettings => ({
  minBattery: 30,
  firmware: 'not-blocked',
  ...g,
});
const cam = { serial: 'C1' };

describe('check-out gates', () => {
  it('refuse a battery under the minimum, and nothing when off or when the camera never reported', () => {
    expect(gateRefusal(cam, fit({ battery: 29.6 }), gates())).toMatchObject({
      type: 'camera-battery-low',
      detail: "Camera 'C1' has 30% battery; at least 30% is needed to issue it",
    });
    expect(gateRefusal(cam, fit({ battery: 30 }), gates())).toBeNull();
    expect(gateRefusal(cam, fit({ battery: 0 }), gates({ minBattery: 0 }))).toBeNull();
    expect(gateRefusal(cam, null, gates({ minBattery: 100, firmware: 'latest' }))).toBeNull();
  });

  it('refuse firmware by the force’s setting: blocked, not approved, not the latest approved', () => {
    const blocked = fit({ blocked: 'firmware 2.0.0 is blocked', firmwareStatus: 'blocked' });
    expect(gateRefusal(cam, blocked, gates())?.type).toBe('camera-firmware-blocked');
    expect(gateRefusal(cam, blocked, gates({ firmware: 'any' }))).toBeNull();
    expect(gateRefusal(cam, fit(), gates())).toBeNull();
    expect(gateRefusal(cam, fit(), gates({ firmware: 'approved' }))?.type).toBe(
      'camera-firmware-not-approved',
    );
    expect(gateRefusal(cam, fit({ firmwareStatus: 'approved' }), gates({ firmware: 'approved' }))).toBeNull();
    expect(gateRefusal(cam, fit({ firmwareStatus: 'approved' }), gates({ firmware: 'latest' }))?.detail).toBe(
      "Camera 'C1' runs firmware 2.0.0, not the latest approved (2.1.0)",
    );
    expect(
      gateRefusal(cam, fit({ firmware: '2.1.0', firmwareStatus: 'approved' }), gates({ firmware: 'latest' })),
    ).toBeNull();
  });

  it('suggest the fit camera in stock with the most battery, a silent one last', () => {
    const facts: Record<string, CameraFitness | null> = {
      A: fit({ battery: 10 }),
      B: fit({ battery: 70 }),
      C: fit({ battery: 99, blocked: 'firmware 2.0.0 is blocked' }),
      D: null,
      E: fit({ battery: 100 }),
      F: fit({ battery: 100 }),
    };
    const source = { of: ({ serial }: { serial: string }) => facts[serial] ?? null };
    const c = (serial: string, status = 'in_stock', transfer: string | null = null) => ({
      serial,
      model: 'VB400',
      status,
      transfer,
    });
    const shelf = [c('A'), c('B'), c('C'), c('D'), c('E', 'faulty'), c('F', 'in_stock', 'T1')];
    expect(nearestFit(shelf, source, gates(), 'X')).toEqual({ serial: 'B', battery: 70 });
    expect(nearestFit(shelf, source, gates(), 'B')).toEqual({ serial: 'D', battery: null });
    expect(nearestFit([c('A'), c('C')], source, gates(), 'X')).toBeNull();
  });
});
