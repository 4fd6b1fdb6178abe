// A face a reviewer marked by hand on one frame, followed to the frames before and after it: template
// matching by normalised cross-correlation (NCC) on the luma plane, in a search window around the
// box's last position, until the best match drops below a threshold (the face left, turned or was
// covered). NCC ignores uniform changes of brightness and contrast, so a face keeps matching in
// changing light; a still face matches on every frame. The template is the marked frame's, never
// updated, so the box cannot drift off the face onto the background a little more every frame.
//
// Frames arrive in order (one decode pass): forwards the tracker follows live; backwards it keeps,
// for up to `maxBackFrames` frames before the marked one, the luma of a region around the box (the
// farthest the face can be followed backwards) and walks back through it once the template is known.
import type { Box } from './box.js';

export interface ManualTrackingParams {
  /** NCC below this ends the track (1: identical up to brightness and contrast; 0: unrelated). */
  minScore: number;
  /** Search this far around the last position on each frame, as a fraction of the box's larger side. */
  searchFraction: number;
  /** Backwards, the face is followed within the box grown by this many box sizes on each side. */
  backRegion: number;
  /** Frames before the marked one that are kept for following backwards (memory: region × frames). */
  maxBackFrames: number;
  /** Template samples across the box's larger side (larger boxes are sampled sparsely). */
  samplesAcross: number;
}

export const DEFAULT_MANUAL_TRACKING: ManualTrackingParams = {
  minScore: 0.6,
  searchFraction: 0.5,
  backRegion: 3,
  maxBackFrames: 900,
  samplesAcross: 24,
};

/** A luma image, or a rectangle of one: the pixel at frame (x, y) is `data[(y - y0) * stride + x - x0]`. */
interface Luma {
  data: Uint8Array;
  stride: number;
  x0: number;
  y0: number;
  w: number;
  h: number;
}

interface Template {
  /** Sample offsets inside the box (dx, dy pairs). */
  offsets: Int32Array;
  /** The samples, zero-mean, scaled to unit length. */
  values: Float64Array;
  w: number;
  h: number;
  step: number;
}

function makeTemplate(img: Luma, box: Box, samplesAcross: number): Template | null {
  const step = Math.max(1, Math.floor(Math.max(box.w, box.h) / samplesAcross));
  const offsets: number[] = [];
  for (let dy = 0; dy < box.h; dy += step) for (let dx = 0; dx < box.w; dx += step) offsets.push(dx, dy);
  const raw = new Float64Array(offsets.length / 2);
  let mean = 0;
  for (let i = 0; i < raw.length; i++) {
    raw[i] = at(img, box.x + offsets[2 * i]!, box.y + offsets[2 * i + 1]!);
    mean += raw[i]!;
  }
  mean /= raw.length;
  let norm = 0;
  for (let i = 0; i < raw.length; i++) {
    raw[i] = raw[i]! - mean;
    norm += raw[i]! * raw[i]!;
  }
  // A flat box (no texture at all) cannot be followed: it matches everything equally.
  if (norm < raw.length) return null;
  norm = Math.sqrt(norm);
  for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! / norm;
  return { offsets: Int32Array.from(offsets), values: raw, w: box.w, h: box.h, step };
}

const at = (img: Luma, x: number, y: number) => img.data[(y - img.y0) * img.stride + x - img.x0]!;

/** NCC of the template placed with its top-left corner at (x, y); -1 where it does not fit. */
function ncc(img: Luma, t: Template, x: number, y: number): number {
  if (x < img.x0 || y < img.y0 || x + t.w > img.x0 + img.w || y + t.h > img.y0 + img.h) return -1;
  const n = t.values.length;
  let sum = 0;
  let sumSq = 0;
  let dot = 0;
  const base = (y - img.y0) * img.stride + x - img.x0;
  for (let i = 0; i < n; i++) {
    const v = img.data[base + t.offsets[2 * i + 1]! * img.stride + t.offsets[2 * i]!]!;
    sum += v;
    sumSq += v * v;
    dot += v * t.values[i]!;
  }
  // Σ (v - mean)·t = Σ v·t, since Σ t = 0.
  const varSum = sumSq - (sum * sum) / n;
  return varSum <= 1e-9 ? 0 : dot / Math.sqrt(varSum);
}

