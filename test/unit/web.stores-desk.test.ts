// The stores desk's scan flow and what it says for each refusal (web/src/lib), without a browser.
import { describe, expect, it } from '@jest/globals';
import { feedbackFor, firmwareRefusal, REFUSAL_TYPES } from '../../web/src/lib/refusals.js';
import { initialDesk, onScan, prompt } from '../../web/src/lib/scan.js';

describe('stores desk scan flow', () => {
  it('issues after a camera scan then a warrant card scan', () => {
    const a = onScan(initialDesk('issue'), ' CAM-1 ');
    expect(a).toEqual({ state: { step: 'officer', mode: 'issue', camera: 'CAM-1' }, action: null });
    expect(prompt(a.state)).toBe('Camera CAM-1: now scan the warrant card');
    const b = onScan(a.state, 'O123');
    expect(b.action).toEqual({ type: 'issue', camera: 'CAM-1', officer: 'O123' });
    expect(b.state.step).toBe('busy');
    // While busy, further scans are ignored rather than starting a second transaction.
    expect(onScan(b.state, 'CAM-2').action).toBeNull();
  });

  it('returns after a camera scan and a condition key', () => {
    const a = onScan(initialDesk('return'), 'CAM-9');
    expect(prompt(a.state)).toMatch(/1 ok · 2 damaged · 3 faulty/);
    expect(onScan(a.state, '2').action).toEqual({ type: 'return', camera: 'CAM-9', condition: 'damaged' });
    expect(onScan(a.state, '7').action).toEqual({
      type: 'reject',
      reason: 'Press 1 (ok), 2 (damaged) or 3 (faulty)',
    });
  });

  it('rejects garbage and the camera scanned twice in place of the card', () => {
    expect(onScan(initialDesk(), 'CAM 1!').action).toMatchObject({ type: 'reject' });
    const a = onScan(initialDesk(), 'CAM-1');
    expect(onScan(a.state, 'CAM-1')).toEqual({
      state: a.state,
      action: { type: 'reject', reason: 'That is the camera again: scan the warrant card' },
    });
  });

  it('explains every refusal type the check-out and check-in API gives', () => {
    for (const slug of [
      'camera-already-issued',
      'officer-already-holds-camera',
      'camera-faulty',
      'camera-in-repair',
      'camera-lost',
      'camera-retired',
      'camera-at-another-station',
      'camera-not-issued',
      'camera-status-conflict',
      'officer-inactive',
      'camera-not-found',
      'officer-not-found',
    ]) {
      expect(REFUSAL_TYPES).toContain(slug);
      const f = feedbackFor(slug, 'detail');
      expect(f.tone).toBe('refused');
      expect(f.advice.startsWith('detail. ')).toBe(true);
    }
    expect(feedbackFor('something-new')).toMatchObject({ tone: 'error', headline: 'Something went wrong' });
  });
});

describe('stores desk and blocked firmware', () => {
  it('refuses to issue a camera whose live health says its firmware is blocked, and only then', () => {
    expect(
      firmwareRefusal({
        health: 'fault',
        reasons: ['battery 12% and not charging', 'firmware 1.9.0-bad is blocked'],
      }),
    ).toEqual({
      tone: 'refused',
      headline: 'Firmware blocked',
      advice: expect.stringContaining('Do not issue: firmware 1.9.0-bad is blocked.'),
    });
    expect(firmwareRefusal({ health: 'fault', reasons: ['fault E42: lens heater'] })).toBeNull();
    expect(firmwareRefusal(null)).toBeNull();
    expect(firmwareRefusal(undefined)).toBeNull();
  });
});
