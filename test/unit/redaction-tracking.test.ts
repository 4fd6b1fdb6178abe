// Pure logic of the redaction pipeline: the model's anchors and decoder, NMS, and the tracker's promise
// that a face is covered between detections, before the first and after the last.
import { describe, expect, it } from '@jest/globals';
import { ANCHOR_COUNT, anchors, decode, weightedNms } from '../../src/redaction/detector/blazeface.js';
import { regionsFor, DEFAULT_DETECTOR } from '../../src/redaction/detector/detector.js';
import { Tracker, DEFAULT_TRACKING } from '../../src/redaction/tracking.js';

describe('BlazeFace decoding', () => {
  it('has the 896 anchors of the 256×256 back model, centred in their cells', () => {
    expect(ANCHOR_COUNT).toBe(896);
    const a = anchors();
    expect(a[0]).toEqual({ cx: 0.5 / 16, cy: 0.5 / 16 });
    expect(a[512]).toEqual({ cx: 0.5 / 8, cy: 0.5 / 8 });
  });

  it('turns offsets and logits into boxes around the anchor, keeping only confident ones', () => {
    const scores = new Float32Array(896).fill(-10);
    const boxes = new Float32Array(896 * 16);
    scores[17] = 3; // sigmoid ≈ 0.95; anchor 17 = cell (x 8, y 0), second anchor
    boxes.set([4, -2, 40, 50], 17 * 16);
    const [d, ...rest] = decode(scores, boxes, 0.65);
    expect(rest).toEqual([]);
    const cx = (8 + 0.5) * 16 + 4;
    expect(d!.x).toBeCloseTo(cx - 20);
    expect(d!.y).toBeCloseTo(8 - 2 - 25);
    expect(d!.w).toBeCloseTo(40);
    expect(d!.score).toBeCloseTo(1 / (1 + Math.exp(-3)));
  });

  it('merges overlapping candidates into one score-weighted box', () => {
    const out = weightedNms(
      [
        { x: 0, y: 0, w: 10, h: 10, score: 0.9 },
        { x: 1, y: 1, w: 10, h: 10, score: 0.9 },
        { x: 50, y: 50, w: 10, h: 10, score: 0.7 },
      ],
      0.3,
    );
    expect(out).toHaveLength(2);
    expect(out[0]!.x).toBeCloseTo(0.5);
  });

  it('covers a 720p frame with the full-frame pass and six overlapping tiles', () => {
    // BlazeFace's own tiles are off by default since CenterFace looks at full-resolution tiles.
    expect(regionsFor(1280, 720, DEFAULT_DETECTOR)).toHaveLength(1);
    const r = regionsFor(1280, 720, { ...DEFAULT_DETECTOR, tileSize: 512 });
    expect(r).toHaveLength(7);
    expect(r[0]).toEqual({ x: 0, y: -280, size: 1280 });
    expect(r.slice(1).every((t) => t.x >= 0 && t.y >= 0 && t.x + t.size <= 1280 && t.y + t.size <= 720)).toBe(
      true,
    );
  });
});

describe('tracking', () => {
  const p = { ...DEFAULT_TRACKING, every: 3, padding: 0, keepAliveFrames: 2, maxGapFrames: 9 };

  it('interpolates a moving face between detection frames and bridges a missed detection', () => {
    const t = new Tracker(p, 640, 360);
    t.add(0, [{ x: 100, y: 100, w: 40, h: 40, score: 0.9 }]);
    t.add(3, []); // missed
    t.add(6, [{ x: 130, y: 100, w: 40, h: 40, score: 0.9 }]);
    expect(t.trackCount).toBe(1);
    expect(t.boxesAt(3)).toEqual([{ x: 115, y: 100, w: 40, h: 40 }]);
  });

  it('keeps the box for the unseen frames before the first and after the last detection', () => {
    const t = new Tracker(p, 640, 360);
    t.add(9, [{ x: 10, y: 10, w: 20, h: 20, score: 0.9 }]);
    t.add(12, [{ x: 10, y: 10, w: 20, h: 20, score: 0.9 }]);
    // every − 1 + keepAlive = 4 frames either side
    expect(t.boxesAt(5)).toHaveLength(1);
    expect(t.boxesAt(4)).toHaveLength(0);
    expect(t.boxesAt(16)).toHaveLength(1);
    expect(t.boxesAt(17)).toHaveLength(0);
  });

  it('holds a face that leaves through the edge of the frame for longer, along its motion', () => {
    const edge = { ...p, edgeHoldFrames: 8 };
    // Rising out of the top of the frame: no longer detected once the edge cuts it.
    const leaving = new Tracker(edge, 640, 360);
    leaving.add(9, [{ x: 100, y: 6, w: 20, h: 20, score: 0.9 }]);
    leaving.add(12, [{ x: 100, y: 1, w: 20, h: 20, score: 0.9 }]);
    expect(leaving.boxesAt(20)).toHaveLength(1); // 12 + 8
    expect(leaving.boxesAt(21)).toHaveLength(0);
    expect(leaving.boxesAt(16)[0]!.y).toBe(0); // carried up, clipped to the frame
    // Edging in from the right: held 8 frames before its first detection too.
    const entering = new Tracker(edge, 640, 360);
    entering.add(30, [{ x: 630, y: 100, w: 10, h: 20, score: 0.9 }]);
    entering.add(33, [{ x: 628, y: 100, w: 12, h: 20, score: 0.9 }]);
    expect(entering.boxesAt(22)).toHaveLength(1);
    expect(entering.boxesAt(21)).toHaveLength(0);
    // In the middle of the frame the usual hold (every − 1 + keepAlive = 4) applies.
    const middle = new Tracker(edge, 640, 360);
    middle.add(9, [{ x: 300, y: 150, w: 20, h: 20, score: 0.9 }]);
    middle.add(12, [{ x: 300, y: 150, w: 20, h: 20, score: 0.9 }]);
    expect(middle.boxesAt(16)).toHaveLength(1);
    expect(middle.boxesAt(17)).toHaveLength(0);
  });

  it("carries the box on along the face's motion before the first and after the last detection", () => {
    // A pan: the face moves 10 px right every 3 frames.
    const pan = (extrapolate: boolean) => {
      const t = new Tracker({ ...p, extrapolate }, 640, 360);
      t.add(9, [{ x: 100, y: 50, w: 20, h: 20, score: 0.9 }]);
      t.add(12, [{ x: 110, y: 50, w: 20, h: 20, score: 0.9 }]);
      return t;
    };
    expect(pan(true).boxesAt(15)).toEqual([{ x: 120, y: 50, w: 20, h: 20 }]);
    expect(pan(true).boxesAt(6)).toEqual([{ x: 90, y: 50, w: 20, h: 20 }]);
    // Held still, the box lags the face by 10 px.
    expect(pan(false).boxesAt(15)).toEqual([{ x: 110, y: 50, w: 20, h: 20 }]);
  });

  it('keeps two faces apart and pads within the frame', () => {
    const t = new Tracker({ ...p, padding: 0.5 }, 100, 100);
    t.add(0, [
      { x: 0, y: 0, w: 20, h: 20, score: 0.9 },
      { x: 70, y: 70, w: 20, h: 20, score: 0.9 },
    ]);
    expect(t.trackCount).toBe(2);
    expect(t.boxesAt(0)).toEqual([
      { x: 0, y: 0, w: 30, h: 30 },
      { x: 60, y: 60, w: 40, h: 40 },
    ]);
  });
});
