// Irreversible redaction: every block inside the box is replaced by its mean colour. With blocks this
// large (a face becomes at most `blocksAcross` blocks wide), identifying detail is gone, not hidden.
// Works on RGB24 frames and on YUV 4:2:0 frames (the pipeline's), where the luma blocks and the
// half-size chroma blocks cover exactly the same area.
import type { Box } from './box.js';

export interface PixelateParams {
  /** At most this many blocks across the larger side of a box. */
  blocksAcross: number;
  /** Blocks are never smaller than this, in pixels. */
  minBlock: number;
}

export const DEFAULT_PIXELATE: PixelateParams = { blocksAcross: 4, minBlock: 8 };

const blockSize = (box: Box, p: PixelateParams) =>
  Math.max(p.minBlock, Math.ceil(Math.max(box.w, box.h) / p.blocksAcross));

export function pixelate(rgb: Uint8Array, width: number, box: Box, p: PixelateParams): void {
  const block = blockSize(box, p);
  for (let c = 0; c < 3; c++) {
    meanBlocks(rgb, c, 3, width * 3, box.x, box.y, box.x + box.w, box.y + box.h, block);
  }
}

/** The same on a yuv420p frame (Y plane, then U and V at half width and height). */
export function pixelateYuv420(
  frame: Uint8Array,
  width: number,
  height: number,
  box: Box,
  p: PixelateParams,
): void {
  // Even corners and an even block, so each chroma sample lies wholly inside one block or outside.
  const block = blockSize(box, p) + (blockSize(box, p) & 1);
  const x0 = box.x & ~1;
  const y0 = box.y & ~1;
  const x1 = Math.min(width, box.x + box.w + ((box.x + box.w) & 1));
  const y1 = Math.min(height, box.y + box.h + ((box.y + box.h) & 1));
  meanBlocks(frame, 0, 1, width, x0, y0, x1, y1, block);
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const [cx0, cy0, cx1, cy1] = [x0 / 2, y0 / 2, Math.ceil(x1 / 2), Math.ceil(y1 / 2)];
  meanBlocks(frame, width * height, 1, cw, cx0, cy0, cx1, cy1, block / 2);
  meanBlocks(frame, width * height + cw * ch, 1, cw, cx0, cy0, cx1, cy1, block / 2);
}

/**
 * Replaces each block of [x0,x1)×[y0,y1) in one channel by its mean. The channel's samples start at
 * `base`, `step` bytes apart along a row, rows `stride` bytes apart.
 */
function meanBlocks(
  buf: Uint8Array,
  base: number,
  step: number,
  stride: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  block: number,
): void {
  for (let by = y0; by < y1; by += block) {
    const bh = Math.min(block, y1 - by);
    for (let bx = x0; bx < x1; bx += block) {
      const bw = Math.min(block, x1 - bx);
      let sum = 0;
      for (let y = by; y < by + bh; y++) {
        let o = base + y * stride + bx * step;
        for (let x = 0; x < bw; x++, o += step) sum += buf[o]!;
      }
      const mean = Math.round(sum / (bw * bh));
      for (let y = by; y < by + bh; y++) {
        let o = base + y * stride + bx * step;
        for (let x = 0; x < bw; x++, o += step) buf[o] = mean;
      }
    }
  }
}
