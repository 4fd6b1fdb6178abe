// Pure geometry and time for the reviewer's player: which manifest frame is on screen, where the
// video's pixels are inside its element, and boxes converted between the two (unit-tested).
import type { Box, Clip, ManifestView, ReviewDecision, RiskFlag } from './types.js';

/** ffprobe's rate ("30/1", "30000/1001", "25"), in frames per second; null if it is not one. */
export function parseFrameRate(rate: string): number | null {
  const [n, d = '1'] = rate.split('/');
  const fps = Number(n) / Number(d);
  return Number.isFinite(fps) && fps > 0 ? fps : null;
}

/**
 * The frame shown at media time `t`: a paused player shows the last frame whose timestamp is at or
 * before `t` (frame n spans [n/fps, (n+1)/fps)). Rounding would name the next frame for any pause in
 * the second half of a frame; the epsilon absorbs float error at exact frame times.
 */
export const frameAt = (t: number, fps: number) => Math.max(0, Math.floor(t * fps + 1e-3));

/** The time in the middle of frame n: seeking there shows frame n whatever the rounding. */
export const timeOf = (frame: number, fps: number) => (frame + 0.5) / fps;

export type Boxes = Array<[number, number, number, number]>;

/** The manifest's boxes by frame number. */
export const boxesByFrame = (m: Pick<ManifestView, 'frames'>): Map<number, Boxes> => new Map(m.frames);

/** Where the picture lies inside a video element of `el` size (object-fit: contain letterboxes). */
export function contentRect(el: { w: number; h: number }, video: { w: number; h: number }): Box {
  if (el.w <= 0 || el.h <= 0 || video.w <= 0 || video.h <= 0) return { x: 0, y: 0, w: 0, h: 0 };
  const scale = Math.min(el.w / video.w, el.h / video.h);
  const w = video.w * scale;
  const h = video.h * scale;
  return { x: (el.w - w) / 2, y: (el.h - h) / 2, w, h };
}

/** A box in video pixels drawn where it lies on screen (element pixels). */
export function toDisplay(b: Box, rect: Box, video: { w: number; h: number }): Box {
  const k = rect.w / video.w;
  return { x: rect.x + b.x * k, y: rect.y + b.y * k, w: b.w * k, h: b.h * k };
}

/** Clamps a box to the frame and to whole pixels; null when nothing of it is left. */
export function clampBox(b: Box, video: { w: number; h: number }): Box | null {
  const x0 = Math.max(0, Math.min(b.x, b.x + b.w));
  const y0 = Math.max(0, Math.min(b.y, b.y + b.h));
  const x1 = Math.min(video.w, Math.max(b.x, b.x + b.w));
  const y1 = Math.min(video.h, Math.max(b.y, b.y + b.h));
  const box = {
    x: Math.round(x0),
    y: Math.round(y0),
    w: Math.round(x1) - Math.round(x0),
    h: Math.round(y1) - Math.round(y0),
  };
  return box.w >= 1 && box.h >= 1 ? box : null;
}

/**
 * A drag between two points on the element (in element pixels, any direction) as a box in the
 * video's pixels: scaled from the displayed size, clamped to the picture.
 */
export function dragToBox(
  a: { x: number; y: number },
  b: { x: number; y: number },
  rect: Box,
  video: { w: number; h: number },
): Box | null {
  if (rect.w <= 0) return null;
  const k = video.w / rect.w;
  return clampBox(
    { x: (a.x - rect.x) * k, y: (a.y - rect.y) * k, w: (b.x - a.x) * k, h: (b.y - a.y) * k },
    video,
  );
}

/** The clip's mandatory-review flag (the risk assessment, docs/redaction.md "Fail-safe"). */
export function riskOf(clip: Clip): RiskFlag | null {
  return clip.risk ? { required: clip.risk.reviewRequired, reasons: clip.risk.reasons } : null;
}

/** The reviewer's decision, if one was recorded. */
export function decisionOf(clip: Clip): ReviewDecision | null {
  const r = clip.review;
  if (!r || (r.decision !== 'approved' && r.decision !== 'rejected')) return null;
  return { decision: r.decision, note: r.note ?? '', by: r.by ?? '', at: r.at ?? '' };
}

/** The clip is being redacted (first time or again after a missed face was marked). */
export const rendering = (clip: Clip) => clip.status === 'queued' || clip.status === 'processing';
