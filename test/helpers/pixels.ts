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

/**
 * How much of a face's own fine detail is left: the original's high-pass luma (each pixel minus the
 * mean of its 3×3 neighbourhood) projected onto the redacted one's, over the box, relative to the
 * original's energy. About 1 when the face is untouched, near 0 when it is blurred or pixelated away:
 * the edges between pixelation blocks are new detail, not the face's, and do not count (a plain ratio of
 * `detail` does count them, which fails a well-pixelated face that was blurry to start with).
 */
export function detailKept(
  original: Uint8Array,
  redacted: Uint8Array,
  width: number,
  height: number,
  box: Box,
): number {
  const { x0, y0, x1, y1 } = inner(box, width, height);
  const hp = (f: Uint8Array, x: number, y: number) => {
    let s = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) s += luma(f, ((y + dy) * width + x + dx) * 3);
    return luma(f, (y * width + x) * 3) - s / 9;
  };
  let dot = 0;
  let energy = 0;
  for (let y = Math.max(1, y0); y < Math.min(height - 1, y1); y++)
    for (let x = Math.max(1, x0); x < Math.min(width - 1, x1); x++) {
      const a = hp(original, x, y);
      dot += a * hp(redacted, x, y);
      energy += a * a;
    }
  return energy > 0 ? dot / energy : 0;
}