/** Best match within `radius` of `from`: coarse at the template's step, then to the pixel. */
function search(img: Luma, t: Template, from: Box, radius: number): { box: Box; score: number } {
  let best = { x: from.x, y: from.y, score: -2 };
  const scan = (cx: number, cy: number, r: number, step: number) => {
    for (let y = cy - r; y <= cy + r; y += step)
      for (let x = cx - r; x <= cx + r; x += step) {
        const s = ncc(img, t, x, y);
        if (s > best.score) best = { x, y, score: s };
      }
  };
  scan(from.x, from.y, radius, t.step);
  if (t.step > 1) {
    const { x, y } = best;
    scan(x, y, t.step - 1, 1);
  }
  return { box: { x: best.x, y: best.y, w: from.w, h: from.h }, score: best.score };
}

export interface MarkToTrack {
  mark: number;
  frame: number;
  box: Box;
}

export interface TrackedMark {
  mark: number;
  /** First and last frame the box was followed to (inclusive). */
  span: { from: number; to: number };
  /** The face's box (unpadded) on each frame of the span. */
  boxes: Map<number, Box>;
}

/** Follows one marked box through a clip's frames, fed in order. */
export class MarkTracker {
  private template: Template | null = null;
  private readonly boxes = new Map<number, Box>();
  private readonly region: { x0: number; y0: number; x1: number; y1: number };
  private readonly kept = new Map<number, Uint8Array>();
  private forward: Box | null = null;
  private readonly radius: number;

  constructor(
    private readonly m: MarkToTrack,
    private readonly width: number,
    private readonly height: number,
    private readonly p: ManualTrackingParams = DEFAULT_MANUAL_TRACKING,
  ) {
    const b = m.box;
    const grow = Math.ceil(p.backRegion * Math.max(b.w, b.h));
    this.region = {
      x0: Math.max(0, b.x - grow),
      y0: Math.max(0, b.y - grow),
      x1: Math.min(width, b.x + b.w + grow),
      y1: Math.min(height, b.y + b.h + grow),
    };
    this.radius = Math.max(3, Math.round(p.searchFraction * Math.max(b.w, b.h)));
  }

  /** Feeds frame `f`'s luma plane (width × height bytes; not kept: copy what is needed). */
  feed(f: number, y: Uint8Array): void {
    const whole: Luma = { data: y, stride: this.width, x0: 0, y0: 0, w: this.width, h: this.height };
    if (f < this.m.frame) {
      if (f >= this.m.frame - this.p.maxBackFrames) this.keep(f, y);
    } else if (f === this.m.frame) {
      this.boxes.set(f, this.m.box);
      this.template = makeTemplate(whole, this.m.box, this.p.samplesAcross);
      if (this.template) {
        this.backwards();
        this.forward = this.m.box;
      }
      this.kept.clear();
    } else if (this.forward && this.template) {
      const found = search(whole, this.template, this.forward, this.radius);
      if (found.score >= this.p.minScore) {
        this.boxes.set(f, found.box);
        this.forward = found.box;
      } else {
        this.forward = null;
      }
    }
  }

  result(): TrackedMark {
    const frames = [...this.boxes.keys()];
    // A mark on a frame past the clip's end never saw its frame: the box alone, on that frame.
    if (frames.length === 0) this.boxes.set(this.m.frame, this.m.box);
    const keys = [...this.boxes.keys()];
    return {
      mark: this.m.mark,
      span: { from: Math.min(...keys), to: Math.max(...keys) },
      boxes: this.boxes,
    };
  }

  private keep(f: number, y: Uint8Array) {
    const { x0, y0, x1, y1 } = this.region;
    const w = x1 - x0;
    const crop = new Uint8Array(w * (y1 - y0));
    for (let row = y0; row < y1; row++)
      crop.set(y.subarray(row * this.width + x0, row * this.width + x1), (row - y0) * w);
    this.kept.set(f, crop);
  }

  private backwards() {
    const { x0, y0, x1, y1 } = this.region;
    let from = this.m.box;
    for (let f = this.m.frame - 1; f >= 0; f--) {
      const data = this.kept.get(f);
      if (!data) break;
      const img: Luma = { data, stride: x1 - x0, x0, y0, w: x1 - x0, h: y1 - y0 };
      const found = search(img, this.template!, from, this.radius);
      if (found.score < this.p.minScore) break;
      this.boxes.set(f, found.box);
      from = found.box;
    }
  }
}
