// The stores desk's scan flow and what it says for each refusal (web/src/lib), without a browser.
import { describe, expect, it } from '@jest/globals';
import { feedbackFor, feedbackForProblem, REFUSAL_TYPES } from '../../web/src/lib/refusals.js';
import {
  initialDesk,
  isRepeatScan,
  onScan,
  prompt,
  REPEAT_SCAN_MS,
  scanProblem,
} from '../../web/src/lib/scan.js';

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

describe('stores desk gates and repeated scans (issue 19)', () => {
  it('words the gate refusals and names the camera to take instead', () => {
    for (const slug of ['camera-battery-low', 'camera-firmware-blocked', 'camera-firmware-not-approved'])
      expect(feedbackFor(slug).tone).toBe('refused');
    const low = feedbackForProblem('camera-battery-low', {
      detail: "Camera 'C1' has 4% battery; at least 30% is needed to issue it",
      instead: { serial: 'C7', battery: 96 },
    });
    expect(low).toMatchObject({
      tone: 'refused',
      headline: 'Battery too low to issue',
      instead: 'Take C7 instead (battery 96%).',
    });
    expect(low.advice).toContain('4% battery');
    expect(feedbackForProblem('camera-faulty', { instead: null }).instead).toMatch(/No other camera/);
    expect(feedbackForProblem('camera-faulty', {}).instead).toBeUndefined();
  });

  it('says a too-long scan is not a code, here and from the API’s field error', () => {
    expect(scanProblem('x'.repeat(300))).toBe('Scan too long — not a camera or warrant number');
    expect(onScan(initialDesk(), 'A'.repeat(300)).action).toEqual({
      type: 'reject',
      reason: 'Scan too long — not a camera or warrant number',
    });
    expect(scanProblem('PC5678')).toBeNull();
    const f = feedbackForProblem('validation-failed', {
      detail: 'Invalid query',
      errors: [{ path: 'query.camera', message: 'scan too long — not a camera or warrant number' }],
    });
    expect(f.advice).toMatch(/^scan too long — not a camera or warrant number\./);
    expect(f.advice).not.toContain('Invalid');
  });

  it('takes the warrant card of the issue just made, scanned again, as a repeat and nothing else', () => {
    const last = { camera: 'CAM-1', officer: 'PC5678', at: 1_000_000 };
    expect(isRepeatScan(last, 'PC5678', 1_000_500)).toBe(true);
    expect(isRepeatScan(last, 'CAM-1', 1_000_500)).toBe(false); // the camera: asked of the API
    expect(isRepeatScan(last, 'CAM-2', 1_000_500)).toBe(false);
    expect(isRepeatScan(last, 'PC5678', 1_000_000 + REPEAT_SCAN_MS)).toBe(false);
    expect(isRepeatScan(null, 'PC5678', 1_000_500)).toBe(false);
  });
});
