// The reviewer's player (web/src/lib/review): which manifest frame is on screen, where the video's
// pixels lie in its element, a drag turned into a box in the video's pixels, and the review flag.
import { describe, expect, it } from '@jest/globals';
import {
  boxesByFrame,
  clampBox,
  contentRect,
  decisionOf,
  dragToBox,
  frameAt,
  parseFrameRate,
  riskOf,
  timeOf,
  toDisplay,
} from '../../web/src/lib/review/frames.js';
import type { Clip } from '../../web/src/lib/review/types.js';
import { homeFor, screensFor } from '../../web/src/lib/nav.js';

const clip = (extra: Partial<Clip> = {}): Clip => ({
  id: 'a'.repeat(64),
  camera: 'CAM1',
  dock: 'D1',
  station: null,
  holder: null,
  recordedFrom: '2026-01-01T00:00:00Z',
  recordedTo: '2026-01-01T00:01:00Z',
  size: 1,
  status: 'redacted',
  progress: 1,
  failure: null,
  derivative: null,
  manifestSummary: null,
  risk: null,
  review: null,
  evidential: false,
  evidentialMark: null,
  createdAt: '2026-01-01T00:01:00Z',
  updatedAt: '2026-01-01T00:01:00Z',
  ...extra,
});

describe('frames of the player', () => {
  it('reads ffprobe frame rates', () => {
    expect(parseFrameRate('30/1')).toBe(30);
    expect(parseFrameRate('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseFrameRate('25')).toBe(25);
    expect(parseFrameRate('0/0')).toBeNull();
    expect(parseFrameRate('x')).toBeNull();
  });

  it('names the frame on screen: the last one that started, exact frame times included', () => {
    expect(frameAt(0, 30)).toBe(0);
    expect(frameAt(10 / 30, 30)).toBe(10); // 0.333… × 30 is 9.999… in floating point
    expect(frameAt(10.7 / 30, 30)).toBe(10); // paused late in frame 10: still frame 10, not 11
    expect(frameAt(timeOf(17, 30), 30)).toBe(17);
    expect(frameAt(1001 / 30000, 30000 / 1001)).toBe(1);
  });

  it('looks boxes up by frame', () => {
    const m = boxesByFrame({ frames: [[2, [[1, 2, 3, 4]]]] });
    expect(m.get(2)).toEqual([[1, 2, 3, 4]]);
    expect(m.get(1)).toBeUndefined();
  });
});

describe('boxes between the screen and the video', () => {
  const video = { w: 1280, h: 720 };
  it('finds the picture in a letterboxed element', () => {
    expect(contentRect({ w: 640, h: 360 }, video)).toEqual({ x: 0, y: 0, w: 640, h: 360 });
    expect(contentRect({ w: 640, h: 480 }, video)).toEqual({ x: 0, y: 60, w: 640, h: 360 });
    expect(contentRect({ w: 0, h: 0 }, video)).toEqual({ x: 0, y: 0, w: 0, h: 0 });
  });

  it('scales a drag on the displayed video to its pixels, in any direction, clamped', () => {
    const rect = contentRect({ w: 640, h: 480 }, video); // half size, 60 px bars
    expect(dragToBox({ x: 100, y: 110 }, { x: 150, y: 160 }, rect, video)).toEqual({
      x: 200,
      y: 100,
      w: 100,
      h: 100,
    });
    expect(dragToBox({ x: 150, y: 160 }, { x: 100, y: 110 }, rect, video)).toEqual({
      x: 200,
      y: 100,
      w: 100,
      h: 100,
    });
    // Dragged off the picture, into the bar and past the edge: the box stops at the frame.
    expect(dragToBox({ x: 600, y: 30 }, { x: 700, y: 100 }, rect, video)).toEqual({
      x: 1200,
      y: 0,
      w: 80,
      h: 80,
    });
    expect(dragToBox({ x: 10, y: 10 }, { x: 10, y: 10 }, rect, video)).toBeNull();
  });

  it('draws a video box where it is on screen', () => {
    const rect = contentRect({ w: 640, h: 480 }, video);
    expect(toDisplay({ x: 200, y: 100, w: 100, h: 100 }, rect, video)).toEqual({
      x: 100,
      y: 110,
      w: 50,
      h: 50,
    });
  });

  it('clamps typed boxes to whole pixels inside the frame', () => {
    expect(clampBox({ x: -10, y: 5.4, w: 30, h: 10 }, video)).toEqual({ x: 0, y: 5, w: 20, h: 10 });
    expect(clampBox({ x: 1300, y: 0, w: 10, h: 10 }, video)).toBeNull();
  });
});

describe('the review flag and the decision', () => {
  const reasons = [{ code: 'faces-flicker', detail: '3 faces appear and vanish' }];
  it('reads the risk assessment the clip carries', () => {
    expect(riskOf(clip())).toBeNull();
    expect(riskOf(clip({ risk: { reviewRequired: true, reasons, measures: {} } }))).toEqual({
      required: true,
      reasons,
    });
    expect(riskOf(clip({ risk: { reviewRequired: false, reasons: [], measures: {} } }))).toEqual({
      required: false,
      reasons: [],
    });
  });

  it('tells a decision from a flag', () => {
    expect(decisionOf(clip())).toBeNull();
    expect(
      decisionOf(clip({ review: { decision: 'approved', note: 'ok', by: 'r', at: '2026-01-01T00:00:00Z' } })),
    ).toMatchObject({ decision: 'approved', note: 'ok' });
  });

  it('lands reviewers on the clips, which they see', () => {
    expect(homeFor('reviewer')).toBe('clips');
    expect(screensFor('reviewer')).toContain('clips');
  });
});
