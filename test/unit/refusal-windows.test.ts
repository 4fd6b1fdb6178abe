// Refused attempts counted per device and window: the first reported at once, the rest summarised,
// a device over the limit cut off for the cool-down (issue 14, finding 12).
import { describe, expect, it } from '@jest/globals';
import { RefusalWindows } from '../../src/bus/refusal-windows.js';

const limits = { windowMs: 60_000, limit: 3, coolDownMs: 300_000, samples: 2 };

describe('refusal windows', () => {
  it('reports the first refusal of a window, summarises the rest once the window ends', () => {
    const w = new RefusalWindows(limits);
    expect(w.note('dock:D1', 'mqtt.subscribe.refused', 'a', 0)).toEqual({ first: true, overLimit: false });
    expect(w.note('dock:D1', 'mqtt.subscribe.refused', 'b', 10).first).toBe(false);
    w.note('dock:D1', 'mqtt.publish.refused', 'c', 20);
    expect(w.due(59_999)).toEqual([]);
    expect(w.due(60_000)).toEqual([
      {
        device: 'dock:D1',
        from: 0,
        to: 60_000,
        count: 2,
        byAction: { 'mqtt.subscribe.refused': 1, 'mqtt.publish.refused': 1 },
        samples: ['b', 'c'],
      },
    ]);
    // A new window: its first refusal is reported again; a window with only that has no summary.
    expect(w.note('dock:D1', 'mqtt.subscribe.refused', 'd', 70_000).first).toBe(true);
    expect(w.due(200_000)).toEqual([]);
  });

  it('keeps a window’s summary when the next refusal comes before it is collected', () => {
    const w = new RefusalWindows(limits);
    w.note('camera:C1', 'x', 'a', 0);
    w.note('camera:C1', 'x', 'b', 1);
    expect(w.note('camera:C1', 'x', 'c', 61_000).first).toBe(true);
    expect(w.due(61_001)).toEqual([expect.objectContaining({ count: 1, samples: ['b'] })]);
  });

  it('flags the refusal that goes over the limit once, and cuts the device off for the cool-down', () => {
    const w = new RefusalWindows(limits);
    const over = [0, 1, 2, 3, 4, 5].map((t) => w.note('camera:C1', 'x', `t${t}`, t).overLimit);
    expect(over).toEqual([false, false, false, true, false, false]);
    const until = w.cut('camera:C1', 3);
    expect(until).toBe(300_003);
    expect(w.isCutOff('camera:C1', 300_002)).toBe(true);
    expect(w.isCutOff('camera:C1', 300_003)).toBe(false);
    expect(w.isCutOff('camera:C2', 0)).toBe(false);
    // What was pending so far can be taken at once (the cut-off's entry), and the window goes on.
    expect(w.take('camera:C1', 5)).toMatchObject({ count: 5, samples: ['t1', 't2'] });
    expect(w.take('camera:C1', 6)).toBeNull();
    expect(w.all(7)).toEqual([]);
  });
});
