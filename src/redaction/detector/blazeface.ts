// Decoding MediaPipe BlazeFace ("back" 256×256 model) outputs: SSD anchors, box offsets,
// sigmoid scores and weighted non-maximum suppression. The model gives raw tensors only; the
// constants below are MediaPipe's face_detection_back graph options (ssd_anchors_calculator and
// tensors_to_detections_calculator), which the ONNX conversion leaves out.
import type { Detection } from '../box.js';

export const INPUT_SIZE = 256;
/** Feature maps: a 16×16 grid with 2 anchors per cell, then 8×8 with 6 (896 anchors in all). */
const LAYERS = [
  { grid: 16, perCell: 2 },
  { grid: 8, perCell: 6 },
] as const;
/** MediaPipe clips raw scores to ±100 before the sigmoid. */
const SCORE_CLIP = 100;

export interface Anchor {
  cx: number;
  cy: number;
}

/** Anchor centres in [0,1]; fixed_anchor_size is true, so every anchor is 1×1 and only its centre matters. */
export function anchors(): Anchor[] {
  const out: Anchor[] = [];
  for (const { grid, perCell } of LAYERS) {
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let k = 0; k < perCell; k++) out.push({ cx: (x + 0.5) / grid, cy: (y + 0.5) / grid });
      }
    }
  }
  return out;
}

const ANCHORS = anchors();
export const ANCHOR_COUNT = ANCHORS.length;

const sigmoid = (v: number) => 1 / (1 + Math.exp(-Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, v))));

/**
 * Turns the model's raw outputs into boxes in the model's input square (0..INPUT_SIZE).
 * `scores` is the 896 raw logits; `boxes` 896×16 regressors (cx, cy, w, h offsets, then keypoints).
 */
export function decode(scores: Float32Array, boxes: Float32Array, minScore: number): Detection[] {
  const out: Detection[] = [];
  const logit = Math.log(minScore / (1 - minScore));
  for (let i = 0; i < ANCHOR_COUNT; i++) {
    const raw = scores[i]!;
    if (raw < logit) continue; // cheap pre-filter: sigmoid is monotonic
    const a = ANCHORS[i]!;
    const o = i * 16;
    const cx = boxes[o]! + a.cx * INPUT_SIZE;
    const cy = boxes[o + 1]! + a.cy * INPUT_SIZE;
    const w = boxes[o + 2]!;
    const h = boxes[o + 3]!;
    if (w <= 0 || h <= 0) continue;
    out.push({ x: cx - w / 2, y: cy - h / 2, w, h, score: sigmoid(raw) });
  }
  return out;
}

/**
 * Weighted NMS as MediaPipe's face detector does it: overlapping candidates are merged into a
 * score-weighted mean box instead of being dropped, which steadies boxes between frames.
 */
export function weightedNms(dets: Detection[], iouThreshold: number): Detection[] {
  const rest = [...dets].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  while (rest.length > 0) {
    const top = rest[0]!;
    const group: Detection[] = [];
    for (let i = rest.length - 1; i >= 0; i--) {
      if (overlap(top, rest[i]!) >= iouThreshold) group.push(...rest.splice(i, 1));
    }
    let sw = 0;
    const m = { x: 0, y: 0, w: 0, h: 0 };
    for (const d of group) {
      sw += d.score;
      m.x += d.x * d.score;
      m.y += d.y * d.score;
      m.w += d.w * d.score;
      m.h += d.h * d.score;
    }
    out.push({ x: m.x / sw, y: m.y / sw, w: m.w / sw, h: m.h / sw, score: top.score });
  }
  return out;
}

function overlap(a: Detection, b: Detection) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / (a.w * a.h + b.w * b.h - i);
}
