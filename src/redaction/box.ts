/** An axis-aligned box in frame pixels: top-left corner, width and height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Detection extends Box {
  score: number;
  /** Which model and pass found it (`blazeface`, `centerface:overview`, `centerface:tile3`, joined by `+`). */
  source?: string;
}

export const area = (b: Box) => Math.max(0, b.w) * Math.max(0, b.h);

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function iou(a: Box, b: Box): number {
  const i = intersection(a, b);
  return i === 0 ? 0 : i / (area(a) + area(b) - i);
}

/** Grows a box by `fraction` of its size on every side, clipped to the frame. */
export function pad(b: Box, fraction: number, width: number, height: number): Box {
  const dx = b.w * fraction;
  const dy = b.h * fraction;
  const x0 = Math.max(0, Math.floor(b.x - dx));
  const y0 = Math.max(0, Math.floor(b.y - dy));
  const x1 = Math.min(width, Math.ceil(b.x + b.w + dx));
  const y1 = Math.min(height, Math.ceil(b.y + b.h + dy));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

export const lerpBox = (a: Box, b: Box, t: number): Box => ({
  x: a.x + (b.x - a.x) * t,
  y: a.y + (b.y - a.y) * t,
  w: a.w + (b.w - a.w) * t,
  h: a.h + (b.h - a.h) * t,
});

export const roundBox = (b: Box): Box => ({
  x: Math.round(b.x),
  y: Math.round(b.y),
  w: Math.round(b.w),
  h: Math.round(b.h),
});
