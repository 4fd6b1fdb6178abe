// Pixel measurements for redaction tests: how much a region changed, and how much fine detail it has.
import type { Box } from '../../src/redaction/box.js';

const luma = (f: Uint8Array, o: number) => 0.299 * f[o]! + 0.587 * f[o + 1]! + 0.114 * f[o + 2]!;

function inner(b: Box, width: number, height: number) {
  return {
    x0: Math.max(0, Math.ceil(b.x)),
    y0: Math.max(0, Math.ceil(b.y)),
    x1: Math.min(width - 1, Math.floor(b.x + b.w)),
    y1: Math.min(height - 1, Math.floor(b.y + b.h)),
  };
}

/** Mean absolute luma difference between two frames inside a box. */
export function meanDiff(a: Uint8Array, b: Uint8Array, width: number, height: number, box: Box): number {
  const { x0, y0, x1, y1 } = inner(box, width, height);
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++, n++) {
      const o = (y * width + x) * 3;
      sum += Math.abs(luma(a, o) - luma(b, o));
    }
  return n ? sum / n : 0;
}

/** Fine detail: mean absolute luma step between neighbouring pixels inside a box. */
export function detail(f: Uint8Array, width: number, height: number, box: Box): number {
  const { x0, y0, x1, y1 } = inner(box, width, height);
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1 - 1; y++)
    for (let x = x0; x < x1 - 1; x++, n++) {
      const o = (y * width + x) * 3;
      sum += Math.abs(luma(f, o) - luma(f, o + 3)) + Math.abs(luma(f, o) - luma(f, o + width * 3));
    }
  return n ? sum / n : 0;
}

/** Mean absolute luma difference over the pixels outside every box (grown by `margin`). */
export function outsideDiff(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  boxes: Box[],
  margin: number,
): number {
  const mask = new Uint8Array(width * height);
  for (const bx of boxes) {
    const { x0, y0, x1, y1 } = inner(
      { x: bx.x - margin, y: bx.y - margin, w: bx.w + 2 * margin, h: bx.h + 2 * margin },
      width,
      height,
    );
    for (let y = y0; y <= y1; y++) mask.fill(1, y * width + x0, y * width + x1 + 1);
  }
  let sum = 0;
  let n = 0;
  for (let i = 0; i < width * height; i++) {
    if (mask[i]) continue;
    sum += Math.abs(luma(a, i * 3) - luma(b, i * 3));
    n++;
  }
  return n ? sum / n : 0;
}
