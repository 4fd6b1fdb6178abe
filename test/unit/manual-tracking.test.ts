// Following a marked box across frames (src/redaction/manual-tracking.ts) on synthetic luma frames: a
// textured patch moving over a textured background, found forwards and backwards from the marked
// frame, through a change of brightness, and lost (the track ends) where the patch is gone.
import { describe, expect, it } from '@jest/globals';
import { MarkTracker } from '../../src/redaction/manual-tracking.js';

const W = 160;
const H = 120;

/** Deterministic pseudo-random texture. */
function texture(seed: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = 40 + (s % 170);
  }
  return out;
}

const background = texture(7, W, H);
const patch = texture(99, 16, 16);

/** A frame with the patch at (x, y) (or none), its brightness scaled by `gain`. */
function frame(at: { x: number; y: number } | null, gain = 1): Uint8Array {
  const f = background.slice();
  if (at) {
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 16; x++) f[(at.y + y) * W + at.x + x] = Math.min(255, patch[y * 16 + x]! * gain);
  }
  return f;
}

const pathAt = (f: number) => ({ x: 20 + 3 * f, y: 30 + f });

describe('following a marked face', () => {
  it('follows it forwards and backwards from the marked frame, through a change of light', () => {
    const marked = 10;
    const t = new MarkTracker({ mark: 1, frame: marked, box: { ...pathAt(marked), w: 16, h: 16 } }, W, H);
    for (let f = 0; f < 25; f++) t.feed(f, frame(pathAt(f), f > 15 ? 1.2 : 1));
    const r = t.result();
    expect(r.span).toEqual({ from: 0, to: 24 });
    for (let f = 0; f < 25; f++) expect(r.boxes.get(f)).toEqual({ ...pathAt(f), w: 16, h: 16 });
  });

  it('stops where the face is gone, and does not pick it up again', () => {
    const t = new MarkTracker({ mark: 1, frame: 5, box: { ...pathAt(5), w: 16, h: 16 } }, W, H);
    for (let f = 0; f < 20; f++) t.feed(f, frame(f >= 2 && f <= 12 ? pathAt(f) : null));
    const r = t.result();
    expect(r.span).toEqual({ from: 2, to: 12 });
    expect([...r.boxes.keys()].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('keeps a box with no texture to follow on its own frame only', () => {
    const flat = new Uint8Array(W * H).fill(128);
    const t = new MarkTracker({ mark: 1, frame: 3, box: { x: 40, y: 40, w: 16, h: 16 } }, W, H);
    for (let f = 0; f < 8; f++) t.feed(f, flat);
    expect(t.result().span).toEqual({ from: 3, to: 3 });
  });
});
